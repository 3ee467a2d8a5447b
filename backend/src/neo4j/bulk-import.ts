import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { NEO4J_JVM_OPTIONS, checkJava, resolveClasspath } from './embedded';
import { BULK_LOCK, tryLock } from './bulk-lock';
import { restrictToOwner } from './credentials';

/**
 * The first write of a new embedded store through Neo4j's own bulk importer
 * (`neo4j-admin database import full`, from the jars the embedded Neo4j runs on):
 * it writes the store files directly, without transactions, which is what
 * Neo4j provides for an initial load. It can only make a database that does
 * not exist yet, with no server running on it, so it is used for a first
 * import into a new data folder (see plan/service.ts `openAndImport`); every
 * other import goes through Cypher.
 *
 * The database is written under `<dataDir>/db.importing` and renamed to
 * `<dataDir>/db` (the embedded server's folder) in one step once the importer
 * succeeded: a failure leaves the data folder as it was (no store), and a
 * server never sees half a store. `<dataDir>/bulk-import.lock` (this process's
 * pid) keeps a second import and a starting server out meanwhile.
 */

export interface BulkFile {
  kind: 'nodes' | 'relationships';
  /** Label or relationship type. */
  name: string;
  file: string;
  /** The file's lines, its header line first (produced as they are written). */
  lines: () => Iterable<string>;
}

export interface BulkImportOptions {
  dataDir: string;
  /** Java heap of the importer (the embedded server's, NEO4J_HEAP). */
  heap: string;
  progress: (line: string) => void;
}

/** The embedded server's folder in a data folder (its Neo4j home; see embedded.ts). */
const homeOf = (dataDir: string) => path.join(dataDir, 'db');

/** True when the data folder holds no embedded store yet: the bulk importer may make one. */
export function isNewEmbeddedStore(dataDir: string): boolean {
  return !fs.existsSync(homeOf(path.resolve(dataDir)));
}

/** Takes the data folder's import lock (this pid); one left by a process that died is taken over. */
function takeLock(dataDir: string): () => void {
  const lock = tryLock(path.join(dataDir, BULK_LOCK));
  if ('heldBy' in lock) {
    throw new Error(`another import into the new store in ${dataDir} is under way (pid ${lock.heldBy}); nothing was written`);
  }
  return lock.release;
}

/**
 * Writes `files` into a new database for the embedded store in `dataDir` with
 * Neo4j's bulk importer; progress lines name each of its stages. Throws (and
 * leaves no store) when the folder already holds one or the importer fails.
 */
export async function bulkImportNewStore(files: readonly BulkFile[], opts: BulkImportOptions): Promise<void> {
  const dataDir = path.resolve(opts.dataDir);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  restrictToOwner(dataDir, 0o700);
  const release = takeLock(dataDir);
  const staging = path.join(dataDir, 'db.importing');
  const work = path.join(dataDir, 'bulk-import');
  try {
    if (!isNewEmbeddedStore(dataDir)) throw new Error(`${homeOf(dataDir)} already holds a store: the bulk importer only makes new ones`);
    // Left by an import that did not finish: never part of a store.
    fs.rmSync(staging, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
    fs.mkdirSync(path.join(work, 'conf'), { recursive: true, mode: 0o700 });
    fs.mkdirSync(staging, { mode: 0o700 });
    fs.writeFileSync(path.join(work, 'conf', 'neo4j.conf'), '');
    const { rows, multiline } = writeFiles(work, files);
    opts.progress(`import: ${rows.toLocaleString('en')} records and relationships written as CSV for Neo4j's bulk importer`);
    checkJava();
    const classpath = resolveClasspath(opts.progress);
    await runImporter(classpath, staging, work, files, { ...opts, multiline });
    if (!fs.existsSync(path.join(staging, 'data', 'databases', 'neo4j'))) {
      throw new Error('the bulk importer ended without writing a database');
    }
    fs.rmSync(path.join(staging, 'logs'), { recursive: true, force: true });
    // One step: the server finds a whole store or none. Fails (and writes nothing) if a store appeared meanwhile.
    fs.renameSync(staging, homeOf(dataDir));
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    release();
  }
}

/** Writes the files into `dir` a megabyte at a time; counts their rows and sees whether a field holds a line break. */
function writeFiles(dir: string, files: readonly BulkFile[]): { rows: number; multiline: boolean } {
  let rows = 0;
  let multiline = false;
  for (const f of files) {
    const fd = fs.openSync(path.join(dir, f.file), 'w', 0o600);
    try {
      let chunk: string[] = [];
      let size = 0;
      let header = true;
      for (const line of f.lines()) {
        if (!header) rows += 1;
        header = false;
        multiline ||= line.includes('\n') || line.includes('\r');
        chunk.push(line);
        size += line.length + 1;
        if (size >= 1 << 20) {
          fs.writeSync(fd, `${chunk.join('\n')}\n`);
          chunk = [];
          size = 0;
        }
      }
      if (chunk.length > 0) fs.writeSync(fd, `${chunk.join('\n')}\n`);
    } finally {
      fs.closeSync(fd);
    }
  }
  return { rows, multiline };
}

async function runImporter(
  classpath: string,
  home: string,
  work: string,
  files: readonly BulkFile[],
  opts: BulkImportOptions & { multiline: boolean },
): Promise<void> {
  const child = spawn(
    'java',
    [
      `-Xmx${opts.heap}`,
      // A run of seconds: the quick compiler alone halves the importer's CPU time (its own hot loops are short).
      '-XX:TieredStopAtLevel=1',
      ...NEO4J_JVM_OPTIONS,
      '-cp',
      classpath,
      'org.neo4j.cli.AdminTool',
      'database',
      'import',
      'full',
      ...files.map((f) => `--${f.kind}=${f.name}=${path.join(work, f.file)}`),
      // A validated plan has no duplicate keys and no dangling ends: anything the importer would skip is an error.
      '--bad-tolerance=0',
      // Its report of bad entries (none can pass with a tolerance of 0) goes with the work files, not to the current folder.
      `--report-file=${path.join(work, 'import.report')}`,
      ...(opts.multiline ? ['--multiline-fields=true'] : []),
    ],
    { env: { ...process.env, NEO4J_HOME: home, NEO4J_CONF: path.join(work, 'conf') }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const tail: string[] = [];
  const keep = (line: string) => {
    tail.push(line);
    if (tail.length > 40) tail.shift();
  };
  let stage = '';
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (/^[-.* ]*\.{5}/.test(line)) return; // progress dots
    keep(line);
    const start = /^\((\d)\/(\d)\) (.+?) \d{4}-\d\d-\d\d/.exec(line);
    if (start) stage = `${start[3]!.toLowerCase()} (${start[1]}/${start[2]})`;
    const done = /COMPLETED in (.+)$/.exec(line);
    if (done && stage) opts.progress(`import: bulk ${stage} done in ${done[1]}`);
    const all = /^IMPORT DONE in (.+?)\.?\s*$/.exec(line);
    if (all) opts.progress(`import: bulk importer done in ${all[1]}`);
  });
  createInterface({ input: child.stderr }).on('line', keep);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c, s) => resolve([c, s]));
  });
  if (code !== 0) {
    throw new Error(
      `Neo4j's bulk importer ${signal ? `was killed by ${signal}` : `exited with code ${code}`}; nothing was written:\n${tail.join('\n')}`,
    );
  }
}
