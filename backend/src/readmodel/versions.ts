import type { Store } from '../neo4j/store';
import { readSourceVersions, type SourceVersions } from './store';

/**
 * The read models' source versions, shared by every model of a process: read
 * at most once per `everyMs` however many models and requests ask (single
 * flight), so checking whether a view is current costs one Neo4j read a second
 * in all, not one per model. `forget()` makes the next `get()` read again — a
 * change this process made (its poll cycle, its IPAM write) is seen at once;
 * one of another process within `everyMs`.
 */
export interface VersionSource {
  get(): Promise<SourceVersions>;
  forget(): void;
}

export function versionSource(store: Store, opts: { everyMs?: number; clock?: () => number } = {}): VersionSource {
  const everyMs = opts.everyMs ?? 1_000;
  const clock = opts.clock ?? Date.now;
  let last: { at: number; read: Promise<SourceVersions> } | undefined;
  return {
    get() {
      const now = clock();
      if (last && now - last.at < everyMs) return last.read;
      const read = readSourceVersions(store);
      const entry = { at: now, read };
      last = entry;
      // A failed read is not kept: the next request tries again (and gets the store's error, e.g. 503).
      read.catch(() => {
        if (last === entry) last = undefined;
      });
      return read;
    },
    forget() {
      last = undefined;
    },
  };
}
