/**
 * Free space: what is left of a parent prefix once its children are taken out,
 * as the fewest aligned CIDR blocks — NetBox's "available prefixes", without
 * building an address set (netaddr's IPSet took minutes on large trees,
 * NetBox #13880, #14026). One sort and one sweep: O(n log n) in the children.
 */
import { addressBits } from './address';
import { coveredIntervals } from './intervals';
import { size, type Prefix } from './prefix';

/** Bit length of a positive integer: floor(log2 x) + 1. */
function bitLength(x: bigint): number {
  return x < 0x100000000n ? 32 - Math.clz32(Number(x)) : x.toString(2).length;
}

/** Number of trailing zero bits of `x`, capped at `bits` (so 0 → `bits`). */
function trailingZeros(x: bigint, bits: number): number {
  return x === 0n ? bits : bitLength(x & -x) - 1;
}

/**
 * The maximal aligned blocks that exactly tile `[lo, hi)`: at each step the
 * largest block that starts at `lo` (alignment) and fits before `hi`. At most
 * 2 × bits blocks per gap; this tiling is the unique minimal one, the same as
 * Python's `collapse_addresses` of the range.
 */
function* tileRange(family: Prefix['family'], lo: bigint, hi: bigint): Generator<Prefix> {
  const bits = addressBits(family);
  while (lo < hi) {
    const hostBits = Math.min(trailingZeros(lo, bits), bitLength(hi - lo) - 1);
    yield { family, start: lo, length: bits - hostBits };
    lo += 1n << BigInt(hostBits);
  }
}

/**
 * The free blocks of `parent`, lazily, in address order — the same blocks as
 * {@link freeBlocks} without holding them all: a deep IPv6 tree (100k /128s
 * under a /32) has millions of free blocks, and a caller that needs only the
 * first few, or a total, should not build them. Children are read and
 * checked at once; blocks are made as they are taken.
 *
 * @throws DomainError `FAMILY_MISMATCH` (at the call, not on iteration).
 * @example
 * for (const block of eachFreeBlock(parent, children)) { if (fits(block)) break }
 */
export function eachFreeBlock(parent: Prefix, children: Iterable<Prefix>): Generator<Prefix> {
  const used = coveredIntervals(parent, children);
  return (function* walk() {
    let cursor = parent.start;
    for (const run of used) {
      yield* tileRange(parent.family, cursor, run.start);
      cursor = run.end;
    }
    yield* tileRange(parent.family, cursor, parent.start + size(parent));
  })();
}

/**
 * The free space of `parent`: the minimal list of aligned CIDR blocks covering
 * `parent` minus the union of `children`, in address order. Children may be
 * unsorted, nested, overlapping, duplicated, or partly/fully outside `parent`
 * (the parts outside are ignored). A child containing the parent leaves nothing.
 * O(n log n) in the children, plus the output (at most 2 × bits blocks per gap).
 *
 * @throws DomainError `FAMILY_MISMATCH` if a child is of the other family.
 * @example
 * freeBlocks(parsePrefix('10.0.0.0/24'), [parsePrefix('10.0.0.64/26')]).map(formatPrefix)
 * // ['10.0.0.0/26', '10.0.0.128/25']
 */
export function freeBlocks(parent: Prefix, children: Iterable<Prefix>): Prefix[] {
  return [...eachFreeBlock(parent, children)];
}

/** Totals of a free-space list; see {@link freeSummary}. */
export interface FreeSummary {
  /** Free addresses in total, exactly (IPv6 totals exceed 2^64). */
  free: bigint;
  /** The biggest free block (lowest address on a tie), or `null` when full. */
  largestFreeBlock: Prefix | null;
  /** How many blocks the free space takes. */
  blockCount: number;
}

/**
 * Totals of free blocks as returned by {@link freeBlocks} or {@link eachFreeBlock}.
 *
 * @example
 * summarizeFree(freeBlocks(parsePrefix('10.0.0.0/24'), [parsePrefix('10.0.0.64/26')]))
 * // { free: 192n, largestFreeBlock: 10.0.0.128/25, blockCount: 2 }
 */
export function summarizeFree(blocks: Iterable<Prefix>): FreeSummary {
  let free = 0n;
  let blockCount = 0;
  let largestFreeBlock: Prefix | null = null;
  for (const block of blocks) {
    free += size(block);
    blockCount++;
    if (largestFreeBlock === null || block.length < largestFreeBlock.length) largestFreeBlock = block;
  }
  return { free, largestFreeBlock, blockCount };
}

/**
 * Total free space of `parent` and its largest free block: for utilization
 * bars and for "pool exhausted" messages that say what would still fit.
 *
 * @example
 * const s = freeSummary(parsePrefix('2001:db8::/32'), [parsePrefix('2001:db8::/48')])
 * s.free // 2n ** 96n - 2n ** 80n; formatPrefix(s.largestFreeBlock!) // '2001:db8:8000::/33'
 */
export function freeSummary(parent: Prefix, children: Iterable<Prefix>): FreeSummary {
  return summarizeFree(eachFreeBlock(parent, children));
}
