import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * `<dataDir>/bulk-import.lock`: held (with its pid) by a process writing a new
 * embedded store with the bulk importer (bulk-import.ts). A server about to
 * start on the same folder waits for it, so it opens the whole new store.
 */
export const BULK_LOCK = 'bulk-import.lock';

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Takes `file` as a lock: created only if absent, holding this pid (mode 600). One left by a
 * process that died is taken over. Returns its release, or the pid of the live process holding it.
 * Errors other than "it exists" (a read-only folder) are thrown.
 */
export function tryLock(file: string): { release: () => void } | { heldBy: number } {
  for (;;) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx', mode: 0o600 });
      return { release: () => fs.rmSync(file, { force: true }) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(fs.readFileSync(file, { encoding: 'utf8', flag: 'r' }).trim() || 0);
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) return { heldBy: pid };
      fs.rmSync(file, { force: true });
    }
  }
}

/** The pid of a live process holding the folder's import lock, or null. */
function lockHolder(dataDir: string): number | null {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, BULK_LOCK), 'utf8'));
    return Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid) ? pid : null;
  } catch {
    return null;
  }
}

/** Resolves once no live process holds the folder's import lock (a message every 10 s meanwhile). */
export async function waitForBulkImport(dataDir: string, progress: (line: string) => void): Promise<void> {
  for (let waited = 0; ; waited += 500) {
    const pid = lockHolder(dataDir);
    if (pid === null) return;
    if (waited % 10_000 === 0) progress(`neo4j: waiting for the import writing a new store in ${dataDir} (pid ${pid}) to finish…`);
    await sleep(500);
  }
}
