import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Parses large plan files with js-yaml on worker threads, so that a national
 * plan's three big files (sites, devices, links: 40 MB) are parsed side by
 * side on the machine's cores instead of one after another on the main
 * thread. The worker runs plain JavaScript (no TypeScript loader needed) and
 * sends the parsed data back by structured clone.
 */

/** Files from this size on are parsed on a worker; smaller ones are not worth a thread. */
export const WORKER_PARSE_FROM_BYTES = 2_000_000;

const jsYaml = createRequire(import.meta.url).resolve('js-yaml');

const source = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { load, CORE_SCHEMA } = require(workerData.jsYaml);
let data;
let ok = true;
try {
  data = load(readFileSync(workerData.file, 'utf8'), { schema: CORE_SCHEMA });
} catch {
  ok = false; // the caller parses it again with the document parser, which says why and where
}
parentPort.postMessage({ ok, data });
`;

/** The file's data as js-yaml (core schema) parses it, or `{ ok: false }` when js-yaml refuses it. */
export function parseYamlFileInWorker(file: string): Promise<{ ok: boolean; data?: unknown }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData: { file, jsYaml } });
    worker.once('message', (m: { ok: boolean; data?: unknown }) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the YAML parser's worker for ${file} exited with code ${code}`));
    });
  });
}
