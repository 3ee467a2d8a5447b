import type { ManagedTransaction } from 'neo4j-driver';
import type { StoredPrefix } from '@extranet/topology';
import { ownerMatch } from './owner-store';
import { prefixProps, type NewPrefix } from './store';

/**
 * The bulk writes of a CSV import (csv.ts plans it in memory, then writes here):
 * the domains' prefixes read once, the containers it writes into locked, the
 * new tree and the moved prefixes written in batches of one statement each.
 */

/** Rows per statement of the bulk writes (a CSV import of up to 50,000 rows). */
const BATCH = 5_000;

function* batches<T>(items: readonly T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += BATCH) yield items.slice(i, i + BATCH);
}

/** Every prefix of the domains, as much as a bulk import plans with (no free lists). */
export async function prefixTree(tx: ManagedTransaction, vrfs: string[]): Promise<StoredPrefix[]> {
  const r = await tx.run(
    `MATCH (p:Prefix) WHERE p.vrf IN $vrfs
     RETURN p.vrf AS vrf, p.cidr AS cidr, p.status AS status, p.role AS role, p.pool AS pool, coalesce(p.description, '') AS description`,
    { vrfs },
  );
  return r.records.map((x) => x.toObject() as StoredPrefix);
}

/** Takes the write locks of many prefixes (held until commit) and returns their free lists, read under the lock. */
export async function lockPrefixes(
  tx: ManagedTransaction,
  keys: { vrf: string; cidr: string }[],
): Promise<{ vrf: string; cidr: string; free: string[] }[]> {
  // One order for every caller, so two bulk imports do not lock in opposite orders.
  const rows = [...keys].sort((a, b) => (a.vrf + ' ' + a.cidr < b.vrf + ' ' + b.cidr ? -1 : 1));
  const r = await tx.run(
    `UNWIND $rows AS x MATCH (p:Prefix {vrf: x.vrf, cidr: x.cidr}) SET p._lock = true REMOVE p._lock
     RETURN p.vrf AS vrf, p.cidr AS cidr, p.free AS free`,
    { rows },
  );
  return r.records.map((x) => x.toObject() as { vrf: string; cidr: string; free: string[] });
}

/**
 * Creates a tree of new prefixes, each under its parent (stored, or new in
 * the same call), with their owners: the nodes first, then the links, in
 * batches — so a parent exists whatever the order of the rows.
 */
export async function createPrefixTree(tx: ManagedTransaction, items: (NewPrefix & { parent: string })[], actor: string): Promise<void> {
  const rows = items.map(prefixProps);
  for (const batch of batches(rows)) {
    await tx.run(
      `UNWIND $rows AS x
       CREATE (:Prefix {vrf: x.vrf, cidr: x.cidr, family: x.family, length: x.length, startHex: x.startHex, endHex: x.endHex,
         status: x.status, role: x.role, pool: x.pool, description: x.description, requestKey: x.requestKey,
         free: x.free, used: x.used, size: x.size, createdAt: datetime(), createdBy: $actor})`,
      { rows: batch, actor },
    );
  }
  for (const batch of batches(rows)) {
    await tx.run(
      `UNWIND $rows AS x
       MATCH (n:Prefix {vrf: x.vrf, cidr: x.cidr}) MATCH (p:Prefix {vrf: x.vrf, cidr: x.parent}) CREATE (n)-[:IN]->(p)
       WITH n, x WHERE x.owner IS NOT NULL
       ${ownerMatch}`,
      { rows: batch },
    );
  }
}

/** Moves stored prefixes, each under its new parent (a container inserted above them). */
export async function movePrefixes(tx: ManagedTransaction, moves: { vrf: string; cidr: string; parent: string }[]): Promise<void> {
  for (const batch of batches(moves)) {
    await tx.run(
      `UNWIND $moves AS m
       MATCH (x:Prefix {vrf: m.vrf, cidr: m.cidr})-[r:IN]->(:Prefix) MATCH (n:Prefix {vrf: m.vrf, cidr: m.parent})
       DELETE r CREATE (x)-[:IN]->(n)`,
      { moves: batch },
    );
  }
}

/** Which of these site codes exist. */
export async function existingSiteCodes(tx: ManagedTransaction, codes: string[]): Promise<Set<string>> {
  if (!codes.length) return new Set();
  const r = await tx.run('UNWIND $codes AS c MATCH (s:Site {code: c}) RETURN s.code AS code', { codes });
  return new Set(r.records.map((x) => x.get('code') as string));
}
