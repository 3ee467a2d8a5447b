import {
  DomainError,
  addressBits,
  countyByCode,
  decodeFree,
  formatPrefix,
  markUsed,
  parseAddress,
  parsePrefix,
  contains,
  takeFromFree,
  type AddressPlan,
  type Plan,
  type Prefix,
  type RootRole,
} from '@extranet/topology';
import type { Store } from '../neo4j/store';
import { readPlan } from '../plan/store';
import { recordEvents } from './event-store';
import { createPrefixes, domainPrefixes, lockDomains, setFree, type DomainPrefix, type NewPrefix, type PrefixStatus } from './store';
import type { OwnerRef } from './owner-store';
import { ipamWrite } from './changes';

/**
 * Provisioning by policy: every site gets its block(s) and LAN, every link its
 * point-to-point subnet with an address for each end interface, every managed
 * router a loopback — IPv4 and IPv6 — in ONE transaction. It first locks every
 * prefix of the domains involved (the parents it may take from), reads them,
 * chooses in memory with the same pure best-fit code as single allocations,
 * then writes in bulk. What already exists is kept: a second run changes nothing.
 */

interface Held {
  vrf: string;
  prefix: Prefix;
  free: Prefix[];
  pool: string;
  role: string;
  owner: OwnerRef | null;
  /** A root block of the address plan (no parent). */
  isRoot: boolean;
  dirty: boolean;
}

export interface ProvisionResult {
  created: { vrf: string; cidr: string; role: string; owner: string | null }[];
  unchanged: number;
}

export async function provision(
  store: Store,
  addressPlan: AddressPlan,
  opts: { actor: string; reason: string; sites?: string[]; links?: string[] },
): Promise<ProvisionResult> {
  return ipamWrite(store, async (tx) => {
    const plan = await readPlan(tx);
    if (!plan.sites.length) throw new DomainError('BAD_REQUEST', 'no plan is imported: run "extranet plan import" first');
    const vrfs = addressPlan.domains.map((d) => d.name);
    await lockDomains(tx, vrfs);
    const held = heldOf(await domainPrefixes(tx, vrfs));
    const created: NewPrefix[] = [];
    const before = held.size;
    const a = new Allocator(held, created);

    for (const r of addressPlan.rootBlocks) a.ensure(r.domain, null, r.prefix, 'container', r.role, 'root', r.description, null);
    for (const r of addressPlan.reservedBlocks) a.ensureInside(r.domain, r.prefix, 'reserved', 'reserved', r.description);

    const wantSite = (code: string) => !opts.sites || opts.sites.includes(code);
    const wantLink = (id: string) => !opts.links || opts.links.includes(id);
    const p = addressPlan.policy;
    const tiers = ['city', 'county', 'township'] as const;
    const countyOf = countyByCode(plan.sites);
    for (const tier of tiers) {
      for (const site of plan.sites.filter((s) => s.tier === tier && wantSite(s.code))) {
        for (const fam of [4, 6] as const) {
          const k = fam === 4 ? 'v4' : 'v6';
          const owner: OwnerRef = { kind: 'site', id: site.code };
          if (tier === 'township') {
            // A township's LAN comes from the block of its county (countyOfSite: its network parent).
            const county = countyOf(site.code);
            if (county === null)
              throw new DomainError('BAD_REQUEST', `township ${site.code} is not under a county-level unit`, {
                hint: 'its parent in sites.yaml is the county-level unit it uplinks to',
              });
            const block = a.owned(p.township.domain, fam, 'block', { kind: 'site', id: county });
            if (!block)
              throw new DomainError('BAD_REQUEST', `township ${site.code}: its county-level unit ${county} has no IPv${fam} block yet`, {
                hint: 'provision the county-level unit first (or the whole plan)',
              });
            a.ensureOwned(p.township.domain, fam, 'lan', owner, () =>
              a.take(block, p.township.lan[k], 'active', 'lan', `${site.name} LAN`, owner),
            );
          } else {
            const pol = tier === 'city' ? p.city : p.county;
            const block = a.ensureOwned(pol.domain, fam, 'block', owner, () =>
              a.takeFromRoots(pol.domain, 'site-block', fam, pol.block[k], 'container', 'block', `${site.name} 地址块`, owner),
            );
            a.ensureOwned(pol.domain, fam, 'lan', owner, () => a.take(block, pol.lan[k], 'active', 'lan', `${site.name} LAN`, owner));
          }
        }
      }
    }
    for (const link of plan.links.filter((l) => wantLink(l.id))) {
      const pol = p.link[link.kind];
      for (const fam of [4, 6] as const) {
        const owner: OwnerRef = { kind: 'link', id: link.id };
        const net = a.ensureOwned(pol.domain, fam, 'p2p', owner, () =>
          a.takeFromRoots(
            pol.domain,
            'p2p',
            fam,
            pol.p2p[fam === 4 ? 'v4' : 'v6'],
            'active',
            'p2p',
            `${link.id} ${link.a.device}—${link.b.device}`,
            owner,
          ),
        );
        const [first, second] = endAddresses(net.prefix);
        for (const [end, addr] of [
          [link.a, first],
          [link.b, second],
        ] as const) {
          const ifOwner: OwnerRef = { kind: 'interface', id: `${end.device}|${end.interface}` };
          if (!a.owned(pol.domain, fam, 'interface', ifOwner, net)) {
            a.ensure(pol.domain, net, addr, 'active', net.pool, 'interface', `${end.device} ${end.interface}`, ifOwner);
          }
        }
      }
    }
    const sitesWanted = new Set(plan.sites.filter((s) => wantSite(s.code)).map((s) => s.code));
    for (const d of plan.devices.filter((d) => d.snmpProfile && sitesWanted.has(d.site))) {
      const pol = p.loopback;
      const owner: OwnerRef = { kind: 'device', id: d.hostname };
      for (const fam of [4, 6] as const) {
        a.ensureOwned(pol.domain, fam, 'loopback', owner, () => {
          const mgmt = d.mgmtAddress ? parseAddress(d.mgmtAddress) : undefined;
          const root = addressPlan.rootBlocks.find(
            (r) =>
              r.domain === pol.domain &&
              r.role === 'loopback' &&
              r.prefix.family === fam &&
              mgmt?.family === fam &&
              contains(r.prefix, mgmt),
          );
          if (root && mgmt)
            return a.ensureInside(
              pol.domain,
              { family: fam, start: mgmt.value, length: addressBits(fam) },
              'active',
              'loopback',
              `${d.hostname} loopback`,
              owner,
            );
          return a.takeFromRoots(
            pol.domain,
            'loopback',
            fam,
            fam === 4 ? pol.v4 : pol.v6,
            'active',
            'loopback',
            `${d.hostname} loopback`,
            owner,
          );
        });
      }
    }

    const createdKeys = new Set(created.map((c) => key(c.vrf, c.prefix)));
    const dirty = [...held.values()].filter((h) => h.dirty && !createdKeys.has(key(h.vrf, h.prefix)));
    for (const c of created) c.free = held.get(key(c.vrf, c.prefix))!.free;
    await createPrefixes(tx, created, opts.actor);
    await setFree(
      tx,
      dirty.map((h) => ({ vrf: h.vrf, prefix: h.prefix, free: h.free })),
    );
    const sitesOf = siteIndex(plan);
    await recordEvents(
      tx,
      created.map((c) => ({
        action: 'provision' as const,
        vrf: c.vrf,
        cidr: formatPrefix(c.prefix),
        actor: opts.actor,
        reason: opts.reason,
        status: c.status,
        role: c.role,
        sites: c.owner ? sitesOf(c.owner) : [],
      })),
    );
    return {
      created: created.map((c) => ({
        vrf: c.vrf,
        cidr: formatPrefix(c.prefix),
        role: c.role,
        owner: c.owner ? `${c.owner.kind}:${c.owner.id}` : null,
      })),
      unchanged: before,
    };
  });
}

/** The two addresses of a point-to-point subnet: /31 and /127 use both (RFC 3021, RFC 6164); larger ones skip the network address. */
function endAddresses(p: Prefix): [Prefix, Prefix] {
  const bits = addressBits(p.family);
  const offset = bits - p.length <= 1 ? 0n : 1n;
  const host = (i: bigint): Prefix => ({ family: p.family, start: p.start + offset + i, length: bits });
  return [host(0n), host(1n)];
}

const key = (vrf: string, p: Prefix) => `${vrf} ${formatPrefix(p)}`;

/** The domains' prefixes by domain and CIDR, as the allocator works on them. */
function heldOf(prefixes: DomainPrefix[]): Map<string, Held> {
  const held = new Map<string, Held>();
  for (const p of prefixes) {
    const prefix = parsePrefix(p.cidr);
    held.set(key(p.vrf, prefix), {
      vrf: p.vrf,
      prefix,
      free: decodeFree(p.free),
      pool: p.pool,
      role: p.role,
      owner: p.owner,
      isRoot: p.isRoot,
      dirty: false,
    });
  }
  return held;
}

class Allocator {
  constructor(
    private readonly held: Map<string, Held>,
    private readonly created: NewPrefix[],
  ) {}

  /** The prefix of `role` owned by `owner` in the domain and family, if any (inside `within` when given). */
  owned(vrf: string, fam: 4 | 6, role: string, owner: OwnerRef, within?: Held): Held | undefined {
    for (const h of this.held.values()) {
      if (
        h.vrf === vrf &&
        h.prefix.family === fam &&
        h.role === role &&
        h.owner?.kind === owner.kind &&
        h.owner.id === owner.id &&
        (!within || contains(within.prefix, h.prefix))
      )
        return h;
    }
    return undefined;
  }

  ensureOwned(vrf: string, fam: 4 | 6, role: string, owner: OwnerRef, make: () => Held): Held {
    return this.owned(vrf, fam, role, owner) ?? make();
  }

  /**
   * Records `prefix` unless it exists: under `parent` (marking it used there), or
   * under `takenFrom` whose free list the caller already updated.
   */
  ensure(
    vrf: string,
    parent: Held | null,
    prefix: Prefix,
    status: PrefixStatus,
    pool: string,
    role: string,
    description: string,
    owner: OwnerRef | null,
    takenFrom?: Held,
  ): Held {
    const existing = this.held.get(key(vrf, prefix));
    if (existing) return existing;
    if (parent && !takenFrom) {
      parent.free = markUsed(parent.prefix, parent.free, prefix);
      parent.dirty = true;
    }
    const container = takenFrom ?? parent;
    const h: Held = { vrf, prefix, free: [prefix], pool: container?.pool ?? pool, role, owner, isRoot: !container, dirty: true };
    this.held.set(key(vrf, prefix), h);
    this.created.push({
      vrf,
      parent: container ? formatPrefix(container.prefix) : null,
      prefix,
      status,
      role,
      pool: h.pool,
      description,
      owner,
    });
    return h;
  }

  /** Records a specific prefix under its deepest holder in the domain. */
  ensureInside(vrf: string, prefix: Prefix, status: PrefixStatus, role: string, description: string, owner: OwnerRef | null = null): Held {
    const existing = this.held.get(key(vrf, prefix));
    if (existing) return existing;
    let parent: Held | undefined;
    for (const h of this.held.values()) {
      if (
        h.vrf === vrf &&
        h.prefix.length < prefix.length &&
        contains(h.prefix, prefix) &&
        (!parent || h.prefix.length > parent.prefix.length)
      )
        parent = h;
    }
    if (!parent)
      throw new DomainError('PREFIX_OUTSIDE_CONTAINER', `${formatPrefix(prefix)} lies outside every prefix of ${vrf}`, { field: 'cidr' });
    if (!parent.free.some((b) => contains(b, prefix))) {
      throw new DomainError(
        'PREFIX_OVERLAP',
        `${formatPrefix(prefix)} overlaps a prefix already recorded in ${formatPrefix(parent.prefix)} (${vrf})`,
        { field: 'cidr' },
      );
    }
    return this.ensure(vrf, parent, prefix, status, parent.pool, role, description, owner);
  }

  take(parent: Held, length: number, status: PrefixStatus, role: string, description: string, owner: OwnerRef): Held {
    const { chosen, free } = takeFromFree(parent.prefix, parent.free, length);
    parent.free = free;
    parent.dirty = true;
    return this.ensure(parent.vrf, null, chosen[0]!, status, parent.pool, role, description, owner, parent);
  }

  takeFromRoots(
    vrf: string,
    rootRole: RootRole,
    fam: 4 | 6,
    length: number,
    status: PrefixStatus,
    role: string,
    description: string,
    owner: OwnerRef,
  ): Held {
    const roots = [...this.held.values()].filter((h) => h.vrf === vrf && h.isRoot && h.pool === rootRole && h.prefix.family === fam);
    let last: Error | undefined;
    for (const root of roots) {
      try {
        return this.take(root, length, status, role, description, owner);
      } catch (e) {
        last = e instanceof Error ? e : new Error(String(e));
      }
    }
    throw last ?? new DomainError('POOL_EXHAUSTED', `domain ${vrf} has no IPv${fam} ${rootRole} root`, { field: 'length' });
  }
}

function siteIndex(plan: Plan): (o: OwnerRef) => string[] {
  const deviceSite = new Map(plan.devices.map((d) => [d.hostname, d.site]));
  const linkSites = new Map(plan.links.map((l) => [l.id, [...new Set([deviceSite.get(l.a.device)!, deviceSite.get(l.b.device)!])].sort()]));
  return (o) => {
    if (o.kind === 'site') return [o.id];
    if (o.kind === 'link') return linkSites.get(o.id) ?? [];
    if (o.kind === 'device') return [deviceSite.get(o.id)!].filter(Boolean);
    return [deviceSite.get(o.id.split('|')[0]!)!].filter(Boolean);
  };
}
