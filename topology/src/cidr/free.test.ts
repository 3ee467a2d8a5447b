import fc from 'fast-check';
import { excludeCidr } from 'cidr-tools';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors';
import { runs, tree } from './arbitraries.testkit';
import { freeBlocks, freeSummary } from './free';
import { compare, formatPrefix, overlaps, parsePrefix, size, type Prefix } from './prefix';

const p = (text: string): Prefix => parsePrefix(text);
const free = (parent: string, children: string[]): string[] => freeBlocks(p(parent), children.map(p)).map(formatPrefix);

describe('freeBlocks', () => {
  it.each([
    ['an empty parent is one block', '10.0.0.0/24', [], ['10.0.0.0/24']],
    ['a hole in the middle', '10.0.0.0/24', ['10.0.0.64/26'], ['10.0.0.0/26', '10.0.0.128/25']],
    ['unsorted, touching children', '10.0.0.0/24', ['10.0.0.128/25', '10.0.0.0/26'], ['10.0.0.64/26']],
    ['nested children count once', '10.0.0.0/24', ['10.0.0.0/25', '10.0.0.16/28', '10.0.0.0/25'], ['10.0.0.128/25']],
    [
      'children outside are ignored',
      '10.0.0.0/24',
      ['9.0.0.0/8', '10.0.1.0/24', '10.0.0.255/32'],
      [
        '10.0.0.0/25',
        '10.0.0.128/26',
        '10.0.0.192/27',
        '10.0.0.224/28',
        '10.0.0.240/29',
        '10.0.0.248/30',
        '10.0.0.252/31',
        '10.0.0.254/32',
      ],
    ],
    ['a child containing the parent leaves nothing', '10.0.0.0/24', ['10.0.0.0/8'], []],
    ['the parent itself leaves nothing', '10.0.0.0/24', ['10.0.0.0/24'], []],
    ['a /32 parent', '10.0.0.1/32', [], ['10.0.0.1/32']],
    ['a /31 minus one address', '10.0.0.0/31', ['10.0.0.1/32'], ['10.0.0.0/32']],
    [
      '/0 minus one address',
      '0.0.0.0/0',
      ['0.0.0.0/32'],
      Array.from({ length: 32 }, (_, i) => {
        return formatPrefix({ family: 4, start: 1n << BigInt(i), length: 32 - i });
      }),
    ],
    ['IPv6 /127 minus ::1', '::/127', ['::1/128'], ['::/128']],
    [
      'IPv6 /48 minus its first /64',
      '2001:db8::/48',
      ['2001:db8::/64'],
      [
        '2001:db8:0:1::/64',
        '2001:db8:0:2::/63',
        '2001:db8:0:4::/62',
        '2001:db8:0:8::/61',
        '2001:db8:0:10::/60',
        '2001:db8:0:20::/59',
        '2001:db8:0:40::/58',
        '2001:db8:0:80::/57',
        '2001:db8:0:100::/56',
        '2001:db8:0:200::/55',
        '2001:db8:0:400::/54',
        '2001:db8:0:800::/53',
        '2001:db8:0:1000::/52',
        '2001:db8:0:2000::/51',
        '2001:db8:0:4000::/50',
        '2001:db8:0:8000::/49',
      ],
    ],
  ])('%s', (_name, parent, children, expected) => {
    expect(free(parent, children)).toEqual(expected);
  });

  it('yields 128 blocks for ::/0 minus ::/128, the largest 2^127 addresses', () => {
    const blocks = freeBlocks(p('::/0'), [p('::/128')]);
    expect(blocks).toHaveLength(128);
    expect(formatPrefix(blocks[127] as Prefix)).toBe('8000::/1');
  });

  it('stays exact at the edges of the fast path (46 bits from parent to smallest child) and past it', () => {
    const edge = freeBlocks(p('::/0'), [p('ffff:ffff:fffc::/46'), p('::/46')]);
    expect(edge.map(formatPrefix).slice(0, 2)).toEqual(['0:0:4::/46', '0:0:8::/45']);
    expect(formatPrefix(edge[edge.length - 1] as Prefix)).toBe('ffff:ffff:fff8::/46');
    expect(freeSummary(p('::/0'), [p('ffff:ffff:fffc::/46'), p('::/46')]).free).toBe(2n ** 128n - 2n ** 83n);
    expect(freeBlocks(p('::/0'), [p('::/0'), p('::/64')])).toEqual([]);
    expect(freeSummary(p('::/0'), [p('8000::/1'), p('::/64')]).free).toBe(2n ** 127n - 2n ** 64n);
  });

  it('accepts any iterable of children', () => {
    function* children(): Generator<Prefix> {
      yield p('10.0.0.0/25');
    }
    expect(freeBlocks(p('10.0.0.0/24'), children()).map(formatPrefix)).toEqual(['10.0.0.128/25']);
  });

  it('rejects a child of the other family, naming it', () => {
    try {
      freeBlocks(p('10.0.0.0/8'), [p('10.0.0.0/16'), p('2001:db8::/32')]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe('FAMILY_MISMATCH');
      expect((e as DomainError).field).toBe('children[1]');
    }
  });
});

describe('freeSummary', () => {
  it('totals exactly beyond 2^64 (phpIPAM #750 showed 9223372036854775807)', () => {
    const s = freeSummary(p('2001:db8::/32'), [p('2001:db8::/48')]);
    expect(s.free).toBe(2n ** 96n - 2n ** 80n);
    expect(formatPrefix(s.largestFreeBlock as Prefix)).toBe('2001:db8:8000::/33');
    expect(s.blockCount).toBe(16);
  });

  it('takes the lowest address on a tie and null when full', () => {
    expect(formatPrefix(freeSummary(p('10.0.0.0/24'), [p('10.0.0.64/26'), p('10.0.0.128/26')]).largestFreeBlock as Prefix)).toBe(
      '10.0.0.0/26',
    );
    expect(freeSummary(p('10.0.0.0/24'), [p('10.0.0.0/24')])).toEqual({ free: 0n, largestFreeBlock: null, blockCount: 0 });
  });
});

describe('against cidr-tools excludeCidr (property)', () => {
  it('equals parent − children, merged', () => {
    fc.assert(
      fc.property(tree(), ({ parent, children }) => {
        const ours = freeBlocks(parent, children);
        const theirs = excludeCidr(formatPrefix(parent), children.map(formatPrefix))
          .map((t) => parsePrefix(t))
          .sort(compare);
        expect(ours.map(formatPrefix)).toEqual(theirs.map(formatPrefix));
      }),
      runs(500),
    );
  });

  it('is a minimal tiling: disjoint, inside the parent, clear of children, no two blocks mergeable', () => {
    fc.assert(
      fc.property(tree(), ({ parent, children }) => {
        const blocks = freeBlocks(parent, children);
        const covered = children.filter((c) => overlaps(c, parent));
        for (const [i, block] of blocks.entries()) {
          expect(block.start >= parent.start && block.start + size(block) <= parent.start + size(parent)).toBe(true);
          expect(covered.some((c) => overlaps(c, block))).toBe(false);
          const next = blocks[i + 1];
          if (next === undefined) continue;
          expect(block.start + size(block) <= next.start).toBe(true);
          // Two equal, adjacent, buddy-aligned blocks would merge into their supernet.
          const buddies =
            next.length === block.length && block.start % (2n * size(block)) === 0n && next.start === block.start + size(block);
          expect(buddies).toBe(false);
        }
      }),
      runs(500),
    );
  });
});
