import { randomUUID } from 'node:crypto';
import neo4j, { type ManagedTransaction } from 'neo4j-driver';
import type { IpamEventInput } from './event-store';
import { ownerMatch, ownerProjection, type OwnerRef } from './owner-store';
import { DomainError, encodeFree, formatPrefix, parsePrefix, rangeKeys, size, type LookupResult, type Prefix } from '@extranet/topology';

/**
 * Cypher of the address space. Prefix nodes:
 * `(:Prefix {vrf, cidr, family, length, startHex, endHex, status, role, pool,
 *  description, free: [cidr…], used: "decimal", size: "decimal", requestKey?})-[:IN]->(:Prefix)`
 * and `(:Prefix)-[:FOR]->(:Site|:Link|:Interface|:Device)`. Every prefix lies
 * IN its smallest container, so a prefix's children are all it holds.
 * History entries are event-store.ts's, except the ones an allocation writes
 * in its own statement ({@link writeAllocation}).
 */

export type PrefixStatus = 'container' | 'active' | 'reserved' | 'deprecated';

export interface PrefixRow {
  vrf: string;
  cidr: string;
  family: 4 | 6;
  length: number;
  status: PrefixStatus;
  role: string;
  pool: string;
  description: string;
  free: string[];
  used: string;
  size: string;
  requestKey: string | null;
  parent: string | null;
  owner: OwnerRef | null;
  createdAt: string;
  createdBy: string;
}

const rowProjection = `p {.vrf, .cidr, .family, .length, .status, .role, .pool, .description, .free, .used, .size, .requestKey,
  .createdBy, createdAt: toString(p.createdAt),
  parent: head([(p)-[:IN]->(q:Prefix) | q.cidr]),
  owner: head([(p)-[:FOR]->(o) | ${ownerProjection('o')}])}`;

/** A record's `rowProjection` map (the driver types record values as any) as a PrefixRow. */
function toRow(value: unknown): PrefixRow {
  const x = value as Record<string, unknown>;
  return { ...(x as unknown as PrefixRow), requestKey: (x.requestKey as string) ?? null, description: (x.description as string) ?? '' };
}

/**
 * Takes the prefix's write lock (held until commit) and returns it. This is
 * the per-parent lock: two allocations in one parent serialize here, in any
 * number of processes; allocations in different parents do not wait.
 */
export async function lockPrefix(tx: ManagedTransaction, vrf: string, cidr: string): Promise<PrefixRow | undefined> {
  const r = await tx.run(`MATCH (p:Prefix {vrf: $vrf, cidr: $cidr}) SET p._lock = true REMOVE p._lock RETURN ${rowProjection} AS p`, {
    vrf,
    cidr,
  });
  const rec = r.records[0];
  return rec ? toRow(rec.get('p')) : undefined;
}

export async function getPrefix(tx: ManagedTransaction, vrf: string, cidr: string): Promise<PrefixRow | undefined> {
  const r = await tx.run(`MATCH (p:Prefix {vrf: $vrf, cidr: $cidr}) RETURN ${rowProjection} AS p`, { vrf, cidr });
  const rec = r.records[0];
  return rec ? toRow(rec.get('p')) : undefined;
}

/** The deepest prefix of `vrf` that strictly contains `p`. */
export async function findContainer(tx: ManagedTransaction, vrf: string, p: Prefix): Promise<PrefixRow | undefined> {
  const { startHex, endHex } = rangeKeys(p);
  const r = await tx.run(
    `MATCH (p:Prefix {vrf: $vrf, family: $family}) WHERE p.startHex <= $startHex AND p.endHex >= $endHex AND p.length < $length
     RETURN ${rowProjection} AS p ORDER BY p.length DESC LIMIT 1`,
    { vrf, family: p.family, startHex, endHex, length: p.length },
  );
  const rec = r.records[0];
  return rec ? toRow(rec.get('p')) : undefined;
}

/** Children of a prefix (CIDR strings), in address order. */
export async function childCidrs(tx: ManagedTransaction, vrf: string, cidr: string): Promise<{ cidr: string; status: string }[]> {
  const r = await tx.run(
    `MATCH (:Prefix {vrf: $vrf, cidr: $cidr})<-[:IN]-(c:Prefix) RETURN c.cidr AS cidr, c.status AS status ORDER BY c.startHex`,
    { vrf, cidr },
  );
  return r.records.map((x) => ({ cidr: x.get('cidr') as string, status: x.get('status') as string }));
}

export interface NewPrefix {
  vrf: string;
  /** Containing prefix (CIDR) or null for a root. */
  parent: string | null;
  prefix: Prefix;
  status: PrefixStatus;
  role: string;
  pool: string;
  description: string;
  requestKey?: string | null;
  /** Free list of the new prefix (itself when it has no children). */
  free?: Prefix[];
  owner?: OwnerRef | null;
}

/** The stored properties of a new prefix: its range keys, its free list and the counters derived from it. */
export function prefixProps(x: NewPrefix) {
  const free = x.free ?? [x.prefix];
  return {
    vrf: x.vrf,
    parent: x.parent,
    cidr: formatPrefix(x.prefix),
    family: x.prefix.family,
    length: x.prefix.length,
    ...rangeKeys(x.prefix),
    status: x.status,
    role: x.role,
    pool: x.pool,
    description: x.description,
    requestKey: x.requestKey ?? null,
    free: encodeFree(free),
    used: (size(x.prefix) - free.reduce((n, b) => n + size(b), 0n)).toString(),
    size: size(x.prefix).toString(),
    owner: x.owner ?? null,
  };
}

/** Creates prefixes (each under its parent, or as a root), with their owners, in one statement. */
export async function createPrefixes(tx: ManagedTransaction, items: NewPrefix[], actor: string): Promise<void> {
  if (!items.length) return;
  const rows = items.map(prefixProps);
  await tx.run(
    `UNWIND $rows AS x
     CREATE (n:Prefix {vrf: x.vrf, cidr: x.cidr, family: x.family, length: x.length, startHex: x.startHex, endHex: x.endHex,
       status: x.status, role: x.role, pool: x.pool, description: x.description, requestKey: x.requestKey,
       free: x.free, used: x.used, size: x.size, createdAt: datetime(), createdBy: $actor})
     WITH n, x
     CALL (n, x) { MATCH (p:Prefix {vrf: x.vrf, cidr: x.parent}) CREATE (n)-[:IN]->(p) }
     WITH n, x WHERE x.owner IS NOT NULL
     ${ownerMatch}`,
    { rows, actor },
  );
}

/**
 * The write half of one allocation, in ONE statement (one round trip): the
 * parent's new free list, the new children with their owner, and one history
 * entry each; returns the new rows. The caller already holds the parent's lock.
 */
export async function writeAllocation(
  tx: ManagedTransaction,
  a: {
    vrf: string;
    parent: Prefix;
    free: Prefix[];
    children: Omit<NewPrefix, 'vrf' | 'parent'>[];
    actor: string;
    event: Omit<IpamEventInput, 'vrf' | 'cidr' | 'actor'>;
  },
): Promise<PrefixRow[]> {
  const used = size(a.parent) - a.free.reduce((n, b) => n + size(b), 0n);
  const rows = a.children.map((x) => ({
    cidr: formatPrefix(x.prefix),
    family: x.prefix.family,
    length: x.prefix.length,
    ...rangeKeys(x.prefix),
    status: x.status,
    role: x.role,
    pool: x.pool,
    description: x.description,
    requestKey: x.requestKey ?? null,
    free: encodeFree([x.prefix]),
    size: size(x.prefix).toString(),
    owner: x.owner ?? null,
    eventId: randomUUID(),
  }));
  const r = await tx.run(
    `MATCH (p:Prefix {vrf: $vrf, cidr: $parent})
     SET p.free = $free, p.used = $used
     WITH p
     UNWIND $rows AS x
     CREATE (n:Prefix {vrf: $vrf, cidr: x.cidr, family: x.family, length: x.length, startHex: x.startHex, endHex: x.endHex,
       status: x.status, role: x.role, pool: x.pool, description: x.description, requestKey: x.requestKey,
       free: x.free, used: '0', size: x.size, createdAt: datetime(), createdBy: $actor})-[:IN]->(p)
     CREATE (e:IpamEvent {id: x.eventId, at: datetime(), actor: $actor, action: $action, vrf: $vrf, cidr: x.cidr,
       reason: $reason, status: x.status, role: x.role})
     WITH n, e, x
     CALL (e) { UNWIND $sites AS code MATCH (s:Site {code: code}) CREATE (e)-[:ABOUT]->(s) }
     CALL (n, x) { WITH n, x WHERE x.owner IS NOT NULL ${ownerMatch} }
     WITH n AS p ORDER BY p.startHex
     RETURN ${rowProjection} AS p`,
    {
      vrf: a.vrf,
      parent: formatPrefix(a.parent),
      free: encodeFree(a.free),
      used: used.toString(),
      rows,
      actor: a.actor,
      action: a.event.action,
      reason: a.event.reason,
      sites: a.event.sites,
    },
  );
  return r.records.map((x) => toRow(x.get('p')));
}

/** Stores prefixes' new free lists (and the used counts derived from them). */
export async function setFree(tx: ManagedTransaction, updates: { vrf: string; prefix: Prefix; free: Prefix[] }[]): Promise<void> {
  if (!updates.length) return;
  const rows = updates.map((u) => ({
    vrf: u.vrf,
    cidr: formatPrefix(u.prefix),
    free: encodeFree(u.free),
    used: (size(u.prefix) - u.free.reduce((n, b) => n + size(b), 0n)).toString(),
  }));
  await tx.run('UNWIND $rows AS x MATCH (p:Prefix {vrf: x.vrf, cidr: x.cidr}) SET p.free = x.free, p.used = x.used', { rows });
}

/** Moves existing prefixes under a new parent (a container inserted above them). */
export async function reparent(tx: ManagedTransaction, vrf: string, cidrs: string[], newParent: string): Promise<void> {
  await tx.run(
    `MATCH (n:Prefix {vrf: $vrf, cidr: $parent})
     UNWIND $cidrs AS c MATCH (x:Prefix {vrf: $vrf, cidr: c})-[r:IN]->(:Prefix) DELETE r CREATE (x)-[:IN]->(n)`,
    { vrf, cidrs, parent: newParent },
  );
}

/** Deletes prefixes (the caller has recorded them in the history first). */
export async function deletePrefixes(tx: ManagedTransaction, vrf: string, cidrs: string[]): Promise<void> {
  await tx.run('UNWIND $cidrs AS c MATCH (p:Prefix {vrf: $vrf, cidr: c}) DETACH DELETE p', { vrf, cidrs });
}

/** All descendants of a prefix, deepest first. */
export async function descendants(tx: ManagedTransaction, vrf: string, cidr: string): Promise<PrefixRow[]> {
  const r = await tx.run(
    `MATCH (:Prefix {vrf: $vrf, cidr: $cidr})<-[:IN*1..]-(p:Prefix) RETURN ${rowProjection} AS p ORDER BY p.length DESC`,
    { vrf, cidr },
  );
  return r.records.map((x) => toRow(x.get('p')));
}

/**
 * Claims a request key in its domain: creates its `(:RequestKey {vrf, key})`,
 * unique per (vrf, key) in the database. A second allocation with the same key
 * waits here until the first commits, then fails — so one key cannot be used
 * on two parents at once, whatever each transaction saw before.
 *
 * @throws DomainError `IDEMPOTENCY_CONFLICT` when the key is taken (by another transaction meanwhile).
 */
export async function claimRequestKey(tx: ManagedTransaction, vrf: string, key: string): Promise<void> {
  try {
    await tx.run('CREATE (:RequestKey {vrf: $vrf, key: $key, at: datetime()})', { vrf, key });
  } catch (e) {
    if ((e as { code?: string }).code !== 'Neo.ClientError.Schema.ConstraintValidationFailed') throw e;
    throw new DomainError('IDEMPOTENCY_CONFLICT', `request key ${key} is in use in ${vrf} by another request`, {
      field: 'requestKey',
      hint: 'use a new key for a new request; retry the same request to get its result',
    });
  }
}

/** Drops the request keys of a domain that no prefix carries any more (after a release), so they may be used again. */
export async function dropUnusedRequestKeys(tx: ManagedTransaction, vrf: string, keys: string[]): Promise<void> {
  if (!keys.length) return;
  await tx.run(
    `UNWIND $keys AS key MATCH (k:RequestKey {vrf: $vrf, key: key})
     WHERE NOT EXISTS { MATCH (p:Prefix {vrf: $vrf, requestKey: key}) } DELETE k`,
    { vrf, keys },
  );
}

export async function byRequestKey(tx: ManagedTransaction, key: string): Promise<PrefixRow[]> {
  // Ordered on the node: the projected row has no startHex.
  const r = await tx.run(`MATCH (p:Prefix {requestKey: $key}) WITH p ORDER BY p.startHex RETURN ${rowProjection} AS p`, { key });
  return r.records.map((x) => toRow(x.get('p')));
}

/** Which prefixes {@link findPrefixes} returns; absent fields match everything. */
export interface PrefixFilter {
  vrf?: string;
  family?: 4 | 6;
  status?: string;
  role?: string;
  /** Children of this prefix (CIDR). */
  parent?: string;
  /** Prefixes for this site, or for a link with an end at it. */
  site?: string;
  /** Default 10 000. */
  limit?: number;
}

/** Prefixes matching a filter, in address order (domain, family, start, length). */
export async function findPrefixes(tx: ManagedTransaction, f: PrefixFilter): Promise<PrefixRow[]> {
  const r = await tx.run(
    `MATCH (p:Prefix)
     WHERE ($vrf IS NULL OR p.vrf = $vrf) AND ($family IS NULL OR p.family = $family) AND ($status IS NULL OR p.status = $status)
       AND ($role IS NULL OR p.role = $role)
       AND ($parent IS NULL OR EXISTS { (p)-[:IN]->(:Prefix {cidr: $parent}) })
       AND ($site IS NULL OR EXISTS { (p)-[:FOR]->(:Site {code: $site}) } OR EXISTS { (p)-[:FOR]->(:Link)-[:END]->(:Interface)<-[:HAS]-(:Device)-[:AT]->(:Site {code: $site}) })
     WITH p ORDER BY p.vrf, p.family, p.startHex, p.length LIMIT $limit
     RETURN ${rowProjection} AS p`,
    {
      vrf: f.vrf ?? null,
      family: f.family ?? null,
      status: f.status ?? null,
      role: f.role ?? null,
      parent: f.parent ?? null,
      site: f.site ?? null,
      limit: neo4j.int(f.limit ?? 10_000),
    },
  );
  return r.records.map((x) => toRow(x.get('p')));
}

/**
 * The prefixes that hold an address (`host`, a /32 or /128), most specific
 * first, in `vrf` or in every domain, each with its owner in detail
 * ({@link ownerProjection}); a link's end sites may repeat.
 */
export async function prefixesHolding(tx: ManagedTransaction, host: Prefix, vrf?: string): Promise<LookupResult['matches']> {
  const r = await tx.run(
    `MATCH (p:Prefix {family: $family}) WHERE ($vrf IS NULL OR p.vrf = $vrf) AND p.startHex <= $hex AND p.endHex >= $hex
     OPTIONAL MATCH (p)-[:FOR]->(o)
     RETURN p.vrf AS vrf, p.cidr AS cidr, p.length AS length, p.status AS status, p.role AS role,
       ${ownerProjection('o', { detail: true })} AS owner
     ORDER BY length DESC`,
    { family: host.family, vrf: vrf ?? null, hex: rangeKeys(host).startHex },
  );
  return r.records.map((x) => x.toObject() as LookupResult['matches'][number]);
}

/**
 * Takes the write lock of every prefix of the domains that can hold others
 * (all but single addresses), held until commit: provisioning's lock, so no
 * allocation in those domains interleaves with it.
 */
export async function lockDomains(tx: ManagedTransaction, vrfs: string[]): Promise<void> {
  await tx.run(
    'MATCH (p:Prefix) WHERE p.vrf IN $vrfs AND p.length < CASE p.family WHEN 4 THEN 32 ELSE 128 END SET p._lock = true REMOVE p._lock',
    { vrfs },
  );
}

/** A prefix as provisioning holds it in memory. */
export interface DomainPrefix {
  vrf: string;
  cidr: string;
  free: string[];
  pool: string;
  role: string;
  owner: OwnerRef | null;
  /** A root block (no parent). */
  isRoot: boolean;
}

/** Every prefix of the domains, with its free list and owner. */
export async function domainPrefixes(tx: ManagedTransaction, vrfs: string[]): Promise<DomainPrefix[]> {
  const r = await tx.run(
    `MATCH (p:Prefix) WHERE p.vrf IN $vrfs
     RETURN p.vrf AS vrf, p.cidr AS cidr, p.free AS free, p.pool AS pool, p.role AS role, NOT EXISTS { (p)-[:IN]->() } AS isRoot,
       head([(p)-[:FOR]->(o) | ${ownerProjection('o')}]) AS owner`,
    { vrfs },
  );
  return r.records.map((x) => ({ ...(x.toObject() as DomainPrefix), owner: (x.get('owner') as OwnerRef | null) ?? null }));
}

export function prefixOf(row: Pick<PrefixRow, 'cidr'>): Prefix {
  return parsePrefix(row.cidr);
}
