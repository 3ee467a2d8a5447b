import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../config';
import { openapiDocument } from './openapi';

/** Where the generated document is committed, for readers and tools that do not run the server. */
export const OPENAPI_PATH = path.join(repoRoot, 'backend', 'openapi.json');

/** The product's version, from the root package.json. */
export const PRODUCT_VERSION = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

/** The committed file's exact text: 2-space JSON and a final newline. */
export function openapiText(): string {
  return `${JSON.stringify(openapiDocument(PRODUCT_VERSION), null, 2)}\n`;
}
