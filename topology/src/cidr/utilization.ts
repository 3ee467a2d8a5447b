/**
 * Utilization of a prefix, counted in units of a chosen length: addresses for
 * IPv4, /64s for IPv6 prefixes shorter than /64 by default (NIPAP #900 — counting
 * an IPv6 block in /128s makes every percentage 0.00%). Exact in BigInt. This is
 * the one rule behind `GET /api/ipam/utilization` and `extranet ipam utilization`.
 * `applyDelta` maintains a stored counter one child at a time, so list pages
 * need no recomputation (NetBox #7365 computes it on every render).
 */
import { DomainError } from '../errors';
import { addressBits } from './address';
import { coveredIntervals } from './intervals';
import { formatPrefix, type Prefix } from './prefix';

/** A utilization counter. Store `used`, `total` and `unitLength`; `percent` is derived. */
export interface Utilization {
  /** Units touched by at least one child. */
  used: bigint;
  /** Units in the parent: 2^(unitLength − parent length). */
  total: bigint;
  /** 100 × used / total, rounded down to 4 decimals (so 100 means full). */
  percent: number;
  /** The unit: a block of this prefix length, in bits (32 = one IPv4 address). */
  unitLength: number;
}

/** Options for {@link utilization}. */
export interface UtilizationOptions {
  /** Count in blocks of this length; default {@link defaultUnitLength}. */
  unitLength?: number;
  /** Field named by the error for an impossible unit (a query parameter, say); default `unitLength`. */
  field?: string;
}

/**
 * The default unit: one address (/32) for IPv4; for IPv6 a /64 when the
 * parent holds more than one /64 (shorter than /64), else one address (/128).
 *
 * Why a /64 itself counts addresses: a /64 is the smallest block an IPv6 plan
 * hands out as a unit (one LAN, RFC 4291 §2.5.1; a container of /127 links,
 * RFC 6164, or /128 loopbacks). Counted in /64s it would be one unit, so it
 * would read 100 % the moment it holds a single /127 and 0 % otherwise — the
 * question an IPAM user asks of a /64 is "how many of its addresses are
 * taken", as NetBox answers it (child addresses over the prefix size). Blocks
 * of several /64s (a /63, a /48 site block) are counted in /64s, where
 * addresses would only ever show 0.00 %.
 *
 * @example
 * defaultUnitLength(parsePrefix('2001:db8::/63'))   // 64: two units
 * defaultUnitLength(parsePrefix('2001:db8::/64'))   // 128: 2^64 addresses
 * defaultUnitLength(parsePrefix('10.0.0.0/24'))     // 32
 */
export function defaultUnitLength(parent: Prefix): number {
  if (parent.family === 4) return 32;
  return parent.length < 64 ? 64 : 128;
}

/** 100 × used / total rounded down to 4 decimals. */
function percentOf(used: bigint, total: bigint): number {
  return Number((used * 1_000_000n) / total) / 10_000;
}

/**
 * How much of `parent` its children use, in units of `unitLength`: a unit
 * counts as used when any child touches it, so ten /127 links in one /64
 * use one /64, and nested or duplicate children are counted once. Children
 * outside the parent are ignored.
 *
 * @throws DomainError `BAD_REQUEST` (naming `opts.field`) if `unitLength` is shorter than
 *   the parent or beyond the family maximum; `FAMILY_MISMATCH` for a child of the other family.
 * @example
 * utilization(parsePrefix('2001:db8::/48'), [parsePrefix('2001:db8::/64'), parsePrefix('2001:db8:0:1::/127')])
 * // { used: 2n, total: 65536n, percent: 0.003, unitLength: 64 }
 * utilization(parsePrefix('10.0.0.0/24'), [parsePrefix('10.0.0.0/25')]).percent // 50
 */
export function utilization(parent: Prefix, children: Iterable<Prefix>, opts: UtilizationOptions = {}): Utilization {
  const unitLength = opts.unitLength ?? defaultUnitLength(parent);
  const bits = addressBits(parent.family);
  if (!Number.isInteger(unitLength) || unitLength < parent.length || unitLength > bits) {
    throw new DomainError('BAD_REQUEST', `unit /${unitLength} does not fit ${formatPrefix(parent)}`, {
      field: opts.field ?? 'unitLength',
      hint: `use a unit length from ${parent.length} to ${bits}`,
    });
  }
  const unitBits = BigInt(bits - unitLength);
  let used = 0n;
  let lastUnit = -1n;
  for (const { start, end } of coveredIntervals(parent, children)) {
    const first = (start - parent.start) >> unitBits;
    const last = (end - 1n - parent.start) >> unitBits;
    // Runs are disjoint but may share a unit at their edges: count that unit once.
    used += last - first + (first === lastUnit ? 0n : 1n);
    lastUnit = last;
  }
  const total = 1n << BigInt(unitLength - parent.length);
  return { used, total, percent: percentOf(used, total), unitLength };
}

/** One child added to or removed from a counted parent; see {@link applyDelta}. */
export interface UtilizationChange {
  op: 'add' | 'remove';
  child: Prefix;
  /**
   * Only for a child smaller than one unit: whether another child lies in
   * the same unit (for `add`, before adding; for `remove`, after removing).
   * Default `false`. The caller knows this from one range query on the unit.
   */
  unitShared?: boolean;
}

/**
 * Updates a stored counter for one added or removed child, without
 * recomputing. Exact when the child is disjoint from the other children (the
 * sibling no-overlap rule guarantees it) and lies inside the counted parent;
 * otherwise recompute with {@link utilization}.
 *
 * @throws DomainError `BAD_REQUEST` if the result would leave 0…total — the
 *   stored counter has drifted; recompute it.
 * @example
 * let c = utilization(parent48, [])              // used 0n, total 65536n
 * c = applyDelta(c, { op: 'add', child: p56 })   // a /56 is 256 /64s: used 256n
 */
export function applyDelta(counter: Utilization, change: UtilizationChange): Utilization {
  const { child, op, unitShared = false } = change;
  let units: bigint;
  if (child.length <= counter.unitLength) units = 1n << BigInt(counter.unitLength - child.length);
  else units = unitShared ? 0n : 1n;
  const used = op === 'add' ? counter.used + units : counter.used - units;
  if (used < 0n || used > counter.total) {
    throw new DomainError('BAD_REQUEST', `utilization counter would be ${used} of ${counter.total} after ${op} ${formatPrefix(child)}`, {
      field: 'child',
      hint: 'the stored counter has drifted; recompute it with utilization()',
    });
  }
  return { used, total: counter.total, percent: percentOf(used, counter.total), unitLength: counter.unitLength };
}
