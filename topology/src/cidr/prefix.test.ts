import fc from 'fast-check';
import { containsCidr, normalizeCidr, overlapCidr } from 'cidr-tools';
import { describe, expect, it } from 'vitest';
import { formatAddress } from './address';
import { anyPrefix, errorOf, family, pair, runs } from './arbitraries.testkit';
import {
  compare,
  contains,
  createPrefix,
  equals,
  formatPrefix,
  lastAddress,
  overlaps,
  parsePrefix,
  size,
  split,
  supernet,
  type Prefix,
} from './prefix';

const p = (text: string): Prefix => parsePrefix(text);

describe('parsePrefix', () => {
  it.each([
    ['10.1.0.0/16', 4, 0x0a010000n, 16],
    ['0.0.0.0/0', 4, 0n, 0],
    ['10.0.0.1/32', 4, 0x0a000001n, 32],
    ['10.0.0.2/31', 4, 0x0a000002n, 31],
    ['::/0', 6, 0n, 0],
    ['::/128', 6, 0n, 128],
    ['2001:DB8::/32', 6, 0x20010db8n << 96n, 32],
    ['2001:db8::/127', 6, 0x20010db8n << 96n, 127],
    ['::ffff:10.0.0.1/128', 6, 0xffff0a000001n, 128],
    ['::ffff:0:0/96', 6, 0xffffn << 32n, 96],
  ])('reads %s', (text, family, start, length) => {
    expect(parsePrefix(text)).toEqual({ family, start, length });
  });

  it.each([
    ['10.1.2.3/16', 'CIDR_HOST_BITS', 'did you mean 10.1.0.0/16?'],
    ['2001:db8::1/32', 'CIDR_HOST_BITS', 'did you mean 2001:db8::/32?'],
    ['10.0.0.1/31', 'CIDR_HOST_BITS', 'did you mean 10.0.0.0/31?'],
    ['::1/127', 'CIDR_HOST_BITS', 'did you mean ::/127?'],
    ['010.0.0.0/8', 'CIDR_INVALID', 'did you mean 10.0.0.0/8?'], // not octal 8.0.0.0
    ['0x0a.0.0.0/8', 'CIDR_INVALID', undefined],
    ['10.0.0.0/33', 'CIDR_INVALID', 'use a length from 0 to 32'],
    ['::/129', 'CIDR_INVALID', 'use a length from 0 to 128'],
    ['10.0.0.0/08', 'CIDR_INVALID', 'did you mean 10.0.0.0/8?'],
    ['10.0.0.0/-1', 'CIDR_INVALID', 'use a length from 0 to 32'],
    ['10.0.0.0/', 'CIDR_INVALID', 'use a length from 0 to 32'],
    ['10.0.0.0/8/8', 'CIDR_INVALID', 'use a length from 0 to 32'],
    ['10.0.0.0/255.0.0.0', 'CIDR_INVALID', 'use a length from 0 to 32'],
    ['10.0.0.1', 'CIDR_INVALID', 'did you mean 10.0.0.1/32?'],
    ['2001:db8::1', 'CIDR_INVALID', 'did you mean 2001:db8::1/128?'],
    ['fe80::%eth0/64', 'CIDR_INVALID', 'did you mean fe80::/64?'],
    [' 10.0.0.0/8', 'CIDR_INVALID', 'did you mean 10.0.0.0/8?'],
    ['10.0.0.0/8 ', 'CIDR_INVALID', 'did you mean 10.0.0.0/8?'],
    ['', 'CIDR_INVALID', undefined],
    [`10.0.0.0/${'8'.repeat(200)}`, 'CIDR_INVALID', undefined], // not echoed back whole
  ])('rejects %j with %s', (text, code, hint) => {
    const error = errorOf(() => parsePrefix(text, { field: 'pools[0].prefix' }));
    expect(error.code).toBe(code);
    expect(error.hint).toBe(hint);
    expect(error.field).toBe('pools[0].prefix');
  });

  it('clears host bits when not strict', () => {
    expect(formatPrefix(parsePrefix('10.1.2.3/16', { strict: false }))).toBe('10.1.0.0/16');
    expect(formatPrefix(parsePrefix('2001:db8::1/0', { strict: false }))).toBe('::/0');
  });
});

describe('createPrefix', () => {
  it('checks integers as they come from a store', () => {
    expect(createPrefix(4, 0x0a000000n, 8)).toEqual(p('10.0.0.0/8'));
    expect(errorOf(() => createPrefix(4, 2n ** 32n, 32)).code).toBe('CIDR_INVALID');
    expect(errorOf(() => createPrefix(6, 0n, 129)).code).toBe('CIDR_INVALID');
    expect(errorOf(() => createPrefix(4, 1n, 31)).code).toBe('CIDR_HOST_BITS');
  });
});

describe('formatPrefix', () => {
  it.each([
    ['2001:0DB8:0000:0000:0000:0000:0000:0000/32', '2001:db8::/32'],
    ['::ffff:10.0.0.0/104', '::ffff:10.0.0.0/104'],
    ['0:0:0:0:0:0:0:0/0', '::/0'],
    ['10.0.0.0/8', '10.0.0.0/8'],
  ])('writes %s as %s', (text, expected) => {
    expect(formatPrefix(p(text))).toBe(expected);
  });
});

describe('size and lastAddress', () => {
  it.each([
    ['0.0.0.0/0', 2n ** 32n, '255.255.255.255'],
    ['10.0.0.0/31', 2n, '10.0.0.1'],
    ['10.0.0.7/32', 1n, '10.0.0.7'],
    ['::/0', 2n ** 128n, 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['2001:db8::/32', 2n ** 96n, '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff'], // > 2^64: phpIPAM #750 overflowed here
    ['2001:db8::/64', 2n ** 64n, '2001:db8::ffff:ffff:ffff:ffff'],
    ['2001:db8::/127', 2n, '2001:db8::1'],
    ['::/128', 1n, '::'],
  ])('%s has %s addresses, the last %s', (text, count, last) => {
    expect(size(p(text))).toBe(count);
    expect(formatAddress(lastAddress(p(text)))).toBe(last);
  });
});

describe('contains, overlaps, compare', () => {
  it.each([
    ['10.0.0.0/8', '10.1.0.0/16', true, true],
    ['10.1.0.0/16', '10.0.0.0/8', false, true],
    ['10.0.0.0/8', '10.0.0.0/8', true, true],
    ['10.0.0.0/8', '11.0.0.0/8', false, false],
    ['0.0.0.0/0', '255.255.255.255/32', true, true],
    ['::/0', '0.0.0.0/0', false, false], // families never mix
    ['2001:db8::/32', '2001:db8:ffff::/48', true, true],
    ['2001:db8::/127', '2001:db8::1/128', true, true],
  ])('%s vs %s: contains %s, overlaps %s', (a, b, containsIt, overlapsIt) => {
    expect(contains(p(a), p(b))).toBe(containsIt);
    expect(overlaps(p(a), p(b))).toBe(overlapsIt);
    expect(overlaps(p(b), p(a))).toBe(overlapsIt);
  });

  it('contains addresses', () => {
    expect(contains(p('10.0.0.0/31'), { family: 4, value: 0x0a000001n })).toBe(true);
    expect(contains(p('10.0.0.0/31'), { family: 4, value: 0x0a000002n })).toBe(false);
    expect(contains(p('::/0'), { family: 4, value: 0n })).toBe(false);
  });

  it('orders by address, then length — never mask first (NetBox #17358)', () => {
    const texts = ['10.0.0.0/24', '9.0.0.0/8', '10.0.0.0/8', '::/0', '10.0.0.128/25', '10.0.0.0/16'];
    expect(texts.map(p).sort(compare).map(formatPrefix)).toEqual([
      '9.0.0.0/8',
      '10.0.0.0/8',
      '10.0.0.0/16',
      '10.0.0.0/24',
      '10.0.0.128/25',
      '::/0',
    ]);
    expect(overlaps(p('10.0.0.128/25'), p('10.0.0.0/8'))).toBe(true);
  });
});

describe('split and supernet', () => {
  it('splits lazily in address order', () => {
    expect([...split(p('10.0.0.0/23'), 24)].map(formatPrefix)).toEqual(['10.0.0.0/24', '10.0.1.0/24']);
    expect([...split(p('10.0.0.0/24'), 24)].map(formatPrefix)).toEqual(['10.0.0.0/24']);
    const huge = split(p('2001:db8::/32'), 64); // 2^32 subnets: only what is taken is made
    expect(formatPrefix(huge.next().value as Prefix)).toBe('2001:db8::/64');
    expect(formatPrefix(huge.next().value as Prefix)).toBe('2001:db8:0:1::/64');
  });

  it('rejects lengths outside the prefix at once', () => {
    expect(errorOf(() => split(p('10.0.0.0/24'), 23)).code).toBe('LENGTH_OUTSIDE_POLICY');
    expect(errorOf(() => split(p('10.0.0.0/24'), 33)).code).toBe('LENGTH_OUTSIDE_POLICY');
    expect(errorOf(() => supernet(p('10.0.0.0/24'), 25)).code).toBe('LENGTH_OUTSIDE_POLICY');
    expect(errorOf(() => supernet(p('0.0.0.0/0'))).code).toBe('LENGTH_OUTSIDE_POLICY');
  });

  it.each([
    ['10.1.2.0/24', undefined, '10.1.2.0/23'],
    ['10.1.3.0/24', undefined, '10.1.2.0/23'],
    ['10.1.2.0/24', 16, '10.1.0.0/16'],
    ['2001:db8:1::/48', 0, '::/0'],
  ])('supernet(%s, %s) = %s', (text, length, expected) => {
    expect(formatPrefix(supernet(p(text), length))).toBe(expected);
  });
});

/** Text with host bits possibly set, of a random prefix. */
const hostBitsText = family.chain((f) =>
  fc
    .tuple(anyPrefix(f), fc.bigInt({ min: 0n, max: (1n << BigInt(f === 4 ? 32 : 128)) - 1n }))
    .map(([prefix, noise]) => `${formatAddress({ family: f, value: prefix.start | (noise & (size(prefix) - 1n)) })}/${prefix.length}`),
);
const inMapped = (x: Prefix): boolean => x.family === 6 && x.start >> 32n === 0xffffn;

describe('against cidr-tools (property)', () => {
  it('normalizes like normalizeCidr (IPv4-mapped text aside) and round-trips', () => {
    fc.assert(
      fc.property(hostBitsText, (text) => {
        const ours = parsePrefix(text, { strict: false });
        if (!inMapped(ours)) expect(formatPrefix(ours)).toBe(normalizeCidr(text));
        expect(parsePrefix(normalizeCidr(text))).toEqual(ours);
        expect(parsePrefix(formatPrefix(ours))).toEqual(ours);
      }),
      runs(1000),
    );
  });

  it('contains and overlaps agree with containsCidr and overlapCidr', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        expect(contains(a, b)).toBe(containsCidr(formatPrefix(a), formatPrefix(b)));
        expect(overlaps(a, b)).toBe(overlapCidr(formatPrefix(a), formatPrefix(b)));
      }),
      runs(1000),
    );
  });

  it('split tiles the prefix and supernet undoes it', () => {
    fc.assert(
      fc.property(family.chain(anyPrefix), fc.integer({ min: 0, max: 4 }), (a, extra) => {
        const length = Math.min(a.family === 4 ? 32 : 128, a.length + extra);
        const parts = [...split(a, length)];
        expect(parts.reduce((sum, x) => sum + size(x), 0n)).toBe(size(a));
        for (const part of parts) expect(equals(supernet(part, a.length), a)).toBe(true);
        expect([...parts].sort(compare)).toEqual(parts);
      }),
      runs(300),
    );
  });
});
