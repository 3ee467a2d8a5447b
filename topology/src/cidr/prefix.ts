/**
 * CIDR prefixes as exact integers: `{ family, start, length }`, where `start` is
 * the network address as an unsigned integer and `length` the prefix length in
 * bits. All size math is BigInt, so a /0 in IPv6 (2^128 addresses) is exact —
 * no int64 overflow as in phpIPAM #750, no `len()` limit as in NetBox #1390.
 *
 * Ordering and overlap compare address integers only; the mask is a tie-break,
 * never part of the key (NetBox #17358: Postgres `inet` ordering puts the mask
 * first and overlap checks missed prefixes of other lengths).
 */
import { DomainError } from '../errors';
import { addressBits, formatAddress, readAddress, type Family, type IpAddress } from './address';

/** A CIDR block. Invariant: the host bits of `start` are zero. */
export interface Prefix {
  readonly family: Family;
  /** Network address as an integer (0 … 2^32−1 or 2^128−1). */
  readonly start: bigint;
  /** Prefix length in bits: 0–32 (IPv4) or 0–128 (IPv6). */
  readonly length: number;
}

/** Options for {@link parsePrefix} and {@link createPrefix}. */
export interface PrefixOptions {
  /** Reject host bits (`true`, default) or clear them (`false`). */
  strict?: boolean;
  /** Field named in errors; default `'prefix'`. */
  field?: string;
}

const LENGTH_TEXT = /^(0|[1-9][0-9]{0,2})$/;
/** Longest prefix text read (and echoed in errors); real ones are ≤ 49 characters. */
const MAX_TEXT = 100;

/** Number of addresses in a block of `hostBits` host bits. */
function blockSize(hostBits: number): bigint {
  return 1n << BigInt(hostBits);
}

/**
 * Builds a prefix from integers (e.g. as stored in a database), checking it.
 * Host bits set → `CIDR_HOST_BITS` (strict, default) or cleared (`strict: false`).
 *
 * @example
 * createPrefix(4, 0x0a010000n, 16) // 10.1.0.0/16
 */
export function createPrefix(family: Family, start: bigint, length: number, opts: PrefixOptions = {}): Prefix {
  const { strict = true, field = 'prefix' } = opts;
  const bits = addressBits(family);
  if (!Number.isInteger(length) || length < 0 || length > bits) {
    throw new DomainError('CIDR_INVALID', `IPv${family} prefix length must be 0–${bits}. Got: ${length}`, { field });
  }
  if (start < 0n || start >= blockSize(bits)) {
    throw new DomainError('CIDR_INVALID', `address ${start} is outside IPv${family}`, { field });
  }
  const hostBits = BigInt(bits - length);
  const network = (start >> hostBits) << hostBits;
  if (network !== start && strict) {
    const suggested = formatPrefix({ family, start: network, length });
    const given = `${formatAddress({ family, value: start })}/${length}`;
    throw new DomainError('CIDR_HOST_BITS', `${given} has host bits set`, { field, hint: `did you mean ${suggested}?` });
  }
  return { family, start: network, length };
}

/**
 * Parses `address/length` strictly. The length is required, decimal, without
 * leading zeros; the address follows {@link parseAddress}'s rules (no octal,
 * hex or leading-zero IPv4 parts, no zone IDs).
 *
 * @param opts.strict - default `true`: host bits set → `CIDR_HOST_BITS` with a
 *   hint; `false`: host bits are cleared (`10.1.2.3/16` → `10.1.0.0/16`).
 * @param opts.field - default `'prefix'`.
 * @throws DomainError `CIDR_INVALID` (malformed), `CIDR_HOST_BITS` (strict only).
 * @example
 * parsePrefix('10.1.0.0/16')                    // { family: 4, start: 167837696n, length: 16 }
 * parsePrefix('10.1.2.3/16')                    // throws CIDR_HOST_BITS, hint 'did you mean 10.1.0.0/16?'
 * parsePrefix('10.1.2.3/16', { strict: false }) // 10.1.0.0/16
 */
export function parsePrefix(text: string, opts: PrefixOptions = {}): Prefix {
  const field = opts.field ?? 'prefix';
  if (text.length > MAX_TEXT) throw new DomainError('CIDR_INVALID', `prefix text is longer than ${MAX_TEXT} characters`, { field });
  const invalid = (why: string, hint?: string): DomainError =>
    new DomainError('CIDR_INVALID', `${text} is not a valid prefix: ${why}`, { field, ...(hint !== undefined && { hint }) });
  if (text.trim() !== text) throw invalid('it has surrounding whitespace', `did you mean ${text.trim()}?`);
  const slash = text.indexOf('/');
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const address = readAddress(addressText);
  if ('message' in address) {
    const hint = address.hint?.replace(/\?$/, slash < 0 ? '?' : `${text.slice(slash)}?`);
    throw invalid(address.message, hint);
  }
  const bits = addressBits(address.family);
  if (slash < 0) throw invalid('the /length is missing', `did you mean ${text}/${bits}?`);
  const lengthText = text.slice(slash + 1);
  if (!LENGTH_TEXT.test(lengthText) || Number(lengthText) > bits) {
    const plain = /^[0-9]+$/.test(lengthText) ? Number(lengthText) : NaN;
    const hint = plain <= bits ? `did you mean ${addressText}/${plain}?` : `use a length from 0 to ${bits}`;
    throw invalid(`IPv${address.family} prefix length must be 0–${bits} in plain decimal. Got: ${lengthText}`, hint);
  }
  return createPrefix(address.family, address.value, Number(lengthText), { ...opts, field });
}

/**
 * Formats a prefix as `address/length`, the address as {@link formatAddress}
 * (RFC 5952 for IPv6).
 *
 * @example formatPrefix({ family: 6, start: 0x20010db8n << 96n, length: 32 }) // '2001:db8::/32'
 */
export function formatPrefix(p: Prefix): string {
  return `${formatAddress({ family: p.family, value: p.start })}/${p.length}`;
}

/** Number of addresses in `p`, exactly: 2^(bits − length). @example size(parsePrefix('::/0')) // 2n ** 128n */
export function size(p: Prefix): bigint {
  return blockSize(addressBits(p.family) - p.length);
}

/** The highest address in `p` (the broadcast address for IPv4 below /31). */
export function lastAddress(p: Prefix): IpAddress {
  return { family: p.family, value: p.start + size(p) - 1n };
}

/** Exclusive end of `p` as an integer: `start + size`. */
function endOf(p: Prefix): bigint {
  return p.start + size(p);
}

function isPrefix(x: Prefix | IpAddress): x is Prefix {
  return 'length' in x;
}

/**
 * Whether `inner` (a prefix or an address) lies entirely inside `outer`.
 * A prefix contains itself. Different families never contain each other.
 *
 * @example contains(parsePrefix('10.0.0.0/8'), parsePrefix('10.1.0.0/16')) // true
 */
export function contains(outer: Prefix, inner: Prefix | IpAddress): boolean {
  if (outer.family !== inner.family) return false;
  const [lo, hi] = isPrefix(inner) ? [inner.start, endOf(inner)] : [inner.value, inner.value + 1n];
  return outer.start <= lo && hi <= endOf(outer);
}

/**
 * Whether `a` and `b` share at least one address (for CIDR blocks: one
 * contains the other). Compares address ranges, never masks. Different families → false.
 */
export function overlaps(a: Prefix, b: Prefix): boolean {
  return a.family === b.family && a.start < endOf(b) && b.start < endOf(a);
}

/**
 * Total order for sorting: family (4 before 6), then network address, then
 * length (shorter, i.e. the supernet, first) — the order of Python's
 * `ipaddress` and of a tree walk. Returns −1, 0 or 1.
 */
export function compare(a: Prefix, b: Prefix): number {
  if (a.family !== b.family) return a.family - b.family;
  if (a.start !== b.start) return a.start < b.start ? -1 : 1;
  return Math.sign(a.length - b.length);
}

/** Whether two prefixes are the same block. */
export function equals(a: Prefix, b: Prefix): boolean {
  return a.family === b.family && a.start === b.start && a.length === b.length;
}

function checkLength(p: Prefix, newLength: number, min: number, max: number, field: string): void {
  if (!Number.isInteger(newLength) || newLength < min || newLength > max) {
    throw new DomainError('LENGTH_OUTSIDE_POLICY', `length for ${formatPrefix(p)} must be ${min}–${max}. Got: ${newLength}`, {
      field,
      hint: `use a length from ${min} to ${max}`,
    });
  }
}

/**
 * The subnets of `p` of length `newLength`, in address order, lazily: a /32
 * split into /64s yields 2^32 values, so take what you need. Throws
 * `LENGTH_OUTSIDE_POLICY` at once if `newLength` is shorter than `p.length` or
 * beyond the family's maximum.
 *
 * @example [...split(parsePrefix('10.0.0.0/23'), 24)].map(formatPrefix) // ['10.0.0.0/24', '10.0.1.0/24']
 */
export function split(p: Prefix, newLength: number): Generator<Prefix> {
  checkLength(p, newLength, p.length, addressBits(p.family), 'length');
  const step = blockSize(addressBits(p.family) - newLength);
  const end = endOf(p);
  return (function* subnets() {
    for (let start = p.start; start < end; start += step) yield { family: p.family, start, length: newLength };
  })();
}

/**
 * The block of length `newLength` (default: one bit shorter) that contains `p`.
 * Throws `LENGTH_OUTSIDE_POLICY` if `newLength` is negative or longer than `p.length`.
 *
 * @example formatPrefix(supernet(parsePrefix('10.1.2.0/24'), 16)) // '10.1.0.0/16'
 */
export function supernet(p: Prefix, newLength: number = p.length - 1): Prefix {
  checkLength(p, newLength, 0, p.length, 'length');
  return createPrefix(p.family, p.start, newLength, { strict: false });
}
