/**
 * Writes backend/openapi.json, the OpenAPI 3.1 document generated from the
 * endpoint declarations (topology/src/api), and the README's permission matrix. Run: npm run openapi.
 * tests/contract.test.ts fails when the committed file is not current.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openapiText, OPENAPI_PATH } from '../backend/src/http/openapi-file';
import { writeReadmeMatrix } from '../backend/src/http/permission-matrix';

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFile(OPENAPI_PATH, openapiText()).then(
    () => {
      writeReadmeMatrix();
      console.log(`wrote ${path.relative(process.cwd(), OPENAPI_PATH)} and the README's permission matrix`);
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
