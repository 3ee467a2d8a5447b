import { ensureSchema } from '../neo4j/migrations';
import type { Store } from '../neo4j/store';

/**
 * Idempotent schema of the monitoring history, in the style of
 * neo4j/migrations.ts (named, IF NOT EXISTS). The poller creates it before its
 * first cycle.
 */
export const MONITOR_MIGRATIONS: readonly string[] = [
  'CREATE CONSTRAINT util_bucket_link_hour IF NOT EXISTS FOR (b:UtilBucket) REQUIRE (b.linkId, b.hour) IS UNIQUE',
  'CREATE CONSTRAINT util_day_link_day IF NOT EXISTS FOR (d:UtilDay) REQUIRE (d.linkId, d.day) IS UNIQUE',
  'CREATE INDEX util_bucket_day IF NOT EXISTS FOR (b:UtilBucket) ON (b.day)',
  'CREATE INDEX util_bucket_hour IF NOT EXISTS FOR (b:UtilBucket) ON (b.hour)',
  // Live pushes of other processes' cycles read the links judged since the last cycle they saw.
  'CREATE INDEX link_cycle_seq IF NOT EXISTS FOR (l:Link) ON (l.cycleSeq)',
];

/** Creates {@link MONITOR_MIGRATIONS} once per store (neo4j/migrations.ts `ensureSchema`). */
export function ensureMonitorSchema(store: Store): Promise<void> {
  return ensureSchema(store, MONITOR_MIGRATIONS);
}
