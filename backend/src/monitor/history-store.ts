import neo4j, { type ManagedTransaction } from 'neo4j-driver';
import type { ComplianceReason, LinkDay, LinkKind, LinkSample, LinkStatus, LinkTier } from '@extranet/topology';

/**
 * The utilization history: each poll cycle appends one sample per link to its hour bucket,
 * `(:Link)-[:HAS_BUCKET]->(:UtilBucket {linkId, hour, day, at[], inBps[], outBps[], capacityMbps[]})` —
 * parallel arrays, one node per link-hour, so a day of 1-minute samples is 24 nodes, not 1440. Read
 * back, hour buckets become {@link LinkSample}s; daily rollups become {@link LinkDay}s.
 * Units: ms, bps, Mbps (0 = capacity unknown).
 */

/** One sample of a link's traffic, appended to its hour bucket. Units: ms, bps, Mbps (0 = unknown). */
export interface BucketSample {
  linkId: string;
  /** Start of the hour, ms. */
  hour: number;
  /** Calendar day in the history's UTC offset, `YYYY-MM-DD`. */
  day: string;
  at: number;
  inBps: number;
  outBps: number;
  capacityMbps: number;
}

/**
 * Step 4 of a poll cycle (cycle-store.ts): the samples appended to their link-hour buckets (parallel arrays, one node per link-hour). The
 * link is matched, and the bucket tied to it, only when the bucket is new (its first sample: once an hour
 * per link); the other 59 appends of the hour touch the bucket alone.
 *
 * The arrays hold integers (ms, bps rounded, Mbps): Neo4j packs an integer array in the bits its largest
 * value needs (41 for a time, 34 for 10 Gbps), a float array in 64 a value, and each append rewrites the
 * whole array — at the end of an hour, at national size, most of what a cycle writes. A bucket an earlier
 * version wrote with floats is turned to integers at its next append (a stored array holds one type).
 */
export async function appendSamples(tx: ManagedTransaction, samples: readonly BucketSample[]): Promise<void> {
  if (samples.length === 0) return;
  // Rows by position (neo4j/rows.ts): [linkId, hour, day, at, inBps, outBps, capacityMbps].
  const arrays = { at: 's[3]', inBps: 's[4]', outBps: 's[5]', capacityMbps: 's[6]' };
  const append = ([p, v]: [string, string]) =>
    `b.${p} = CASE WHEN valueType(b.${p}) STARTS WITH 'LIST<INTEGER' THEN b.${p} ELSE [x IN b.${p} | toInteger(round(x))] END + ${v}`;
  await tx.run(
    `UNWIND $samples AS s
     MERGE (b:UtilBucket {linkId: s[0], hour: s[1]})
       ON CREATE SET b.day = s[2], ${Object.entries(arrays)
         .map(([p, v]) => `b.${p} = [${v}]`)
         .join(', ')}
       ON MATCH SET ${Object.entries(arrays).map(append).join(', ')}
     WITH s, b WHERE size(b.at) = 1
     MATCH (l:Link {id: s[0]})
     MERGE (l)-[:HAS_BUCKET]->(b)`,
    {
      samples: samples.map((x) => [
        x.linkId,
        x.hour,
        x.day,
        neo4j.int(Math.round(x.at)),
        neo4j.int(Math.round(x.inBps)),
        neo4j.int(Math.round(x.outBps)),
        neo4j.int(Math.round(x.capacityMbps)),
      ]),
    },
  );
}

/** The stored arrays of one `(:UtilBucket)`. */
export interface BucketProps {
  at: number[];
  inBps: number[];
  outBps: number[];
  capacityMbps: number[];
}

export function bucketSamples(b: BucketProps): LinkSample[] {
  return b.at.map((at, i) => ({ at, inBps: b.inBps[i]!, outBps: b.outBps[i]!, capacityMbps: b.capacityMbps[i] ?? 0 }));
}

const HOUR_MS = 3_600_000;

/** Samples of one link with `from ≤ at < to`, ascending. */
export async function readSamples(tx: ManagedTransaction, linkId: string, from: number, to: number): Promise<LinkSample[]> {
  const r = await tx.run(
    `MATCH (:Link {id: $id})-[:HAS_BUCKET]->(b:UtilBucket)
     WHERE b.hour >= $fromHour AND b.hour < $to
     RETURN b {.at, .inBps, .outBps, .capacityMbps} AS b ORDER BY b.hour`,
    { id: linkId, fromHour: Math.floor(from / HOUR_MS) * HOUR_MS, to },
  );
  return r.records
    .flatMap((x) => bucketSamples(x.get('b') as BucketProps))
    .filter((s) => s.at >= from && s.at < to)
    .sort((p, q) => p.at - q.at);
}

/** Daily rollups of one link with `fromDay ≤ day ≤ toDay` (YYYY-MM-DD), ascending. */
export async function readDays(tx: ManagedTransaction, linkId: string, fromDay: string, toDay: string): Promise<LinkDay[]> {
  const r = await tx.run(
    `MATCH (:Link {id: $id})-[:HAS_DAY]->(d:UtilDay) WHERE d.day >= $fromDay AND d.day <= $toDay
     RETURN d {.*} AS d ORDER BY d.day`,
    { id: linkId, fromDay, toDay },
  );
  return r.records.map((x) => {
    const d = x.get('d') as Record<string, number> & { day: string };
    return {
      day: d.day,
      samples: d.samples!,
      in: { max: d.inMax!, avg: d.inAvg!, p95: d.inP95! },
      out: { max: d.outMax!, avg: d.outAvg!, p95: d.outP95! },
    };
  });
}

/** A link's plan properties and latest measured state, or undefined when there is no such link. */
export interface LinkMonitorRow {
  id: string;
  kind: LinkKind;
  tier: LinkTier;
  status: LinkStatus;
  targetMbps: number;
  contractedMbps: number | null;
  capacityMbps: number | null;
  operStatus: string | null;
  meetsTarget: boolean | null;
  reason: ComplianceReason | null;
  polledAt: number | null;
}

export async function readLinkRow(tx: ManagedTransaction, linkId: string): Promise<LinkMonitorRow | undefined> {
  const r = await tx.run(
    `MATCH (l:Link {id: $id})
     RETURN l {.id, .kind, .tier, .status, .targetMbps, .contractedMbps, .capacityMbps, .operStatus, .meetsTarget, .reason, .polledAt} AS l`,
    { id: linkId },
  );
  const l = r.records[0]?.get('l') as Record<string, unknown> | undefined;
  if (!l) return undefined;
  const n = <T>(v: unknown) => (v === undefined ? null : (v as T));
  return {
    id: l.id as string,
    kind: l.kind as LinkKind,
    tier: l.tier as LinkTier,
    status: l.status as LinkStatus,
    targetMbps: l.targetMbps as number,
    contractedMbps: n(l.contractedMbps),
    capacityMbps: n(l.capacityMbps),
    operStatus: n(l.operStatus),
    meetsTarget: n(l.meetsTarget),
    reason: n(l.reason),
    polledAt: n(l.polledAt),
  };
}
