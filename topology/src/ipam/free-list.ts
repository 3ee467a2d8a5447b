import { addressBits } from '../cidr/address';
import { chooseBlocks, type ChooseOptions } from '../cidr/choose';
import { freeBlocks } from '../cidr/free';
import { contains, formatPrefix, parsePrefix, size, type Prefix } from '../cidr/prefix';

/**
 * The stored free list of a prefix: the minimal aligned blocks of the prefix
 * not covered by its children. The IPAM keeps it on each prefix node and
 * updates it in the same transaction as every allocation and release, so an
 * allocation costs O(free blocks), not O(children) — NetBox and Nautobot
 * rebuild `IPSet(parent) − IPSet(children)` on every request (#13880, #14026).
 */

/** Takes `length` blocks from a free list; returns them and the new free list. */
export function takeFromFree(
  parent: Prefix,
  free: readonly Prefix[],
  length: number,
  opts: ChooseOptions = {},
): { chosen: Prefix[]; free: Prefix[] } {
  // parent minus free = the space in use, as blocks; choose against that.
  const used = freeBlocks(parent, free);
  const chosen = chooseBlocks(parent, used, length, opts);
  return { chosen, free: freeBlocks(parent, [...used, ...chosen]) };
}

/** Marks `block` (inside parent) as used: the new free list. */
export function markUsed(parent: Prefix, free: readonly Prefix[], block: Prefix): Prefix[] {
  return freeBlocks(parent, [...freeBlocks(parent, free), block]);
}

/** Marks many blocks (inside parent) as used at once, in O(n log n): the new free list. */
export function markUsedMany(parent: Prefix, free: readonly Prefix[], blocks: readonly Prefix[]): Prefix[] {
  return freeBlocks(parent, [...freeBlocks(parent, free), ...blocks]);
}

/** Gives `block` (inside parent) back: the new free list. */
export function markFree(parent: Prefix, free: readonly Prefix[], block: Prefix): Prefix[] {
  const used = freeBlocks(parent, free).flatMap((u) => (contains(u, block) ? freeBlocks(u, [block]) : [u]));
  return freeBlocks(parent, used);
}

/** Addresses in use = size − free. */
export function usedAddresses(parent: Prefix, free: readonly Prefix[]): bigint {
  return free.reduce((n, b) => n - size(b), size(parent));
}

/** Free lists are stored as CIDR strings. */
export const encodeFree = (free: readonly Prefix[]): string[] => free.map(formatPrefix);
export const decodeFree = (free: readonly string[]): Prefix[] => free.map((c) => parsePrefix(c));

/**
 * Fixed-width lower-case hex of the first and last address, so that string
 * order equals address order in the database (Neo4j integers are 64-bit; IPv6
 * needs 128): `startHex <= x AND endHex >= x` finds the prefixes holding x.
 */
export function rangeKeys(p: Prefix): { startHex: string; endHex: string } {
  const bits = addressBits(p.family);
  const width = bits / 4;
  const end = p.start + size(p) - 1n;
  return { startHex: p.start.toString(16).padStart(width, '0'), endHex: end.toString(16).padStart(width, '0') };
}
