/**
 * Writes backend/openapi.json, the OpenAPI 3.1 document generated from the
 * endpoint declarations (topology/src/api). Run: npm run openapi.
 * tests/contract.test.ts fails when the committed file is not current.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openapiText, OPENAPI_PATH } from '../backend/src/http/openapi-file';

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFile(OPENAPI_PATH, openapiText()).then(
    () => console.log(`wrote ${path.relative(process.cwd(), OPENAPI_PATH)}`),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
