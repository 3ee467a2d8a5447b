/**
 * The allocation choice: which free blocks of a requested length to hand out.
 * Pure: the caller holds a per-parent lock until commit and creates the chosen
 * prefixes in the same transaction (allocate and create in one call), so two
 * requests never choose from the same snapshot.
 */
import { DomainError } from '../errors';
import { addressBits } from './address';
import { eachFreeBlock, freeSummary } from './free';
import { formatPrefix, type Prefix } from './prefix';

/**
 * - `best-fit`: take from the smallest free block that can hold the length
 *   (lowest address on a tie), so large blocks stay whole for large requests.
 * - `first-fit`: take the lowest free addresses (NetBox's available-prefixes order).
 */
export type FitStrategy = 'best-fit' | 'first-fit';

/** Options for {@link chooseBlocks}. */
export interface ChooseOptions {
  /** How many blocks to choose at once; default 1. They never overlap each other. Cap it by policy: the result is an array of this size. */
  count?: number;
  /** Default `'best-fit'`. */
  strategy?: FitStrategy;
  /** Shortest length policy allows; default the parent's length. */
  minLength?: number;
  /** Longest length policy allows; default 32 (IPv4) or 128 (IPv6). */
  maxLength?: number;
}

/** Error details of `POOL_EXHAUSTED`; bigints as decimal strings so they survive JSON. */
export type ExhaustedDetails = {
  parent: string;
  /** Free addresses in the parent, decimal. */
  free: string;
  /** Largest free block, e.g. `'10.0.3.0/25'`, or `null` when the parent is full. */
  largestFreeBlock: string | null;
  requested: { count: number; length: number };
  /** How many blocks of the requested length would fit, decimal. */
  fits: string;
};

function checkRequest(parent: Prefix, length: number, count: number, opts: ChooseOptions): void {
  const bits = addressBits(parent.family);
  const min = Math.max(parent.length, opts.minLength ?? 0);
  const max = Math.min(bits, opts.maxLength ?? bits);
  if (!Number.isInteger(length) || length < min || length > max) {
    throw new DomainError(
      'LENGTH_OUTSIDE_POLICY',
      `a /${length} cannot be allocated from ${formatPrefix(parent)}: allowed lengths are /${min}–/${max}`,
      { field: 'length', hint: min <= max ? `ask for a length from ${min} to ${max}` : 'no length is allowed here; check the policy' },
    );
  }
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new DomainError('BAD_REQUEST', `count must be a whole number ≥ 1. Got: ${count}`, { field: 'count' });
  }
}

function exhausted(parent: Prefix, children: Iterable<Prefix>, length: number, count: number, fits: bigint): DomainError {
  const { free, largestFreeBlock } = freeSummary(parent, children); // a second pass, on the error path only
  const largest = largestFreeBlock === null ? null : formatPrefix(largestFreeBlock);
  const details: ExhaustedDetails = {
    parent: formatPrefix(parent),
    free: free.toString(),
    largestFreeBlock: largest,
    requested: { count, length },
    fits: fits.toString(),
  };
  let hint: string;
  if (largestFreeBlock === null) hint = `${details.parent} is full; allocate from another parent`;
  else if (fits > 0n) hint = `only ${fits} × /${length} fit; ask for fewer or for longer prefixes`;
  else hint = `the largest free block is ${largest}; ask for /${largestFreeBlock.length} or longer`;
  return new DomainError('POOL_EXHAUSTED', `${details.parent} has no room for ${count} × /${length}`, { field: 'length', hint, details });
}

/** Appends the first slots of `length` in `block` to `chosen` until it holds `count`. */
function takeSlots(block: Prefix, length: number, count: number, chosen: Prefix[]): void {
  const bits = addressBits(block.family);
  const step = 1n << BigInt(bits - length);
  const end = block.start + (1n << BigInt(bits - block.length));
  for (let start = block.start; start < end && chosen.length < count; start += step) {
    chosen.push({ family: block.family, start, length });
  }
}

/**
 * Chooses `count` blocks of `length` inside `parent` that overlap no child and
 * no each other. Children may be unsorted, nested or outside the parent.
 *
 * Best-fit fills the smallest suitable free block first, from its lowest
 * address, then the next; picking N at once gives the same result as N single
 * picks in a row (each pick only leaves smaller pieces behind).
 *
 * @param length - the prefix length wanted, in bits (e.g. 30 for a point-to-point link).
 * @returns the chosen prefixes in pick order (address order for first-fit).
 * @throws DomainError `LENGTH_OUTSIDE_POLICY` (length shorter than the parent's,
 *   beyond the family maximum or outside `minLength`…`maxLength`), `BAD_REQUEST`
 *   (count), `FAMILY_MISMATCH` (a child of the other family), `POOL_EXHAUSTED`
 *   with {@link ExhaustedDetails} when fewer than `count` fit.
 * @example
 * const parent = parsePrefix('10.0.0.0/24')
 * const used = [parsePrefix('10.0.0.0/26'), parsePrefix('10.0.0.96/27')]
 * chooseBlocks(parent, used, 27).map(formatPrefix)                            // ['10.0.0.64/27'] (the lone /27 hole)
 * chooseBlocks(parent, used, 27, { strategy: 'first-fit', count: 2 }).map(formatPrefix)
 * // ['10.0.0.64/27', '10.0.0.128/27']
 */
export function chooseBlocks(parent: Prefix, children: Iterable<Prefix>, length: number, opts: ChooseOptions = {}): Prefix[] {
  const { count = 1, strategy = 'best-fit' } = opts;
  checkRequest(parent, length, count, opts);
  const list = Array.isArray(children) ? (children as readonly Prefix[]) : [...children];
  const wanted = BigInt(count);
  const chosen: Prefix[] = [];
  // Best-fit keeps, per block length, only the first blocks that hold `count` slots:
  // memory O(count × bits), however many free blocks stream past.
  const kept = new Map<number, { blocks: Prefix[]; slots: bigint }>();
  let fits = 0n;
  for (const block of eachFreeBlock(parent, list)) {
    if (block.length > length) continue;
    const slots = 1n << BigInt(length - block.length);
    fits += slots;
    if (strategy === 'first-fit') {
      takeSlots(block, length, count, chosen);
      if (chosen.length === count) return chosen;
      continue;
    }
    const bucket = kept.get(block.length) ?? { blocks: [], slots: 0n };
    if (bucket.slots < wanted) {
      bucket.blocks.push(block);
      bucket.slots += slots;
      kept.set(block.length, bucket);
    }
  }
  if (fits < wanted) throw exhausted(parent, list, length, count, fits);
  // Smallest blocks first (longest length), each in address order.
  for (let blockLength = length; blockLength >= parent.length && chosen.length < count; blockLength--) {
    for (const block of kept.get(blockLength)?.blocks ?? []) takeSlots(block, length, count, chosen);
  }
  return chosen;
}
