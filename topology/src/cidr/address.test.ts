import fc from 'fast-check';
import { normalizeCidr } from 'cidr-tools';
import { Address4, Address6 } from 'ip-address';
import { describe, expect, it } from 'vitest';
import { formatAddress, parseAddress, type IpAddress } from './address';
import { address, errorOf, runs } from './arbitraries.testkit';

const isMapped = (a: IpAddress): boolean => a.family === 6 && a.value >> 32n === 0xffffn;

describe('parseAddress', () => {
  it.each([
    ['10.0.0.1', 4, 0x0a000001n],
    ['0.0.0.0', 4, 0n],
    ['255.255.255.255', 4, 0xffffffffn],
    ['::', 6, 0n],
    ['::1', 6, 1n],
    ['2001:DB8::1', 6, 0x20010db8000000000000000000000001n],
    ['::ffff:10.0.0.1', 6, 0xffff0a000001n],
    ['1:2:3:4:5:6:7::', 6, 0x00010002000300040005000600070000n],
    ['::2:3:4:5:6:7:8', 6, 0x00000002000300040005000600070008n],
    ['1:2:3:4:5:6:1.2.3.4', 6, 0x00010002000300040005000601020304n],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 6, 2n ** 128n - 1n],
  ])('reads %s', (text, family, value) => {
    expect(parseAddress(text)).toEqual({ family, value });
  });

  it.each([
    ['010.0.0.1', 'did you mean 10.0.0.1?'], // octal-looking: rejected, never read as 8.0.0.1
    ['10.0.0.01', 'did you mean 10.0.0.1?'],
    ['::ffff:010.0.0.1', 'did you mean 10.0.0.1?'],
    ['0x0a.0.0.1', undefined],
    ['10.1', undefined],
    ['10.0.0.256', undefined],
    ['10.0.0.1.2', undefined],
    ['', undefined],
    [' 10.0.0.1', 'did you mean 10.0.0.1?'],
    [':::', undefined],
    ['1::2::3', undefined],
    ['1:2:3:4:5:6:7:8:9', undefined],
    ['1:2:3:4:5:6:7:8::', undefined],
    ['1:2:3:4:5:6:7', undefined],
    ['12345::', undefined],
    ['g::', undefined],
    ['1.2.3.4::', undefined],
    ['fe80::1%eth0', 'did you mean fe80::1?'],
    ['[2001:db8::1]', undefined],
    ['10.0.0.1/32', 'did you mean 10.0.0.1?'],
  ])('rejects %j', (text, hint) => {
    const error = errorOf(() => parseAddress(text, { field: 'mgmtAddress' }));
    expect(error.code).toBe('CIDR_INVALID');
    expect(error.field).toBe('mgmtAddress');
    expect(error.hint).toBe(hint);
  });
});

describe('formatAddress', () => {
  it.each([
    [6, 0n, '::'],
    [6, 1n, '::1'],
    [6, 0x20010db8000000000000000000000001n, '2001:db8::1'],
    [6, 0x20010db8000000000001000000000001n, '2001:db8::1:0:0:1'], // equal runs: the first is shortened
    [6, 0x20010db8000000010000000000000000n, '2001:db8:0:1::'], // the longer run wins
    [6, 0x20010db8000000010001000100010001n, '2001:db8:0:1:1:1:1:1'], // a single 0 group stays
    [6, 0x00010000000000000000000000000000n, '1::'],
    [6, 0xffff0a000001n, '::ffff:10.0.0.1'], // IPv4-mapped: mixed notation, RFC 5952 §5
    [6, 0x0a000001n, '::a00:1'], // IPv4-compatible (deprecated): plain hex
    [4, 0xc0a80001n, '192.168.0.1'],
  ] as const)('formats IPv%s %s as %s', (family, value, text) => {
    expect(formatAddress({ family, value })).toBe(text);
  });
});

describe('address text round trip (property)', () => {
  it('reads back what it writes', () => {
    fc.assert(
      fc.property(address, (a) => {
        expect(parseAddress(formatAddress(a))).toEqual(a);
      }),
      runs(1000),
    );
  });

  it('writes what cidr-tools normalizeCidr writes (mapped addresses aside)', () => {
    fc.assert(
      fc.property(address, (a) => {
        fc.pre(!isMapped(a));
        expect(formatAddress(a)).toBe(normalizeCidr(formatAddress(a)));
      }),
      runs(1000),
    );
  });

  it('agrees with ip-address on the value and on RFC 5952 correctForm (mapped addresses aside)', () => {
    fc.assert(
      fc.property(address, (a) => {
        const text = formatAddress(a);
        const theirs = a.family === 4 ? new Address4(text) : new Address6(text);
        expect(theirs.bigInt()).toBe(a.value);
        if (!isMapped(a)) expect(theirs.correctForm()).toBe(text);
      }),
      runs(1000),
    );
  });
});
