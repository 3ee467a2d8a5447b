import os from 'node:os';

/**
 * The embedded Neo4j's page cache (`NEO4J_PAGECACHE`). Neo4j reads and writes the store through it;
 * a store bigger than the cache is read from the operating system at every miss, and evicted pages
 * are written back. Neo4j's guidance is a page cache of the store's size plus its growth. The
 * store grows with the utilization history (at national size ~0.4 GB before any history, and
 * several GB with a week of it), so a fixed small default slows every poll cycle as the days pass.
 *
 * `auto` (the default) sets the ceiling at a quarter of the machine's memory, at least 256 MB.
 * Neo4j takes the memory only as pages of the store are read (checked: a new store with an 8 GB
 * page cache starts at the same RSS as with 256 MB), so a Huizhou-sized store uses a few MB of it.
 * A size (`512m`, `4g`) fixes it: for a machine whose memory other services need.
 */

const MB = 1024 * 1024;
const PAGE_CACHE_FLOOR_MB = 256;

/** The page cache size to give Neo4j (`<n>m` or the size as set) for a `NEO4J_PAGECACHE` value. */
export function pageCacheSize(setting: string, totalMemBytes = os.totalmem()): string {
  if (setting !== 'auto') return setting;
  return `${Math.max(PAGE_CACHE_FLOOR_MB, Math.floor(totalMemBytes / 4 / MB))}m`;
}
