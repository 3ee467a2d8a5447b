/**
 * Internal: the part of a parent prefix covered by its children, as sorted,
 * disjoint, half-open integer intervals. Shared by free-space and utilization
 * math; not re-exported from the package.
 */
import { DomainError } from '../errors';
import { addressBits } from './address';
import { formatPrefix, size, type Prefix } from './prefix';

/** Half-open integer range `[start, end)` of addresses. */
export interface Interval {
  start: bigint;
  end: bigint;
}

/** Whether `child` (same family) starts inside `parent` and is no larger: then it lies inside. */
function isInside(child: Prefix, parent: Prefix, parentEnd: bigint): boolean {
  return child.length >= parent.length && child.start >= parent.start && child.start < parentEnd;
}

/** Appends `[start, end)` to sorted `merged`, extending the last run when they touch or overlap. */
function extend(merged: Interval[], start: bigint, end: bigint): void {
  const last = merged[merged.length - 1];
  if (last !== undefined && start <= last.end) {
    if (end > last.end) last.end = end;
  } else {
    merged.push({ start, end });
  }
}

/** Bits that pack a child's size exponent (≤ span ≤ 46, so < 2^7) below its offset in a sort key. */
const EXPONENT_BITS = 7;
/** Largest span (parent length to smallest child length) whose packed keys stay exact doubles (≤ 2^53). */
const FAST_SPAN = 53 - EXPONENT_BITS;

/**
 * Fast path: each child inside becomes one double, `offset × 128 + exponent`,
 * where `offset` counts units of 2^unitBits from the parent's start and the
 * child holds 2^exponent units. One native `Float64Array` sort orders them by
 * start; no BigInt is made per child (for IPv4 even addresses are exact doubles).
 */
function unionFast(list: readonly Prefix[], parent: Prefix, parentEnd: bigint, unitBits: number, count: number): Interval[] {
  const bits = addressBits(parent.family);
  const keys = new Float64Array(count);
  const exactAddresses = parentEnd <= 2n ** 53n;
  const base = Number(parent.start);
  const unit = 2 ** unitBits;
  const shift = BigInt(unitBits);
  let n = 0;
  for (const child of list) {
    if (!isInside(child, parent, parentEnd)) continue;
    const offset = exactAddresses ? (Number(child.start) - base) / unit : Number((child.start - parent.start) >> shift);
    keys[n++] = offset * 2 ** EXPONENT_BITS + (bits - child.length - unitBits);
  }
  keys.sort();
  const merged: Interval[] = [];
  const toAddress = (offset: number): bigint => parent.start + (BigInt(offset) << shift);
  let runStart = -1;
  let runEnd = -1;
  for (const key of keys) {
    const offset = Math.floor(key / 2 ** EXPONENT_BITS);
    const end = offset + 2 ** (key % 2 ** EXPONENT_BITS);
    if (offset > runEnd) {
      if (runEnd >= 0) merged.push({ start: toAddress(runStart), end: toAddress(runEnd) });
      runStart = offset;
    }
    runEnd = Math.max(runEnd, end);
  }
  if (runEnd >= 0) merged.push({ start: toAddress(runStart), end: toAddress(runEnd) });
  return merged;
}

/** General path, any depth: bigint intervals, sorted by start with a comparator. */
function unionGeneral(list: readonly Prefix[], parent: Prefix, parentEnd: bigint): Interval[] {
  const intervals: Interval[] = [];
  for (const child of list) {
    if (isInside(child, parent, parentEnd)) intervals.push({ start: child.start, end: child.start + size(child) });
  }
  intervals.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const merged: Interval[] = [];
  for (const { start, end } of intervals) extend(merged, start, end);
  return merged;
}

/**
 * The union of `children` clipped to `parent`, sorted and merged (touching
 * intervals are merged too). Children may be unsorted, nested, duplicated or
 * outside the parent. O(n log n).
 *
 * Why it is fast (100k children in well under 100 ms): when parent and
 * smallest child are at most 46 bits apart — always for IPv4; IPv6 /64s in a
 * /32 — every child becomes one double sort key and a native typed-array sort
 * does the work (see `unionFast`). Deeper IPv6 trees (a /128 under a /32)
 * take the general bigint path, about 3× slower.
 *
 * @param field - the name of the children list in errors; default `'children'`.
 * @throws DomainError `FAMILY_MISMATCH` if a child's family differs from the parent's.
 */
export function coveredIntervals(parent: Prefix, children: Iterable<Prefix>, field = 'children'): Interval[] {
  const list = Array.isArray(children) ? (children as readonly Prefix[]) : [...children];
  const bits = addressBits(parent.family);
  const parentEnd = parent.start + size(parent);
  // Pass 1, allocation-free: check families, count the children inside, find the finest unit.
  let unitBits = bits - parent.length;
  let inside = 0;
  let parentCovered = false;
  for (let index = 0; index < list.length; index++) {
    const child = list[index] as Prefix;
    if (child.family !== parent.family) {
      throw new DomainError(
        'FAMILY_MISMATCH',
        `${formatPrefix(child)} is IPv${child.family}, parent ${formatPrefix(parent)} is IPv${parent.family}`,
        {
          field: `${field}[${index}]`,
          hint: `give only IPv${parent.family} children`,
        },
      );
    }
    // CIDR blocks are nested or disjoint: a child is inside the parent, contains it, or misses it.
    if (child.length < parent.length) {
      parentCovered ||= child.start <= parent.start && parent.start < child.start + size(child);
    } else if (isInside(child, parent, parentEnd)) {
      inside++;
      unitBits = Math.min(unitBits, bits - child.length);
    }
  }
  if (parentCovered) return [{ start: parent.start, end: parentEnd }];
  return bits - parent.length - unitBits <= FAST_SPAN
    ? unionFast(list, parent, parentEnd, unitBits, inside)
    : unionGeneral(list, parent, parentEnd);
}
