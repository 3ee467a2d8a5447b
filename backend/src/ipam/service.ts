import {
  DomainError,
  MAX_ALLOCATE_COUNT,
  addressBits,
  decodeFree,
  formatPrefix,
  markFree,
  markUsed,
  overlaps,
  parsePrefix,
  takeFromFree,
  type AddressPlan,
  type FitStrategy,
  type Prefix,
  type Role,
} from '@extranet/topology';
import type { ManagedTransaction } from 'neo4j-driver';
import type { Store } from '../neo4j/store';
import { recordEvents } from './event-store';
import { ownerSites } from './owners';
import {
  byRequestKey,
  childCidrs,
  claimRequestKey,
  createPrefixes,
  deletePrefixes,
  descendants,
  findContainer,
  getPrefix,
  lockPrefix,
  dropUnusedRequestKeys,
  prefixOf,
  reparent,
  setFree,
  writeAllocation,
  type PrefixRow,
  type PrefixStatus,
} from './store';
import type { OwnerRef } from './owner-store';
import { ipamWrite } from './changes';

/**
 * Address-space operations. Each is ONE write transaction that first takes the
 * write lock of the prefix it allocates from (held until commit): concurrency
 * is safe per parent, across processes, with the (vrf, cidr) uniqueness
 * constraint as the last line of defence.
 */

export interface Who {
  actor: string;
  reason: string;
}

export interface AllocateRequest extends Who {
  vrf: string;
  parent: string;
  length: number;
  count?: number;
  strategy?: FitStrategy;
  status?: PrefixStatus;
  role?: string;
  description?: string;
  owner?: OwnerRef;
  /** A retried request with the same key returns the same allocation. */
  requestKey?: string;
}

/** Allocates the next free prefix(es) of `length` inside `parent` (best-fit by default). */
export async function allocateNext(
  store: Store,
  plan: AddressPlan | undefined,
  req: AllocateRequest,
): Promise<{ prefixes: PrefixRow[]; replayed: boolean }> {
  const count = req.count ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > MAX_ALLOCATE_COUNT) {
    // The API's schema says so already; the CLI comes here directly.
    throw new DomainError('BAD_REQUEST', `count is 1–${MAX_ALLOCATE_COUNT} per request. Got: ${count}`, {
      field: 'count',
      hint: "one request holds its parent's lock for all its prefixes: ask for more in several requests",
    });
  }
  return ipamWrite(store, async (tx) => {
    const parentCidr = normalize(req.parent, 'parent');
    const parent = await lockPrefix(tx, req.vrf, parentCidr);
    if (!parent) throw new DomainError('NOT_FOUND', `no prefix ${parentCidr} in domain ${req.vrf}`, { field: 'parent' });
    if (req.requestKey) {
      const earlier = await byRequestKey(tx, req.requestKey);
      if (earlier.length) {
        const same =
          earlier.every((p) => p.vrf === req.vrf && p.parent === parentCidr && p.length === req.length) && earlier.length === count;
        if (!same) {
          throw new DomainError('IDEMPOTENCY_CONFLICT', `request key ${req.requestKey} was used for a different request`, {
            field: 'requestKey',
            details: { earlier: earlier.map((p) => `${p.vrf} ${p.cidr}`) },
          });
        }
        return { prefixes: earlier, replayed: true };
      }
      await claimRequestKey(tx, req.vrf, req.requestKey);
    }
    if (parent.status === 'deprecated' || parent.status === 'reserved') {
      throw new DomainError('BAD_REQUEST', `${parentCidr} is ${parent.status}: allocate from another prefix`, { field: 'parent' });
    }
    const parentPrefix = prefixOf(parent);
    checkPolicy(plan, parent.pool, parentPrefix.family, req.length, req.role);
    const { chosen, free } = takeFromFree(parentPrefix, decodeFree(parent.free), req.length, {
      count,
      strategy: req.strategy ?? 'best-fit',
    });
    const sites = await ownerSites(tx, req.owner);
    const status = req.status ?? 'active';
    const role = req.role ?? parent.role;
    const rows = await writeAllocation(tx, {
      vrf: req.vrf,
      parent: parentPrefix,
      free,
      actor: req.actor,
      children: chosen.map((prefix) => ({
        prefix,
        status,
        role,
        pool: parent.pool,
        description: req.description ?? '',
        requestKey: req.requestKey ?? null,
        owner: req.owner ?? null,
      })),
      event: { action: status === 'reserved' ? 'reserve' : 'allocate', reason: req.reason, status, role, sites },
    });
    return { prefixes: rows, replayed: false };
  });
}

export interface AssignRequest extends Who {
  vrf: string;
  cidr: string;
  status?: PrefixStatus;
  role?: string;
  description?: string;
  owner?: OwnerRef;
}

/**
 * Records a specific prefix: it must lie inside a container of its domain and
 * overlap nothing there — except that a new `container` may be put above
 * existing prefixes it holds entirely.
 */
export async function assignPrefix(store: Store, plan: AddressPlan | undefined, req: AssignRequest): Promise<PrefixRow> {
  return ipamWrite(store, (tx) => assignInTx(tx, plan, req, req.status === 'reserved' ? 'reserve' : 'assign'));
}

export async function assignInTx(
  tx: ManagedTransaction,
  plan: AddressPlan | undefined,
  req: AssignRequest,
  action: 'assign' | 'reserve' | 'import',
): Promise<PrefixRow> {
  const prefix = parsePrefix(req.cidr, { field: 'cidr' });
  const cidr = formatPrefix(prefix);
  const status = req.status ?? 'active';
  // Find the deepest container, lock it, and look again: a deeper one may have appeared meanwhile.
  let container: PrefixRow | undefined;
  for (;;) {
    const found = await findContainer(tx, req.vrf, prefix);
    if (!found) {
      const roots = plan?.rootBlocks.filter((r) => r.domain === req.vrf && r.prefix.family === prefix.family).map((r) => r.cidr) ?? [];
      throw new DomainError('PREFIX_OUTSIDE_CONTAINER', `${cidr} lies outside every prefix of domain ${req.vrf}`, {
        field: 'cidr',
        hint: roots.length
          ? `the IPv${prefix.family} roots of ${req.vrf} are ${roots.join(', ')}`
          : `domain ${req.vrf} has no IPv${prefix.family} root: run "extranet ipam provision" or check the domain`,
      });
    }
    if (container?.cidr === found.cidr) break;
    container = await lockPrefix(tx, req.vrf, found.cidr);
  }
  const existing = await getPrefix(tx, req.vrf, cidr);
  if (existing) {
    throw new DomainError('PREFIX_OVERLAP', `${cidr} is already recorded in ${req.vrf} (${existing.status}, ${existing.role})`, {
      field: 'cidr',
      details: { overlaps: cidr },
    });
  }
  if (container.status === 'deprecated') throw new DomainError('BAD_REQUEST', `${container.cidr} is deprecated`, { field: 'cidr' });
  if (container.status === 'reserved') {
    throw new DomainError('PREFIX_OVERLAP', `${cidr} lies inside reserved ${container.cidr} (${container.description || 'reserved'})`, {
      field: 'cidr',
      hint: 'release the reservation first if this use is intended',
      details: { overlaps: [container.cidr] },
    });
  }
  const containerPrefix = prefixOf(container);
  checkPolicy(plan, container.pool, prefix.family, prefix.length, req.role);
  const inside = (await childCidrs(tx, req.vrf, container.cidr)).filter((c) => overlaps(parsePrefix(c.cidr), prefix));
  if (inside.length && status !== 'container') {
    throw new DomainError('PREFIX_OVERLAP', `${cidr} overlaps ${inside[0]!.cidr} (${inside[0]!.status}) in ${req.vrf}`, {
      field: 'cidr',
      hint: 'choose a free block (GET /api/ipam/free), or record it as a container above the existing prefixes',
      details: { overlaps: inside.map((c) => c.cidr) },
    });
  }
  const adopted = inside.map((c) => parsePrefix(c.cidr));
  const sites = await ownerSites(tx, req.owner);
  const role = req.role ?? container.role;
  await createPrefixes(
    tx,
    [
      {
        vrf: req.vrf,
        parent: container.cidr,
        prefix,
        status,
        role,
        pool: container.pool,
        description: req.description ?? '',
        owner: req.owner ?? null,
        free: adopted.length ? markUsedAll(prefix, adopted) : [prefix],
      },
    ],
    req.actor,
  );
  if (adopted.length)
    await reparent(
      tx,
      req.vrf,
      inside.map((c) => c.cidr),
      cidr,
    );
  await setFree(tx, [{ vrf: req.vrf, prefix: containerPrefix, free: markUsed(containerPrefix, decodeFree(container.free), prefix) }]);
  await recordEvents(tx, [{ action, vrf: req.vrf, cidr, actor: req.actor, reason: req.reason, status, role, sites }]);
  return (await getPrefix(tx, req.vrf, cidr))!;
}

function markUsedAll(p: Prefix, blocks: Prefix[]): Prefix[] {
  return blocks.reduce((free, b) => markUsed(p, free, b), [p]);
}

export interface ReleaseRequest extends Who {
  vrf: string;
  cidr: string;
  recursive?: boolean;
  /** The caller's role: a root block goes recursively only by an admin. */
  role: Role;
  /** The prefix named again: needed to release a root block recursively. */
  confirm?: string;
}

/**
 * Releases a prefix: its space returns to its parent's free list, and the
 * history keeps what it was (a snapshot), who released it and why. A prefix
 * that still holds others is released only with `recursive`; a root block of
 * the address plan (no parent) recursively only by an admin who names it
 * again in `confirm` — one call would otherwise empty a whole domain.
 *
 * @throws DomainError `FORBIDDEN` (not an admin), `CONFIRMATION_REQUIRED` (confirm missing or another prefix).
 */
export async function releasePrefix(store: Store, req: ReleaseRequest): Promise<string[]> {
  return ipamWrite(store, async (tx) => {
    const cidr = normalize(req.cidr, 'cidr');
    const target = await getPrefix(tx, req.vrf, cidr);
    if (!target) throw new DomainError('NOT_FOUND', `no prefix ${cidr} in domain ${req.vrf}`, { field: 'cidr' });
    if (req.recursive && !target.parent) checkRootRelease(req, cidr);
    const parent = target.parent ? await lockPrefix(tx, req.vrf, target.parent) : undefined;
    await lockPrefix(tx, req.vrf, cidr);
    const below = await descendants(tx, req.vrf, cidr);
    if (below.length && !req.recursive) {
      throw new DomainError('PREFIX_IN_USE', `${cidr} still holds ${below.length} prefix(es)`, {
        field: 'cidr',
        hint: 'release those first, or release recursively (recursive: true)',
        details: { holds: below.slice(0, 20).map((p) => p.cidr) },
      });
    }
    const gone = [...below, target];
    const sitesOf = await Promise.all(gone.map((p) => ownerSites(tx, p.owner).catch(() => [])));
    await recordEvents(
      tx,
      gone.map((p, i) => ({
        action: 'release' as const,
        vrf: req.vrf,
        cidr: p.cidr,
        actor: req.actor,
        reason: req.reason,
        status: p.status,
        role: p.role,
        snapshot: {
          status: p.status,
          role: p.role,
          description: p.description,
          owner: p.owner,
          parent: p.parent,
          createdAt: p.createdAt,
          createdBy: p.createdBy,
        },
        sites: sitesOf[i]!,
      })),
    );
    await deletePrefixes(
      tx,
      req.vrf,
      gone.map((p) => p.cidr),
    );
    await dropUnusedRequestKeys(tx, req.vrf, [...new Set(gone.flatMap((p) => (p.requestKey ? [p.requestKey] : [])))]);
    if (parent) {
      const pp = prefixOf(parent);
      await setFree(tx, [{ vrf: req.vrf, prefix: pp, free: markFree(pp, decodeFree(parent.free), parsePrefix(cidr)) }]);
    }
    return gone.map((p) => p.cidr);
  });
}

/** A root block released recursively: only by an admin, who names it again. */
function checkRootRelease(req: ReleaseRequest, cidr: string): void {
  if (req.role !== 'admin') {
    throw new DomainError('FORBIDDEN', `${cidr} is a root block of ${req.vrf}: only an admin releases it with everything in it`, {
      field: 'recursive',
      hint: 'release the prefixes inside it one by one, or ask an admin',
    });
  }
  let named: string | undefined;
  try {
    named = req.confirm === undefined ? undefined : normalize(req.confirm, 'confirm');
  } catch {
    named = undefined; // not a prefix: not this one either
  }
  if (named !== cidr) {
    throw new DomainError(
      'CONFIRMATION_REQUIRED',
      `releasing root block ${cidr} recursively removes everything in it from ${req.vrf}: name it again in confirm`,
      {
        field: 'confirm',
        hint: `confirm: the prefix itself, ${cidr}`,
      },
    );
  }
}

/** Length policy: the lengths the address plan allows in this pool, by family. */
export function checkPolicy(plan: AddressPlan | undefined, pool: string, family: 4 | 6, length: number, role?: string): void {
  if (role === 'interface' || role === 'loopback') {
    if (length !== addressBits(family)) {
      throw new DomainError('LENGTH_OUTSIDE_POLICY', `an ${role} address is a /${addressBits(family)}. Got: /${length}`, {
        field: 'length',
      });
    }
    return;
  }
  const allowed = plan?.policy.allowed[pool as keyof AddressPlan['policy']['allowed']]?.[family === 4 ? 'v4' : 'v6'];
  if (allowed && !allowed.includes(length)) {
    throw new DomainError('LENGTH_OUTSIDE_POLICY', `/${length} is not allowed in the ${pool} pool (IPv${family})`, {
      field: 'length',
      hint: `allowed lengths: ${allowed.map((l) => `/${l}`).join(', ')}`,
    });
  }
}

function normalize(text: string, field: string): string {
  return formatPrefix(parsePrefix(text, { field }));
}
