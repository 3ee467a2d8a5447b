import type { Store } from '../neo4j/store';

/**
 * Idempotent schema of the monitoring history, in the style of
 * neo4j/migrations.ts (one statement per transaction, IF NOT EXISTS). The
 * poller runs it before its first cycle; it may also be appended to MIGRATIONS.
 */
export const MONITOR_MIGRATIONS: readonly string[] = [
  'CREATE CONSTRAINT util_bucket_link_hour IF NOT EXISTS FOR (b:UtilBucket) REQUIRE (b.linkId, b.hour) IS UNIQUE',
  'CREATE CONSTRAINT util_day_link_day IF NOT EXISTS FOR (d:UtilDay) REQUIRE (d.linkId, d.day) IS UNIQUE',
  'CREATE INDEX util_bucket_day IF NOT EXISTS FOR (b:UtilBucket) ON (b.day)',
  'CREATE INDEX util_bucket_hour IF NOT EXISTS FOR (b:UtilBucket) ON (b.hour)',
  // Live pushes of other processes' cycles read the links judged since the last cycle they saw.
  'CREATE INDEX link_cycle_seq IF NOT EXISTS FOR (l:Link) ON (l.cycleSeq)',
];

const done = new WeakMap<Store, Promise<void>>();

/** Runs {@link MONITOR_MIGRATIONS} once per store (later calls share the first run; a failed run is retried). */
export function ensureMonitorSchema(store: Store): Promise<void> {
  let run = done.get(store);
  if (!run) {
    run = (async () => {
      for (const statement of MONITOR_MIGRATIONS) await store.write((tx) => tx.run(statement));
    })();
    run.catch(() => done.delete(store));
    done.set(store, run);
  }
  return run;
}
