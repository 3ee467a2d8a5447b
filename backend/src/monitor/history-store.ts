import type { ManagedTransaction } from 'neo4j-driver';
import type { ComplianceReason, LinkDay, LinkKind, LinkSample, LinkStatus, LinkTier } from '@extranet/topology';

/**
 * Reading the utilization history back: hour buckets (parallel arrays, see
 * cycle-store.ts) become {@link LinkSample}s; daily rollups become {@link LinkDay}s.
 * Units: ms, bps, Mbps (0 = capacity unknown).
 */

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
