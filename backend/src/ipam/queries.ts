import {
  type IpamEvent,
  type LookupResult,
  DomainError, decodeFree, formatPrefix, parseAddress, parsePrefix, rangeKeys, summarizeFree, utilization, type Prefix,
} from '@extranet/topology';
import neo4j, { type ManagedTransaction } from 'neo4j-driver';
import type { Store } from '../neo4j/store';
import { childCidrs, getPrefix, ownerProjection, prefixOf, type PrefixRow } from './store';

/** Read-only views of the address space: list, free blocks, utilization, owner lookup, history. */

export async function getPrefixOrThrow(store: Store, vrf: string, cidr: string): Promise<PrefixRow> {
  return store.read((tx) => prefixOrThrow(tx, vrf, cidr));
}

async function prefixOrThrow(tx: ManagedTransaction, vrf: string, cidr: string): Promise<PrefixRow> {
  const c = formatPrefix(parsePrefix(cidr, { field: 'cidr' }));
  const row = await getPrefix(tx, vrf, c);
  if (!row) throw new DomainError('NOT_FOUND', `no prefix ${c} in domain ${vrf}`, { field: 'cidr' });
  return row;
}

export interface PrefixFilter {
  vrf?: string;
  family?: 4 | 6;
  status?: string;
  role?: string;
  parent?: string;
  site?: string;
  limit?: number;
}

export async function listPrefixes(store: Store, f: PrefixFilter): Promise<PrefixRow[]> {
  return store.read(async (tx) => {
    const r = await tx.run(
      `MATCH (p:Prefix)
       WHERE ($vrf IS NULL OR p.vrf = $vrf) AND ($family IS NULL OR p.family = $family) AND ($status IS NULL OR p.status = $status)
         AND ($role IS NULL OR p.role = $role)
         AND ($parent IS NULL OR EXISTS { (p)-[:IN]->(:Prefix {cidr: $parent}) })
         AND ($site IS NULL OR EXISTS { (p)-[:FOR]->(:Site {code: $site}) } OR EXISTS { (p)-[:FOR]->(:Link)-[:END]->(:Interface)<-[:HAS]-(:Device)-[:AT]->(:Site {code: $site}) })
       RETURN p.vrf AS vrf, p.cidr AS cidr ORDER BY p.vrf, p.family, p.startHex, p.length LIMIT $limit`,
      { vrf: f.vrf ?? null, family: f.family ?? null, status: f.status ?? null, role: f.role ?? null, parent: f.parent ?? null, site: f.site ?? null, limit: neo4j.int(f.limit ?? 10000) },
    );
    const rows = await Promise.all(r.records.map((x) => getPrefix(tx, x.get('vrf') as string, x.get('cidr') as string)));
    return rows.filter((x): x is PrefixRow => x !== undefined);
  });
}

/** Free blocks of a prefix, from its stored free list (no recomputation). */
export async function freeOf(store: Store, vrf: string, cidr: string, minLength?: number) {
  const row = await getPrefixOrThrow(store, vrf, cidr);
  const free = decodeFree(row.free).filter((b) => minLength === undefined || b.length <= minLength);
  const s = summarizeFree(decodeFree(row.free));
  return {
    vrf, cidr: row.cidr, free: free.map(formatPrefix), freeAddresses: s.free.toString(),
    largestFreeBlock: s.largestFreeBlock ? formatPrefix(s.largestFreeBlock) : null,
  };
}

/**
 * Utilization of a prefix by topology's one rule ({@link utilization}): the
 * units its children touch, in units of `unitLength` (default
 * topology's `defaultUnitLength`: /64 for IPv6 prefixes shorter than /64, else single
 * addresses), exact BigInt as decimal strings; beside it the stored address
 * counters (`used`, `size`, maintained with every change).
 */
export async function utilizationOf(store: Store, vrf: string, cidr: string, unitLength?: number) {
  const { row, children } = await store.read(async (tx) => {
    const row = await prefixOrThrow(tx, vrf, cidr);
    return { row, children: await childCidrs(tx, vrf, row.cidr) };
  });
  const u = utilization(prefixOf(row), children.map((x) => parsePrefix(x.cidr)), { ...(unitLength !== undefined && { unitLength }), field: 'unit' });
  return {
    vrf, cidr: row.cidr, unit: `/${u.unitLength}`, usedUnits: u.used.toString(), totalUnits: u.total.toString(), percent: u.percent,
    usedAddresses: row.used, totalAddresses: row.size, children: children.length,
  };
}

/** Which prefixes hold an address (most specific first), and the site, link, interface or device they are for. */
export async function lookupAddress(store: Store, address: string, vrf?: string): Promise<LookupResult> {
  const a = parseAddress(address, { field: 'address' });
  const host: Prefix = { family: a.family, start: a.value, length: a.family === 4 ? 32 : 128 };
  const { startHex } = rangeKeys(host);
  return store.read(async (tx) => {
    const r = await tx.run(
      `MATCH (p:Prefix {family: $family}) WHERE ($vrf IS NULL OR p.vrf = $vrf) AND p.startHex <= $hex AND p.endHex >= $hex
       OPTIONAL MATCH (p)-[:FOR]->(o)
       RETURN p.vrf AS vrf, p.cidr AS cidr, p.length AS length, p.status AS status, p.role AS role,
         ${ownerProjection('o', { detail: true })} AS owner
       ORDER BY length DESC`,
      { family: a.family, vrf: vrf ?? null, hex: startHex },
    );
    const matches = r.records.map((x) => {
      const m = x.toObject() as LookupResult['matches'][number];
      if (m.owner?.sites) m.owner.sites = [...new Set(m.owner.sites)].sort();
      return m;
    });
    return { address: formatPrefix(host).replace(/\/\d+$/, ''), matches };
  });
}

/** History entries about a prefix (vrf + cidr) or about a site. */
export async function auditLog(store: Store, q: { vrf?: string; cidr?: string; site?: string; limit?: number }): Promise<IpamEvent[]> {
  const cidr = q.cidr ? formatPrefix(parsePrefix(q.cidr, { field: 'cidr' })) : null;
  return store.read(async (tx) => {
    const r = await tx.run(
      `MATCH (e:IpamEvent)
       WHERE ($cidr IS NULL OR (e.cidr = $cidr AND ($vrf IS NULL OR e.vrf = $vrf)))
         AND ($site IS NULL OR EXISTS { (e)-[:ABOUT]->(:Site {code: $site}) })
       RETURN e {.id, .actor, .action, .vrf, .cidr, .reason, .status, .role, .snapshot, at: toString(e.at),
                 sites: [(e)-[:ABOUT]->(s:Site) | s.code]} AS e
       ORDER BY e.at DESC, e.id LIMIT $limit`,
      { cidr, vrf: q.vrf ?? null, site: q.site ?? null, limit: neo4j.int(q.limit ?? 500) },
    );
    return r.records.map((x) => {
      const e = x.get('e') as Record<string, unknown>;
      return { ...e, snapshot: e.snapshot ? (JSON.parse(e.snapshot as string) as Record<string, unknown>) : null } as IpamEvent;
    });
  });
}
