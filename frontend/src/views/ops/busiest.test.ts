import { describe, expect, it } from 'vitest';
import { busiestLinks, opsRange } from './busiest';

describe('busiestLinks', () => {
  const l = (id: string, state: 'up' | 'down' | 'unknown', inPct: number | null, outPct: number | null) => ({ id, state, inPct, outPct });

  it('ranks links that are up by their busier direction, highest first, ties by id', () => {
    const ranked = busiestLinks(
      [
        l('a', 'up', 10, 20),
        l('b', 'up', 90, 5),
        l('c', 'down', null, null),
        l('d', 'unknown', 99, 99),
        l('e', 'up', 20, null),
        l('f', 'up', null, null),
      ],
      10,
    );
    expect(ranked).toEqual([
      { id: 'b', pct: 90 },
      { id: 'a', pct: 20 },
      { id: 'e', pct: 20 },
    ]);
  });

  it('keeps the top n', () => {
    expect(busiestLinks([l('a', 'up', 1, 1), l('b', 'up', 2, 2), l('c', 'up', 3, 3)], 2).map((x) => x.id)).toEqual(['c', 'b']);
    expect(busiestLinks([l('a', 'up', 1, 1)], 0)).toEqual([]);
  });
});

describe('opsRange', () => {
  it.each([
    ['7d', '7d'],
    ['30d', '30d'],
    [undefined, '24h'],
    ['1y', '24h'],
  ])('%s → %s', (v, expected) => expect(opsRange(v)).toBe(expected));
});
