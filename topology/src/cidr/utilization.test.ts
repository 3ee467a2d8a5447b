import fc from 'fast-check';
import { overlapCidr } from 'cidr-tools';
import { describe, expect, it } from 'vitest';
import { addressBits } from './address';
import { errorOf, runs, slotCase } from './arbitraries.testkit';
import { formatPrefix, overlaps, parsePrefix, size, supernet, type Prefix } from './prefix';
import { applyDelta, defaultUnitLength, utilization, type Utilization } from './utilization';

const p = (text: string): Prefix => parsePrefix(text);

describe('utilization', () => {
  it.each([
    ['an empty IPv4 /24', '10.0.0.0/24', [], undefined, 0n, 256n, 0],
    ['half an IPv4 /24', '10.0.0.0/24', ['10.0.0.0/25'], undefined, 128n, 256n, 50],
    ['nested and duplicate children count once', '10.0.0.0/24', ['10.0.0.0/25', '10.0.0.0/26', '10.0.0.0/25'], undefined, 128n, 256n, 50],
    ['children outside are ignored', '10.0.0.0/24', ['10.0.1.0/24', '9.0.0.0/8'], undefined, 0n, 256n, 0],
    ['a child containing the parent fills it', '10.0.0.0/24', ['10.0.0.0/8'], undefined, 256n, 256n, 100],
    ['a /31 in /31s', '10.0.0.0/24', ['10.0.0.0/31', '10.0.0.1/32'], 31, 1n, 128n, 0.7812],
    [
      'IPv6 counted in /64s (NIPAP #900)',
      '2001:db8::/48',
      ['2001:db8::/64', '2001:db8:0:1::/127', '2001:db8:0:1::8/127'],
      undefined,
      2n,
      65536n,
      0.003,
    ],
    ['IPv6 /32 holds 2^32 /64s', '2001:db8::/32', ['2001:db8::/33'], undefined, 2n ** 31n, 2n ** 32n, 50],
    ['IPv6 /0 in /128s is exact', '::/0', ['::/1'], 128, 2n ** 127n, 2n ** 128n, 50],
    ['an IPv6 /120 defaults to addresses', '2001:db8::/120', ['2001:db8::/121'], undefined, 128n, 256n, 50],
  ])('%s', (_name, parent, children, unitLength, used, total, percent) => {
    const result = utilization(p(parent), children.map(p), unitLength === undefined ? {} : { unitLength });
    expect(result).toMatchObject({ used, total, percent });
  });

  it('rejects a unit larger than the parent, naming the given field', () => {
    expect(errorOf(() => utilization(p('2001:db8::/64'), [], { unitLength: 48 })).code).toBe('BAD_REQUEST');
    expect(errorOf(() => utilization(p('10.0.0.0/8'), [], { unitLength: 33 })).field).toBe('unitLength');
    expect(errorOf(() => utilization(p('10.0.0.0/8'), [], { unitLength: 33, field: 'unit' })).field).toBe('unit');
  });
});

describe('the default unit', () => {
  // A /64 is counted in addresses: in /64s it would read 100 % with one /127 in it.
  it.each([
    ['an IPv6 /63 holds two /64s', '2001:db8::/63', ['2001:db8::/127'], 64, 1n, 2n, 50],
    ['an IPv6 /64 counts addresses', '2001:db8::/64', ['2001:db8::/127'], 128, 2n, 2n ** 64n, 0],
    ['an IPv6 /64 that is full', '2001:db8::/64', ['2001:db8::/65', '2001:db8:0:0:8000::/65'], 128, 2n ** 64n, 2n ** 64n, 100],
    ['an IPv6 /65 counts addresses', '2001:db8::/65', ['2001:db8::/66'], 128, 2n ** 62n, 2n ** 63n, 50],
    ['an IPv4 /24 counts addresses', '10.0.0.0/24', ['10.0.0.0/31'], 32, 2n, 256n, 0.7812],
    ['an IPv4 /32 is one address', '10.0.0.1/32', ['10.0.0.1/32'], 32, 1n, 1n, 100],
  ])('%s', (_name, parent, children, unitLength, used, total, percent) => {
    expect(defaultUnitLength(p(parent))).toBe(unitLength);
    expect(utilization(p(parent), children.map(p))).toEqual({ used, total, percent, unitLength });
  });
});

describe('applyDelta', () => {
  it('adds and removes whole and partial units', () => {
    let counter = utilization(p('2001:db8::/48'), []);
    counter = applyDelta(counter, { op: 'add', child: p('2001:db8:0:100::/56') });
    expect(counter.used).toBe(256n);
    counter = applyDelta(counter, { op: 'add', child: p('2001:db8::/127') });
    counter = applyDelta(counter, { op: 'add', child: p('2001:db8::2/127'), unitShared: true });
    expect(counter).toEqual({ used: 257n, total: 65536n, percent: 0.3921, unitLength: 64 });
    counter = applyDelta(counter, { op: 'remove', child: p('2001:db8::/127'), unitShared: true });
    expect(counter.used).toBe(257n);
  });

  it('refuses to drift below zero or above the total', () => {
    const empty = utilization(p('10.0.0.0/24'), []);
    expect(errorOf(() => applyDelta(empty, { op: 'remove', child: p('10.0.0.0/25') })).hint).toMatch(/recompute/);
    expect(errorOf(() => applyDelta(empty, { op: 'add', child: p('10.0.0.0/23') })).code).toBe('BAD_REQUEST');
  });
});

describe('against a brute force over cidr-tools (property)', () => {
  // slotCase's `length` is used as the unit: at most 256 units per parent.
  it('counts the units any child touches', () => {
    fc.assert(
      fc.property(slotCase, ({ parent, children, length: unitLength }) => {
        const step = 1n << BigInt(addressBits(parent.family) - unitLength);
        const childTexts = children.map(formatPrefix);
        let touched = 0n;
        for (let start = parent.start; start < parent.start + size(parent); start += step) {
          if (childTexts.length > 0 && overlapCidr(formatPrefix({ family: parent.family, start, length: unitLength }), childTexts))
            touched++;
        }
        expect(utilization(parent, children, { unitLength }).used).toBe(touched);
      }),
      runs(300),
    );
  });

  it('applyDelta over disjoint children, added then removed in any order, matches a recount', () => {
    fc.assert(
      fc.property(slotCase, fc.array(fc.nat(), { minLength: 12, maxLength: 12 }), ({ parent, children, length: unitLength }, picks) => {
        const disjoint: Prefix[] = [];
        for (const child of children) if (!disjoint.some((d) => overlaps(d, child))) disjoint.push(child);
        const unitOf = (c: Prefix): Prefix => (c.length > unitLength ? supernet(c, unitLength) : c);
        const shared = (c: Prefix, others: Prefix[]): boolean => others.some((o) => o !== c && overlaps(o, unitOf(c)));
        let counter: Utilization = utilization(parent, [], { unitLength });
        const present: Prefix[] = [];
        for (const child of disjoint) {
          counter = applyDelta(counter, { op: 'add', child, unitShared: shared(child, present) });
          present.push(child);
          expect(counter).toEqual(utilization(parent, present, { unitLength }));
        }
        while (present.length > 0) {
          const [child] = present.splice((picks.pop() ?? 0) % present.length, 1) as [Prefix];
          counter = applyDelta(counter, { op: 'remove', child, unitShared: shared(child, present) });
          expect(counter).toEqual(utilization(parent, present, { unitLength }));
        }
      }),
      runs(200),
    );
  });
});
