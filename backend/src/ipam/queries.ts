import {
  type IpamEvent,
  type LookupResult,
  DomainError,
  decodeFree,
  formatPrefix,
  parseAddress,
  parsePrefix,
  summarizeFree,
  utilization,
  type Prefix,
} from '@extranet/topology';
import type { ManagedTransaction } from 'neo4j-driver';
import type { Store } from '../neo4j/store';
import { readEvents } from './event-store';
import { childCidrs, findPrefixes, getPrefix, prefixOf, prefixesHolding, type PrefixFilter, type PrefixRow } from './store';

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

/** Prefixes matching a filter, in address order (domain, family, start, length). */
export async function listPrefixes(store: Store, f: PrefixFilter): Promise<PrefixRow[]> {
  return store.read((tx) => findPrefixes(tx, f));
}

/** Free blocks of a prefix, from its stored free list (no recomputation). */
export async function freeOf(store: Store, vrf: string, cidr: string, minLength?: number) {
  const row = await getPrefixOrThrow(store, vrf, cidr);
  const free = decodeFree(row.free).filter((b) => minLength === undefined || b.length <= minLength);
  const s = summarizeFree(decodeFree(row.free));
  return {
    vrf,
    cidr: row.cidr,
    free: free.map(formatPrefix),
    freeAddresses: s.free.toString(),
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
  const u = utilization(
    prefixOf(row),
    children.map((x) => parsePrefix(x.cidr)),
    { ...(unitLength !== undefined && { unitLength }), field: 'unit' },
  );
  return {
    vrf,
    cidr: row.cidr,
    unit: `/${u.unitLength}`,
    usedUnits: u.used.toString(),
    totalUnits: u.total.toString(),
    percent: u.percent,
    usedAddresses: row.used,
    totalAddresses: row.size,
    children: children.length,
  };
}

/** Which prefixes hold an address (most specific first), and the site, link, interface or device they are for. */
export async function lookupAddress(store: Store, address: string, vrf?: string): Promise<LookupResult> {
  const a = parseAddress(address, { field: 'address' });
  const host: Prefix = { family: a.family, start: a.value, length: a.family === 4 ? 32 : 128 };
  const found = await store.read((tx) => prefixesHolding(tx, host, vrf));
  const matches = found.map((m) => (m.owner?.sites ? { ...m, owner: { ...m.owner, sites: [...new Set(m.owner.sites)].sort() } } : m));
  return { address: formatPrefix(host).replace(/\/\d+$/, ''), matches };
}

/** History entries about a prefix (vrf + cidr) or about a site, newest first. */
export async function auditLog(store: Store, q: { vrf?: string; cidr?: string; site?: string; limit?: number }): Promise<IpamEvent[]> {
  const cidr = q.cidr ? formatPrefix(parsePrefix(q.cidr, { field: 'cidr' })) : null;
  return store.read((tx) => readEvents(tx, { ...q, cidr }));
}
