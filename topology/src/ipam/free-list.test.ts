import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { freeBlocks } from '../cidr/free';
import { formatPrefix, overlaps, parsePrefix, size } from '../cidr/prefix';
import { decodeFree, encodeFree, markFree, markUsed, rangeKeys, takeFromFree, usedAddresses } from './free-list';

const P = (s: string) => parsePrefix(s);
const fmt = (ps: { family: 4 | 6; start: bigint; length: number }[]) => ps.map(formatPrefix);

describe('the stored free list', () => {
  it('starts as the parent itself and shrinks as blocks are taken (best-fit keeps big blocks whole)', () => {
    const parent = P('10.0.0.0/24');
    let free = [parent];
    const a = takeFromFree(parent, free, 26);
    expect(fmt(a.chosen)).toEqual(['10.0.0.0/26']);
    free = a.free;
    expect(fmt(free)).toEqual(['10.0.0.64/26', '10.0.0.128/25']);
    const b = takeFromFree(parent, free, 27);
    expect(fmt(b.chosen)).toEqual(['10.0.0.64/27']); // from the smallest hole, not the /25
    expect(usedAddresses(parent, b.free)).toBe(96n);
  });

  it('gives a released block back and merges it with its neighbours', () => {
    const parent = P('10.0.0.0/24');
    const { chosen, free } = takeFromFree(parent, [parent], 26, { count: 4 });
    expect(free).toEqual([]);
    const back = markFree(parent, free, chosen[1]!);
    expect(fmt(back)).toEqual(['10.0.0.64/26']);
    expect(fmt(markFree(parent, back, chosen[0]!))).toEqual(['10.0.0.0/25']);
  });

  it('marks a specific block used', () => {
    const parent = P('2001:db8::/32');
    expect(fmt(markUsed(parent, [parent], P('2001:db8:8000::/33')))).toEqual(['2001:db8::/33']);
  });

  it('round-trips through its stored form', () => {
    const free = [P('10.0.0.64/26'), P('2001:db8::/33')];
    expect(decodeFree(encodeFree(free))).toEqual(free);
  });

  it('orders range keys as addresses', () => {
    expect(rangeKeys(P('10.1.0.0/16'))).toEqual({ startHex: '0a010000', endHex: '0a01ffff' });
    expect(rangeKeys(P('2001:db8::/32')).endHex).toBe('20010db8ffffffffffffffffffffffff');
  });

  it('stays equal to parent minus children after any sequence of takes and releases', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 26, max: 32 }), fc.boolean()), { maxLength: 40 }), (ops) => {
        const parent = P('10.0.0.0/24');
        let free = [parent];
        const children: ReturnType<typeof P>[] = [];
        for (const [len, release] of ops) {
          if (release && children.length) {
            const c = children.shift()!;
            free = markFree(parent, free, c);
          } else {
            try {
              const r = takeFromFree(parent, free, len);
              for (const c of r.chosen) expect(children.some((o) => overlaps(o, c))).toBe(false);
              children.push(...r.chosen);
              free = r.free;
            } catch (e) {
              expect((e as { code: string }).code).toBe('POOL_EXHAUSTED');
            }
          }
          expect(free).toEqual(freeBlocks(parent, children));
          expect(usedAddresses(parent, free)).toBe(children.reduce((n, c) => n + size(c), 0n));
        }
      }),
      { numRuns: 200 },
    );
  });
});
