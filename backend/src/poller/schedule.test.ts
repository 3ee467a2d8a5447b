import { describe, expect, it } from 'vitest';
import { backoffMs, dueAt, nextDue, nextGridPoint, phaseOffsets, placeOnGrid, wakeDelayMs } from './schedule';

describe('phaseOffsets', () => {
  it('spreads devices evenly over the interval, in the given order', () => {
    expect(phaseOffsets(['a', 'b', 'c', 'd'], () => 60_000)).toEqual(
      new Map([
        ['a', 0],
        ['b', 15_000],
        ['c', 30_000],
        ['d', 45_000],
      ]),
    );
  });

  it('spreads each device over its own interval', () => {
    expect(phaseOffsets(['a', 'b'], (h) => (h === 'a' ? 60_000 : 120_000))).toEqual(
      new Map([
        ['a', 0],
        ['b', 60_000],
      ]),
    );
  });

  it('gives 90 devices distinct phases under a second apart: no burst', () => {
    const phases = [
      ...phaseOffsets(
        Array.from({ length: 90 }, (_, i) => `d${i}`),
        () => 60_000,
      ).values(),
    ];
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

describe('placeOnGrid', () => {
  const dev = (hostname: string, nextDueAt = 0, intervalMs = 60_000) => ({ hostname, intervalMs, nextDueAt });

  it('gives a new set phases in hostname order from the anchor, each due at its first grid point from now on', () => {
    expect(placeOnGrid([dev('c'), dev('a'), dev('b')], 1_000, 1_000)).toEqual(
      new Map([
        ['a', { grid: 1_000, nextDueAt: 1_000 }],
        ['b', { grid: 21_000, nextDueAt: 21_000 }],
        ['c', { grid: 41_000, nextDueAt: 41_000 }],
      ]),
    );
  });

  it('places a device whose phase has passed on the next lap of its grid', () => {
    expect(placeOnGrid([dev('a'), dev('b')], 0, 45_000).get('b')).toEqual({ grid: 30_000, nextDueAt: 90_000 });
  });

  it('keeps a backed-off device waiting: a changed set never brings its retry forward', () => {
    const placed = placeOnGrid([dev('a', 250_000), dev('b')], 0, 10_000);
    expect(placed.get('a')).toEqual({ grid: 0, nextDueAt: 300_000 }); // on a's grid, not before 250 s
    expect(placed.get('b')).toEqual({ grid: 30_000, nextDueAt: 30_000 });
  });
});

describe('dueAt', () => {
  it('picks the devices whose due time has come, in the given order', () => {
    const devices = [
      { h: 'a', nextDueAt: 5 },
      { h: 'b', nextDueAt: 10 },
      { h: 'c', nextDueAt: 11 },
    ];
    expect(dueAt(devices, 10).map((d) => d.h)).toEqual(['a', 'b']);
    expect(dueAt(devices, 4)).toEqual([]);
  });
});

describe('wakeDelayMs', () => {
  const at = { now: 10_000, tickStartedAt: 9_900, batchWindowMs: 1000, intervalMs: 60_000 };
  it.each([
    ['until the soonest due time', { soonestAt: 15_000 }, 5_000],
    ['not before the batching window since the tick started', { soonestAt: 10_200 }, 900],
    ['at least 10 ms when a device is already due and the window has passed', { soonestAt: 9_000, tickStartedAt: 8_000 }, 10],
    ['at most one interval', { soonestAt: 500_000 }, 60_000],
  ])('sleeps %s', (_, over, expected) => {
    expect(wakeDelayMs({ ...at, ...over })).toBe(expected);
  });
});
