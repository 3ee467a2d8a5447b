import { describe, expect, it } from 'vitest';
import { advanceCounters, jumpCounters, minuteUtilization, newCounters, resetCounters } from './traffic';

const T0 = Date.parse('2025-03-04T02:00:00Z'); // Tuesday 10:00 in Huizhou
const up = { capacityMbps: 100, up: true, saturated: false };

describe('advanceCounters', () => {
  it('is the same whether polled once or every second (up to rounding carry)', () => {
    const once = newCounters('k', 'county-township', T0);
    const often = newCounters('k', 'county-township', T0);
    advanceCounters(once, T0 + 300_000, up);
    for (let t = T0; t <= T0 + 300_000; t += 1000) advanceCounters(often, t, up);
    expect(Number(once.inOctets - often.inOctets)).toBeLessThanOrEqual(1);
    expect(Number(often.inOctets - once.inOctets)).toBeLessThanOrEqual(1);
  });

  it('follows the day: a 10:00 hour carries far more than a 03:00 hour', () => {
    const day = newCounters('k', 'county-township', T0);
    const night = newCounters('k', 'county-township', T0 - 7 * 3_600_000);
    advanceCounters(day, T0 + 3_600_000, up);
    advanceCounters(night, T0 - 6 * 3_600_000, up);
    expect(Number(day.inOctets)).toBeGreaterThan(5 * Number(night.inOctets));
    const mbps = (Number(day.inOctets) * 8) / 3600 / 1e6;
    expect(mbps).toBeGreaterThan(30);
    expect(mbps).toBeLessThan(100);
  });

  it('stops while down, pins near capacity when saturated', () => {
    const c = newCounters('k', 'county-township', T0);
    advanceCounters(c, T0 + 60_000, { ...up, up: false });
    expect(c.inOctets).toBe(0n);
    advanceCounters(c, T0 + 120_000, { ...up, saturated: true });
    const mbps = (Number(c.inOctets) * 8) / 60 / 1e6;
    expect(mbps).toBeGreaterThan(96);
    expect(mbps).toBeLessThanOrEqual(100);
    expect(c.inDiscards).toBeGreaterThan(1000n);
  });

  it('ignores a clock stepped back; wraps Counter64 at 2^64', () => {
    const c = newCounters('k', 'city-county', T0, (1n << 64n) - 10n);
    advanceCounters(c, T0 - 60_000, up);
    expect(c.at).toBe(T0);
    advanceCounters(c, T0 + 1000, up);
    expect(c.inOctets).toBeLessThan(1n << 32n);
  });

  it('resets to zero and jumps on demand', () => {
    const c = newCounters('k', 'city-county', T0, 123n);
    resetCounters(c, T0 + 5);
    expect([c.inOctets, c.outOctets, c.at]).toEqual([0n, 0n, T0 + 5]);
    jumpCounters(c, 1000n);
    expect([c.inOctets, c.outOctets]).toEqual([1000n, 500n]);
  });
});

describe('minuteUtilization', () => {
  it('is deterministic per key and minute, and bounded', () => {
    const c = { key: 'x', tier: 'city-internet' as const };
    const m = Math.floor(T0 / 60_000);
    expect(minuteUtilization(c, m, false)).toBe(minuteUtilization(c, m, false));
    expect(minuteUtilization(c, m, false)).not.toBe(minuteUtilization({ ...c, key: 'y' }, m, false));
    expect(minuteUtilization(c, m, false)).toBeLessThanOrEqual(0.95);
    expect(minuteUtilization(c, m, true)).toBeGreaterThanOrEqual(0.97);
  });
});
