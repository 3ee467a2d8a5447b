import { calendarDay, linkDays, type LinkSample } from '@extranet/topology';
import type { Store } from '../neo4j/store';
import { bucketSamples, type BucketProps } from './history-store';
import { bucketsOfDay, deleteOldBuckets, deleteOldDays, unrolledDays, writeDaySummaries, type UtilDayRow } from './retention-store';

/**
 * The daily maintenance of the utilization history:
 * 1. **rollup** — every finished calendar day (UTC+8 by default; finished = ended
 *    more than {@link ROLLUP_GRACE_MS} ago) that still has
 *    raw hour buckets not rolled up is summarised per link into
 *    `(:Link)-[:HAS_DAY]->(:UtilDay {linkId, day, samples, inMax, inAvg, inP95,
 *    outMax, outAvg, outP95})` (bps), one write transaction per day, and its
 *    buckets are marked `rolled`;
 * 2. **prune** — hour buckets older than `retentionDays` and day summaries older
 *    than `rollupRetentionDays` are deleted, in batches.
 * Idempotent: running it twice, or from two shards, changes nothing more.
 */
export interface RetentionOptions {
  /** ms since the epoch (injected). */
  now: number;
  /** Raw samples kept, days. Env HISTORY_RETENTION_DAYS, default 35. */
  retentionDays: number;
  /** Daily summaries kept, days. Env HISTORY_ROLLUP_RETENTION_DAYS, default 400. */
  rollupRetentionDays: number;
  /** Day boundary, minutes east of UTC. Default 480 (China Standard Time). */
  utcOffsetMinutes: number;
}

export interface RetentionResult {
  /** Link-days summarised. */
  daysRolledUp: number;
  bucketsDeleted: number;
  daysDeleted: number;
}

const DAY_MS = 86_400_000;
const DELETE_BATCH = 5000;

/**
 * A day is rolled up only once this long has passed after its end (ms), so the
 * last samples of the day — written by a slower shard's cycle a few seconds
 * after midnight — are in its summary. 15 min.
 */
export const ROLLUP_GRACE_MS = 900_000;

/** The calendar day whose predecessors are final at `now`: today, once the grace period after midnight has passed. */
export function rollupDay(now: number, utcOffsetMinutes: number): string {
  return calendarDay(now - ROLLUP_GRACE_MS, utcOffsetMinutes);
}

export async function rollupAndPrune(store: Store, opts: RetentionOptions): Promise<RetentionResult> {
  const today = rollupDay(opts.now, opts.utcOffsetMinutes);
  const result: RetentionResult = { daysRolledUp: 0, bucketsDeleted: 0, daysDeleted: 0 };

  const days = await store.read((tx) => unrolledDays(tx, today));
  for (const day of days) {
    result.daysRolledUp += await store.write(async (tx) => {
      const rows = summarizeDay(await bucketsOfDay(tx, day), day, opts.utcOffsetMinutes);
      await writeDaySummaries(tx, day, rows);
      return rows.length;
    });
  }

  const bucketCutoff = opts.now - opts.retentionDays * DAY_MS;
  for (;;) {
    const n = await store.write((tx) => deleteOldBuckets(tx, bucketCutoff, DELETE_BATCH));
    result.bucketsDeleted += n;
    if (n < DELETE_BATCH) break;
  }
  const dayCutoff = calendarDay(opts.now - opts.rollupRetentionDays * DAY_MS, opts.utcOffsetMinutes);
  result.daysDeleted = await store.write((tx) => deleteOldDays(tx, dayCutoff));
  return result;
}

/** One day's summary per link from its hour buckets (pure). */
export function summarizeDay(
  perLink: Array<{ linkId: string; buckets: BucketProps[] }>,
  day: string,
  utcOffsetMinutes: number,
): UtilDayRow[] {
  return perLink.flatMap(({ linkId, buckets }) => {
    const samples: LinkSample[] = buckets.flatMap(bucketSamples);
    return linkDays(samples, { utcOffsetMinutes })
      .filter((d) => d.day === day)
      .map((d) => ({
        linkId,
        day,
        samples: d.samples,
        inMax: d.in.max,
        inAvg: d.in.avg,
        inP95: d.in.p95,
        outMax: d.out.max,
        outAvg: d.out.avg,
        outP95: d.out.p95,
      }));
  });
}
