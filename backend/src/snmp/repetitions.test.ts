import { describe, expect, it } from 'vitest';
import { AdaptiveRepetitions } from './repetitions';

describe('AdaptiveRepetitions', () => {
  it('halves at once on trouble, never below 1', () => {
    const r = new AdaptiveRepetitions(25);
    expect([r.shrink(), r.shrink(), r.shrink(), r.shrink(), r.shrink(), r.shrink()]).toEqual([12, 6, 3, 1, 1, 1]);
  });

  it('grows back slowly: +25 % (at least 1) after three good answers, up to the ceiling', () => {
    const r = new AdaptiveRepetitions(10, 4);
    const seen = Array.from({ length: 15 }, () => r.succeed());
    expect(seen).toEqual([4, 4, 5, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8, 10]);
    expect(r.succeed()).toBe(10);
  });

  it('a failure restarts the streak', () => {
    const r = new AdaptiveRepetitions(10, 4);
    r.succeed();
    r.succeed();
    r.shrink();
    expect([r.succeed(), r.succeed(), r.succeed()]).toEqual([2, 2, 3]);
  });

  it('clamps to a new ceiling', () => {
    const r = new AdaptiveRepetitions(25);
    r.setCeiling(8);
    expect(r.current).toBe(8);
  });
});
