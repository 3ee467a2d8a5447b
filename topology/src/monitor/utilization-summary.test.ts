import { describe, expect, it } from 'vitest';
import { linkDays, percentOf, summarizeUtilization, type LinkSample } from './utilization-summary';

const T = Date.parse('2025-03-04T02:00:00Z'); // 10:00 in Huizhou
const s = (minutes: number, inBps: number, outBps: number, capacityMbps = 1000): LinkSample => ({
  at: T + minutes * 60_000,
  inBps,
  outBps,
  capacityMbps,
});

describe('percentOf', () => {
  it.each([
    [500e6, 1000, 50],
    [50e6, 100, 50],
    [1e6, 0, undefined],
  ])('%d bps of %d Mbps is %s %%', (bps, mbps, pct) => {
    expect(percentOf(bps, mbps)).toBe(pct);
  });
});

describe('summarizeUtilization', () => {
  it('takes the latest fresh sample as current, with percents', () => {
    const r = summarizeUtilization([s(0, 1e8, 2e7), s(1, 3e8, 5e7)], T + 90_000, 180_000);
    expect(r.current).toEqual({ at: T + 60_000, inBps: 3e8, outBps: 5e7, inPct: 30, outPct: 5 });
  });

  it('has no current value when the latest sample is too old', () => {
    expect(summarizeUtilization([s(0, 1e8, 1e8)], T + 600_000, 180_000).current).toBeUndefined();
  });

  it('ranks peaks by percent of the capacity of the moment, not by bps', () => {
    // 90 Mbps on a 100 Mbps line (90 %) beats 400 Mbps on a 1000 Mbps line (40 %).
    const r = summarizeUtilization([s(0, 4e8, 1e6, 1000), s(1, 9e7, 2e6, 100)], T, 60_000);
    expect(r.peak?.in).toEqual({ at: T + 60_000, bps: 9e7, pct: 90 });
    expect(r.peak?.out).toEqual({ at: T + 60_000, bps: 2e6, pct: 2 });
  });

  it('returns nothing for an empty series', () => {
    expect(summarizeUtilization([], T, 60_000)).toEqual({});
  });
});

describe('linkDays', () => {
  it('summarises each calendar day (UTC+8) per direction', () => {
    const samples = Array.from({ length: 20 }, (_, i) => s(i, (i + 1) * 1e6, 1e6));
    samples.push(s(16 * 60, 5e6, 5e6)); // 2025-03-05 02:00 in Huizhou
    const days = linkDays(samples);
    expect(days.map((d) => d.day)).toEqual(['2025-03-04', '2025-03-05']);
    expect(days[0]).toEqual({
      day: '2025-03-04',
      samples: 20,
      in: { max: 20e6, avg: 10.5e6, p95: 19e6 },
      out: { max: 1e6, avg: 1e6, p95: 1e6 },
    });
    expect(days[1]!.in.p95).toBe(5e6);
  });
});
