import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../errors';
import { billablePerDay, calendarDay, currentSample, dailyPercentiles, nearestRank, peakSample, type RateSample } from './percentile';

describe('nearestRank', () => {
  const cases: Array<[number[], number, number | undefined]> = [
    [[5, 1, 4, 2, 3], 95, 5],
    [[5, 1, 4, 2, 3], 50, 3],
    [[5, 1, 4, 2, 3], 0, 1],
    [[5, 1, 4, 2, 3], 100, 5],
    [[7], 95, 7],
    [[], 95, undefined],
    [[NaN, Infinity, 2], 95, 2],
    [Array.from({ length: 20 }, (_, i) => i + 1), 95, 19],
  ];
  it.each(cases)('nearestRank(%j, %d) is %s', (values, p, expected) => {
    expect(nearestRank(values, p)).toBe(expected);
  });

  it('rejects a percentile outside 0–100 with BAD_REQUEST', () => {
    expect(() => nearestRank([1], 101)).toThrow(DomainError);
    try {
      nearestRank([1], -1);
    } catch (e) {
      expect((e as DomainError).code).toBe('BAD_REQUEST');
    }
  });

  it('bills a 288-sample day by ignoring the 14 highest samples', () => {
    const values = Array.from({ length: 288 }, (_, i) => i + 1); // 1…288
    expect(nearestRank(values, 95)).toBe(274);
  });

  it('always returns an observed sample, and at least ⌈p·N⌉ samples are ≤ it', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, min: 0, max: 1e12 }), { minLength: 1 }), fc.integer({ min: 1, max: 100 }), (vs, p) => {
        const r = nearestRank(vs, p)!;
        expect(vs).toContain(r);
        expect(vs.filter((v) => v <= r).length).toBeGreaterThanOrEqual(Math.ceil((p / 100) * vs.length));
        expect(vs.filter((v) => v < r).length).toBeLessThan(Math.ceil((p / 100) * vs.length));
      }),
    );
  });
});

describe('dailyPercentiles', () => {
  // 2025-03-01T00:00:00+08:00
  const midnight = Date.UTC(2025, 1, 28, 16, 0, 0);
  const fiveMin = 300_000;

  it('splits days at local (UTC+8) midnight', () => {
    expect(calendarDay(midnight - 1)).toBe('2025-02-28');
    expect(calendarDay(midnight)).toBe('2025-03-01');
    expect(calendarDay(midnight, 0)).toBe('2025-02-28');
  });

  it('summarises each day: 95th percentile, peak, mean, sample count', () => {
    const series: RateSample[] = [];
    for (let i = 0; i < 288; i++) series.push({ at: midnight + i * fiveMin, value: (i + 1) * 1e6 });
    series.push({ at: midnight + 288 * fiveMin, value: 5e6 }); // first sample of the next day
    series.push({ at: midnight + 10, value: NaN }); // ignored
    const days = dailyPercentiles(series);
    expect(days).toEqual([
      { day: '2025-03-01', percentile: 274e6, peak: 288e6, mean: 144.5e6, samples: 288 },
      { day: '2025-03-02', percentile: 5e6, peak: 5e6, mean: 5e6, samples: 1 },
    ]);
  });

  it('bills the higher direction per day', () => {
    const inbound = [
      { at: midnight, value: 10 },
      { at: midnight + 86_400_000, value: 1 },
    ];
    const outbound = [
      { at: midnight, value: 3 },
      { at: midnight + 86_400_000, value: 8 },
    ];
    expect(billablePerDay(inbound, outbound)).toEqual([
      { day: '2025-03-01', value: 10, direction: 'in' },
      { day: '2025-03-02', value: 8, direction: 'out' },
    ]);
  });
});

describe('peakSample and currentSample', () => {
  const series: RateSample[] = [
    { at: 1000, value: 5 },
    { at: 2000, value: 9 },
    { at: 3000, value: 9 },
    { at: 4000, value: 2 },
  ];
  it('peak is the highest sample, earliest on ties', () => {
    expect(peakSample(series)).toEqual({ at: 2000, value: 9 });
    expect(peakSample([])).toBeUndefined();
  });
  it('current is the latest fresh sample, or nothing when stale', () => {
    expect(currentSample(series, 4500, 1000)).toEqual({ at: 4000, value: 2 });
    expect(currentSample(series, 3500, 1000)).toEqual({ at: 3000, value: 9 });
    expect(currentSample(series, 10_000, 1000)).toBeUndefined();
  });
});
