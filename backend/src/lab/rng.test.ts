import { describe, expect, it } from 'vitest';
import { hash32, noise, seededRandom, shuffled } from './rng';

describe('seeded randomness', () => {
  it('repeats for a seed and differs across seeds', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(seededRandom(43)()).not.toBe(xs[0]);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });

  it('noise depends only on its key', () => {
    expect(noise('if', 7)).toBe(noise('if', 7));
    expect(noise('if', 7)).not.toBe(noise('if', 8));
    expect(hash32('a', 'bc')).not.toBe(hash32('ab', 'c')); // parts are separated
  });

  it('shuffles a copy deterministically', () => {
    const items = [1, 2, 3, 4, 5, 6];
    const s = shuffled(items, seededRandom(1));
    expect(s).toEqual(shuffled(items, seededRandom(1)));
    expect([...s].sort()).toEqual(items);
    expect(items).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
