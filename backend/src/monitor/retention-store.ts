import type { ManagedTransaction } from 'neo4j-driver';
import neo4j from 'neo4j-driver';
import type { BucketProps } from './history-store';

/** The Cypher of the history's daily maintenance (retention.ts decides what; this reads and writes it). */

/** Days before `today` with hour buckets not rolled up yet, ascending. */
export async function unrolledDays(tx: ManagedTransaction, today: string): Promise<string[]> {
  const r = await tx.run('MATCH (b:UtilBucket) WHERE b.day < $today AND b.rolled IS NULL RETURN DISTINCT b.day AS day ORDER BY day', {
    today,
  });
  return r.records.map((x) => x.get('day') as string);
}

/** The not-rolled-up hour buckets of one day, per link. */
export async function bucketsOfDay(tx: ManagedTransaction, day: string): Promise<Array<{ linkId: string; buckets: BucketProps[] }>> {
  const r = await tx.run(
    `MATCH (b:UtilBucket {day: $day}) WHERE b.rolled IS NULL
     RETURN b.linkId AS linkId, collect(b {.at, .inBps, .outBps, .capacityMbps}) AS buckets`,
    { day },
  );
  return r.records.map((x) => ({ linkId: x.get('linkId') as string, buckets: x.get('buckets') as BucketProps[] }));
}

/** One day's summary per link (bps). */
export interface UtilDayRow {
  linkId: string;
  day: string;
  samples: number;
  inMax: number;
  inAvg: number;
  inP95: number;
  outMax: number;
  outAvg: number;
  outP95: number;
}

/** Writes the day summaries (idempotent: an existing summary is kept) and marks the day's buckets rolled up. */
export async function writeDaySummaries(tx: ManagedTransaction, day: string, rows: UtilDayRow[]): Promise<void> {
  await tx.run(
    `UNWIND $rows AS x
     MATCH (l:Link {id: x.linkId})
     MERGE (d:UtilDay {linkId: x.linkId, day: x.day})
       ON CREATE SET d += x
     MERGE (l)-[:HAS_DAY]->(d)`,
    { rows },
  );
  await tx.run('MATCH (b:UtilBucket {day: $day}) WHERE b.rolled IS NULL SET b.rolled = true', { day });
}

/** Deletes up to `batch` hour buckets older than `cutoff` (ms); returns how many. */
export async function deleteOldBuckets(tx: ManagedTransaction, cutoff: number, batch: number): Promise<number> {
  const r = await tx.run('MATCH (b:UtilBucket) WHERE b.hour < $cutoff WITH b LIMIT $batch DETACH DELETE b RETURN count(*) AS n', {
    cutoff,
    batch: neo4j.int(batch),
  });
  return r.records[0]?.get('n') as number;
}

/** Deletes day summaries before `cutoff` (YYYY-MM-DD); returns how many. */
export async function deleteOldDays(tx: ManagedTransaction, cutoff: string): Promise<number> {
  const r = await tx.run('MATCH (d:UtilDay) WHERE d.day < $cutoff DETACH DELETE d RETURN count(*) AS n', { cutoff });
  return r.records[0]?.get('n') as number;
}
