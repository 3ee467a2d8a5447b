import fc from 'fast-check';
import { containsCidr, excludeCidr, overlapCidr } from 'cidr-tools';
import { describe, expect, it } from 'vitest';
import { addressBits } from './address';
import { errorOf, runs, type SlotCase, slotCase } from './arbitraries.testkit';
import { chooseBlocks, type ChooseOptions, type ExhaustedDetails, type FitStrategy } from './choose';
import { formatPrefix, parsePrefix, size, type Prefix } from './prefix';

const p = (text: string): Prefix => parsePrefix(text);
const choose = (parent: string, children: string[], length: number, opts?: ChooseOptions): string[] =>
  chooseBlocks(p(parent), children.map(p), length, opts).map(formatPrefix);

describe('chooseBlocks', () => {
  const used = ['10.0.0.0/26', '10.0.0.96/27'];
  it.each([
    ['best-fit keeps the /25 whole', used, 27, {}, ['10.0.0.64/27']],
    ['first-fit takes the lowest address', used, 28, { strategy: 'first-fit' }, ['10.0.0.64/28']],
    ['best-fit fills the small hole, then the next block', used, 27, { count: 3 }, ['10.0.0.64/27', '10.0.0.128/27', '10.0.0.160/27']],
    ['first-fit, several at once', used, 27, { strategy: 'first-fit', count: 2 }, ['10.0.0.64/27', '10.0.0.128/27']],
    ['the whole parent', [], 24, {}, ['10.0.0.0/24']],
    ['/31 point-to-point links', ['10.0.0.0/25'], 31, { count: 2 }, ['10.0.0.128/31', '10.0.0.130/31']],
    [
      'a /32 loopback',
      ['10.0.0.0/25', '10.0.0.128/26', '10.0.0.192/27', '10.0.0.224/28', '10.0.0.240/29', '10.0.0.248/30'],
      32,
      {},
      ['10.0.0.252/32'],
    ],
    ['children outside and nested are fine', ['9.0.0.0/8', '10.0.0.0/25', '10.0.0.0/26'], 25, {}, ['10.0.0.128/25']],
  ] as const)('%s', (_name, children, length, opts, expected) => {
    expect(choose('10.0.0.0/24', [...children], length, opts)).toEqual(expected);
  });

  it.each([
    ['best-fit', '2001:db8:0:1::2/127'], // the smallest hole: next to the used /127, not a fresh /64
    ['first-fit', '2001:db8::/127'],
  ] as const)('IPv6 %s for a /127 link takes %s', (strategy, expected) => {
    expect(choose('2001:db8::/48', ['2001:db8:0:1::/127'], 127, { strategy })).toEqual([expected]);
  });

  it('best-fit over IPv6 goes past 2^64 exactly', () => {
    expect(choose('::/0', ['::/1'], 1)).toEqual(['8000::/1']);
    expect(choose('2001:db8::/32', ['2001:db8::/33'], 48, { count: 2 })).toEqual(['2001:db8:8000::/48', '2001:db8:8001::/48']);
  });

  it.each([
    [23, {}],
    [33, {}],
    [24.5, {}],
    [30, { maxLength: 29 }],
    [25, { minLength: 26 }],
  ])('rejects /%s under %j with LENGTH_OUTSIDE_POLICY', (length, opts) => {
    expect(errorOf(() => choose('10.0.0.0/24', [], length, opts)).code).toBe('LENGTH_OUTSIDE_POLICY');
  });

  it('rejects a bad count and a child of the other family', () => {
    expect(errorOf(() => choose('10.0.0.0/24', [], 28, { count: 0 })).field).toBe('count');
    expect(errorOf(() => choose('10.0.0.0/24', ['::/0'], 28)).code).toBe('FAMILY_MISMATCH');
  });

  it('says what is left when the pool is exhausted', () => {
    const error = errorOf(() => choose('10.0.0.0/24', ['10.0.0.0/25', '10.0.0.192/26'], 25));
    expect(error.code).toBe('POOL_EXHAUSTED');
    expect(error.details).toEqual({
      parent: '10.0.0.0/24',
      free: '64',
      largestFreeBlock: '10.0.0.128/26',
      requested: { count: 1, length: 25 },
      fits: '0',
    } satisfies ExhaustedDetails);
    expect(error.hint).toBe('the largest free block is 10.0.0.128/26; ask for /26 or longer');
    expect(errorOf(() => choose('10.0.0.0/24', ['10.0.0.0/25'], 26, { count: 3 })).hint).toBe(
      'only 2 × /26 fit; ask for fewer or for longer prefixes',
    );
    expect(errorOf(() => choose('10.0.0.0/24', ['10.0.0.0/24'], 32)).details?.largestFreeBlock).toBeNull();
  });

  it('gives N at once exactly as N single picks in a row', () => {
    const children = ['10.0.0.0/27', '10.0.0.64/26', '10.0.0.160/29'].map(p);
    for (const strategy of ['best-fit', 'first-fit'] as const) {
      const atOnce = chooseBlocks(p('10.0.0.0/24'), children, 29, { count: 6, strategy });
      const oneByOne: Prefix[] = [];
      for (let i = 0; i < 6; i++) oneByOne.push(...chooseBlocks(p('10.0.0.0/24'), [...children, ...oneByOne], 29, { strategy }));
      expect(atOnce).toEqual(oneByOne);
    }
  });
});

/**
 * The oracle: every slot of `length` in the parent, kept if cidr-tools says no
 * child overlaps it; best-fit orders slots by the size of their enclosing free
 * block from cidr-tools' excludeCidr (smallest first), then address.
 */
function bruteForce({ parent, children, length, count }: SlotCase, strategy: FitStrategy): { slots: string[]; fits: number } {
  const childTexts = children.map(formatPrefix);
  const step = 1n << BigInt(addressBits(parent.family) - length);
  const slots: Prefix[] = [];
  for (let start = parent.start; start < parent.start + size(parent); start += step) {
    const slot = { family: parent.family, start, length };
    if (childTexts.length === 0 || !overlapCidr(formatPrefix(slot), childTexts)) slots.push(slot);
  }
  if (strategy === 'best-fit') {
    const blocks = excludeCidr(formatPrefix(parent), childTexts).map((t) => parsePrefix(t));
    const rank = (slot: Prefix): Prefix => blocks.find((b) => containsCidr(formatPrefix(b), formatPrefix(slot))) as Prefix;
    const cmp = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);
    slots.sort((a, b) => {
      const [ra, rb] = [rank(a), rank(b)];
      return rb.length - ra.length || cmp(ra.start, rb.start) || cmp(a.start, b.start);
    });
  }
  return { slots: slots.slice(0, count).map(formatPrefix), fits: slots.length };
}

describe('against a brute force over cidr-tools (property)', () => {
  it.each(['best-fit', 'first-fit'] as const)('%s picks exactly the expected slots, or reports exhaustion', (strategy) => {
    fc.assert(
      fc.property(slotCase, (c) => {
        const expected = bruteForce(c, strategy);
        if (expected.fits < c.count) {
          const error = errorOf(() => chooseBlocks(c.parent, c.children, c.length, { count: c.count, strategy }));
          expect(error.code).toBe('POOL_EXHAUSTED');
          expect(error.details?.fits).toBe(String(expected.fits));
          return;
        }
        const chosen = chooseBlocks(c.parent, c.children, c.length, { count: c.count, strategy });
        expect(chosen.map(formatPrefix)).toEqual(expected.slots);
        // The invariants, independently of the order: inside the parent, clear of children and of each other.
        const texts = chosen.map(formatPrefix);
        expect(containsCidr(formatPrefix(c.parent), texts)).toBe(true);
        if (c.children.length > 0) expect(overlapCidr(texts, c.children.map(formatPrefix))).toBe(false);
        expect(new Set(texts).size).toBe(texts.length);
      }),
      runs(300),
    );
  });
});
