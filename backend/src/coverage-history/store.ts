import type { CoverageSnapshot } from '@extranet/topology';
import type { ManagedTransaction } from 'neo4j-driver';
import { ensureSchema } from '../neo4j/migrations';
import type { Store } from '../neo4j/store';

/**
 * The Cypher of coverage over time. One `(:CoverageSnapshot {day})` per calendar
 * day with the overall and per-tier figures as flat properties
 * (`tiers.township.total`, …), and `(:CoverageSnapshot)-[:HAS_COUNTY]->(:CountySnapshot
 * {day, code, ord})` per county-level unit (`ord` keeps the plan's order).
 * Snapshots are small (≈ 40 properties + one node per county-level unit), so
 * 400 days of Huizhou are a few thousand nodes.
 */

export const COVERAGE_HISTORY_MIGRATIONS: readonly string[] = [
  'CREATE CONSTRAINT coverage_snapshot_day IF NOT EXISTS FOR (s:CoverageSnapshot) REQUIRE s.day IS UNIQUE',
  'CREATE INDEX county_snapshot_day IF NOT EXISTS FOR (c:CountySnapshot) ON (c.day)',
];

/** Creates {@link COVERAGE_HISTORY_MIGRATIONS} once per store (neo4j/migrations.ts `ensureSchema`). */
export function ensureCoverageHistorySchema(store: Store): Promise<void> {
  return ensureSchema(store, COVERAGE_HISTORY_MIGRATIONS);
}

type Flat = Record<string, string | number | boolean>;

/** `{a: {b: 1}}` → `{'a.b': 1}` (Neo4j properties are scalars). */
function flatten(value: Record<string, unknown>, prefix = '', out: Flat = {}): Flat {
  for (const [k, v] of Object.entries(value)) {
    if (v !== null && typeof v === 'object') flatten(v as Record<string, unknown>, `${prefix}${k}.`, out);
    else out[`${prefix}${k}`] = v as string | number | boolean;
  }
  return out;
}

function unflatten(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(flat)) {
    const parts = key.split('.');
    let at = out;
    for (const p of parts.slice(0, -1)) at = (at[p] ??= {}) as Record<string, unknown>;
    at[parts.at(-1)!] = v;
  }
  return out;
}

/** The latest day that has a snapshot, or null. */
export async function latestSnapshotDay(tx: ManagedTransaction): Promise<string | null> {
  const r = await tx.run('MATCH (s:CoverageSnapshot) RETURN max(s.day) AS day');
  return (r.records[0]?.get('day') as string | null) ?? null;
}

/**
 * Writes the snapshot of its day unless that day has one already (idempotent per
 * day: the first snapshot of a day stands).
 * @returns true when written
 */
export async function writeSnapshot(tx: ManagedTransaction, snap: CoverageSnapshot): Promise<boolean> {
  const { counties, day, ...figures } = snap;
  const old = await tx.run('MATCH (s:CoverageSnapshot {day: $day}) RETURN count(s) AS n', { day });
  if (Number(old.records[0]?.get('n') ?? 0) > 0) return false;
  // Two processes racing for the same day: the unique constraint fails the second transaction.
  await tx.run(
    `CREATE (s:CoverageSnapshot {day: $day}) SET s += $props
     WITH s
     UNWIND $counties AS c
     CREATE (s)-[:HAS_COUNTY]->(k:CountySnapshot {day: $day}) SET k += c`,
    { day, props: flatten(figures), counties: counties.map((c, ord) => ({ ...flatten(c), ord })) },
  );
  return true;
}

/** The snapshots from `from` to `to` (inclusive, `YYYY-MM-DD`), oldest first, counties in the plan's order. */
export async function readSnapshots(tx: ManagedTransaction, from: string, to: string): Promise<CoverageSnapshot[]> {
  const r = await tx.run(
    `MATCH (s:CoverageSnapshot) WHERE s.day >= $from AND s.day <= $to
     OPTIONAL MATCH (s)-[:HAS_COUNTY]->(c:CountySnapshot)
     WITH s, c ORDER BY c.ord
     WITH s, collect(properties(c)) AS counties
     RETURN properties(s) AS s, counties ORDER BY s.day`,
    { from, to },
  );
  return r.records.map((x) => {
    const counties = (x.get('counties') as Array<Record<string, unknown>>).map((c) => {
      const { ord: _ord, day: _day, ...rest } = c;
      return unflatten(rest);
    });
    return { ...unflatten(x.get('s') as Record<string, unknown>), counties } as unknown as CoverageSnapshot;
  });
}

/** Deletes the snapshots of days before `before` with their county rows; the number of days deleted. */
export async function pruneSnapshots(tx: ManagedTransaction, before: string): Promise<number> {
  const r = await tx.run(
    `MATCH (s:CoverageSnapshot) WHERE s.day < $before
     OPTIONAL MATCH (s)-[:HAS_COUNTY]->(c:CountySnapshot)
     WITH s, collect(c) AS cs
     FOREACH (c IN cs | DETACH DELETE c)
     DETACH DELETE s
     RETURN count(s) AS n`,
    { before },
  );
  return Number(r.records[0]?.get('n') ?? 0);
}
