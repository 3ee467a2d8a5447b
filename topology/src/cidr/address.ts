/**
 * IP addresses as exact integers: strict parsing and canonical formatting.
 *
 * Strict on purpose: the same text must mean the same address to every tool
 * that reads it. Dotted IPv4 parts with leading zeros (`010.0.0.1`) are read as
 * octal by inet_aton-style parsers (ipaddr.js, netmask CVE-2021-28918) and as
 * decimal by others, so they are rejected here rather than guessed.
 */
import { DomainError } from '../errors';

/** IP family: 4 or 6. */
export type Family = 4 | 6;

/**
 * One IP address as an unsigned integer: `value` is in 0 … 2^32−1 (IPv4) or
 * 0 … 2^128−1 (IPv6). IPv4-mapped addresses (`::ffff:10.0.0.1`) stay family 6.
 */
export interface IpAddress {
  readonly family: Family;
  readonly value: bigint;
}

/** Number of bits in an address of `family`: 32 or 128. */
export function addressBits(family: Family): 32 | 128 {
  return family === 4 ? 32 : 128;
}

/** Why a text is not an address, with a suggested fix when there is one. */
export interface AddressFault {
  readonly message: string;
  readonly hint?: string;
}

/** Longest text we look at; real addresses are ≤ 45 characters. */
const MAX_TEXT = 64;
const IPV4_PART = /^[0-9]{1,3}$/;
const IPV6_GROUP = /^[0-9a-fA-F]{1,4}$/;

/**
 * Parses dotted-quad IPv4 strictly: exactly four decimal parts 0–255, no
 * leading zeros, no hex, no shorthand (`10.1`), no whitespace.
 * Returns the integer or an {@link AddressFault}; never throws.
 */
export function readIPv4(text: string): bigint | AddressFault {
  const parts = text.split('.');
  if (parts.length !== 4) {
    return { message: `IPv4 needs 4 dot-separated parts, got ${parts.length}` };
  }
  let value = 0;
  let leadingZero = false;
  for (const part of parts) {
    if (!IPV4_PART.test(part) || Number(part) > 255) {
      return { message: `IPv4 part "${part}" must be a decimal number 0–255` };
    }
    if (part.length > 1 && part.startsWith('0')) leadingZero = true;
    value = value * 256 + Number(part);
  }
  if (leadingZero) {
    const decimal = parts.map((p) => String(Number(p))).join('.');
    return {
      message: 'IPv4 parts must not have leading zeros (some tools read them as octal)',
      hint: `did you mean ${decimal}?`,
    };
  }
  return BigInt(value);
}

/** Parses a run of colon-separated hex groups; an IPv4 tail counts as two groups. */
function readGroups(text: string, allowIPv4Tail: boolean): bigint[] | AddressFault {
  if (text === '') return [];
  const tokens = text.split(':');
  const groups: bigint[] = [];
  for (const [i, token] of tokens.entries()) {
    if (allowIPv4Tail && i === tokens.length - 1 && token.includes('.')) {
      const v4 = readIPv4(token);
      if (typeof v4 !== 'bigint') return v4;
      groups.push(v4 >> 16n, v4 & 0xffffn);
    } else if (IPV6_GROUP.test(token)) {
      groups.push(BigInt(parseInt(token, 16)));
    } else {
      return { message: `IPv6 group "${token}" must be 1–4 hex digits` };
    }
  }
  return groups;
}

/**
 * Parses IPv6 text strictly (RFC 4291 §2.2): 8 groups of 1–4 hex digits, at most
 * one `::`, an optional dotted IPv4 tail (strict as {@link readIPv4}). Zone IDs
 * (`fe80::1%eth0`) and brackets are rejected: they are not part of an address.
 */
export function readIPv6(text: string): bigint | AddressFault {
  if (text.includes('%')) {
    return { message: 'zone IDs (%…) are not allowed here', hint: `did you mean ${text.split('%')[0]}?` };
  }
  const halves = text.split('::');
  if (halves.length > 2) return { message: 'IPv6 may contain "::" only once' };
  const [leftText = '', rightText] = halves;
  const left = readGroups(leftText, rightText === undefined);
  if (!Array.isArray(left)) return left;
  const right = rightText === undefined ? [] : readGroups(rightText, true);
  if (!Array.isArray(right)) return right;
  const count = left.length + right.length;
  if (rightText === undefined ? count !== 8 : count > 7) {
    return { message: `IPv6 needs 8 groups (or fewer with "::"), got ${count}` };
  }
  const groups = [...left, ...Array<bigint>(8 - count).fill(0n), ...right];
  return groups.reduce((acc, g) => (acc << 16n) | g, 0n);
}

/**
 * Reads an address of either family (IPv6 if the text contains `:`), returning
 * the address or an {@link AddressFault}. The non-throwing core of
 * {@link parseAddress}, also used by `parsePrefix`.
 */
export function readAddress(text: string): IpAddress | AddressFault {
  if (text.length === 0) return { message: 'address is empty' };
  if (text.length > MAX_TEXT) return { message: `address is longer than ${MAX_TEXT} characters` };
  if (text.trim() !== text) return { message: 'address has surrounding whitespace', hint: `did you mean ${text.trim()}?` };
  const family: Family = text.includes(':') ? 6 : 4;
  const value = family === 4 ? readIPv4(text) : readIPv6(text);
  return typeof value === 'bigint' ? { family, value } : value;
}

/**
 * Parses one IP address strictly; throws `CIDR_INVALID` otherwise.
 *
 * @param opts.field - the field named in the error; default `'address'`.
 * @example
 * parseAddress('10.0.0.1')        // { family: 4, value: 167772161n }
 * parseAddress('2001:db8::1')     // { family: 6, value: 0x20010db8…01n }
 * parseAddress('010.0.0.1')       // throws CIDR_INVALID, hint 'did you mean 10.0.0.1?'
 */
export function parseAddress(text: string, opts: { field?: string } = {}): IpAddress {
  const field = opts.field ?? 'address';
  if (text.length > MAX_TEXT) throw new DomainError('CIDR_INVALID', `address text is longer than ${MAX_TEXT} characters`, { field });
  if (text.includes('/')) {
    throw new DomainError('CIDR_INVALID', `${text} is a prefix, not an address`, {
      field,
      hint: `did you mean ${text.split('/')[0]}?`,
    });
  }
  const parsed = readAddress(text);
  if ('message' in parsed) {
    throw new DomainError('CIDR_INVALID', `${text} is not a valid IP address: ${parsed.message}`, {
      field,
      ...(parsed.hint !== undefined && { hint: parsed.hint }),
    });
  }
  return parsed;
}

function formatIPv4(value: bigint): string {
  const n = Number(value);
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/**
 * Formats an address canonically. IPv4: dotted decimal. IPv6: RFC 5952 —
 * lowercase, no leading zeros, the longest run (≥ 2) of zero groups shortened to
 * `::` (the first one on a tie). IPv4-mapped addresses (`::ffff:0:0/96`) use the
 * mixed form RFC 5952 §5 recommends, so `::ffff:10.0.0.1` reads back as written.
 *
 * @example
 * formatAddress({ family: 6, value: 0x20010db8000000000000000000000001n }) // '2001:db8::1'
 * formatAddress(parseAddress('::FFFF:10.0.0.1'))                          // '::ffff:10.0.0.1'
 */
export function formatAddress(address: IpAddress): string {
  const { family, value } = address;
  if (family === 4) return formatIPv4(value);
  if (value >> 32n === 0xffffn) return `::ffff:${formatIPv4(value & 0xffffffffn)}`;
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1; // a single zero group is never shortened (RFC 5952 §4.2.2)
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLength).join(':');
  return `${head}::${tail}`;
}
