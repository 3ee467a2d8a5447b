import { describe, expect, it } from 'vitest';
import { backoffMs, nextDue, nextGridPoint, phaseOffsets } from './schedule';

describe('phaseOffsets', () => {
  it('spreads devices evenly over the interval, in the given order', () => {
    expect(phaseOffsets(['a', 'b', 'c', 'd'], () => 60_000)).toEqual(
      new Map([['a', 0], ['b', 15_000], ['c', 30_000], ['d', 45_000]]),
    );
  });

  it('spreads each device over its own interval', () => {
    expect(phaseOffsets(['a', 'b'], (h) => (h === 'a' ? 60_000 : 120_000))).toEqual(new Map([['a', 0], ['b', 60_000]]));
  });

  it('gives 90 devices distinct phases under a second apart: no burst', () => {
    const phases = [...phaseOffsets(Array.from({ length: 90 }, (_, i) => `d${i}`), () => 60_000).values()];
    expect(new Set(phases).size).toBe(90);
    expect(Math.max(...phases.slice(1).map((p, i) => p - phases[i]!))).toBeLessThan(1000);
  });
});

describe('nextGridPoint', () => {
  it.each([
    [0, 60_000, 0, 60_000],
    [0, 60_000, 59_999, 60_000],
    [1000, 60_000, 61_000, 121_000],
    [500_000, 60_000, 10_000, 20_000], // grid extends backwards
  ])('grid %d every %d: first point after %d is %d', (start, interval, after, expected) => {
    expect(nextGridPoint(start, interval, after)).toBe(expected);
  });
});

describe('backoff', () => {
  it.each([
    [0, 0],
    [1, 0],
    [2, 120_000],
    [3, 240_000],
    [4, 480_000],
    [5, 900_000],
    [40, 900_000],
  ])('after %d failures waits %d ms (interval 60 s, cap 15 min)', (failures, ms) => {
    expect(backoffMs(failures, 60_000, 900_000)).toBe(ms);
  });

  it('keeps a failing device on its phase', () => {
    const grid = 7_000;
    expect(nextDue(grid, 60_000, 67_500, 0)).toBe(127_000);
    expect(nextDue(grid, 60_000, 67_500, 3, 900_000)).toBe(367_000); // ≥ 67.5 s + 240 s, on the grid
    expect((nextDue(grid, 60_000, 67_500, 9, 900_000) - grid) % 60_000).toBe(0);
  });
});
