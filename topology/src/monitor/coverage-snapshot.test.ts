import { describe, expect, it } from 'vitest';
import { hasReadings, oldestKeptDay, snapshotDue } from './coverage-snapshot';

const at = (iso: string) => Date.parse(iso);

describe('snapshotDue', () => {
  it.each([
    ['no snapshot yet, readings', null, true, '2025-03-04'],
    ['no snapshot yet, nothing read (fresh start)', null, false, null],
    ['yesterday has one', '2025-03-03', true, '2025-03-04'],
    ['today has one', '2025-03-04', true, null],
  ])('%s → %s', (_, latestDay, readings, expected) =>
    expect(snapshotDue({ now: at('2025-03-04T02:00:00Z'), utcOffsetMinutes: 480, latestDay, readings })).toBe(expected),
  );

  it('cuts days at midnight in Huizhou (UTC+8), not UTC', () => {
    expect(snapshotDue({ now: at('2025-03-04T16:00:00Z'), utcOffsetMinutes: 480, latestDay: '2025-03-04', readings: true })).toBe(
      '2025-03-05',
    );
  });
});

describe('hasReadings', () => {
  const tiers = (connected: number) => ({ city: { connected: 1 }, county: { connected }, township: { connected: 0 } });
  it('is false when every connected site is "no data"', () => {
    expect(hasReadings({ overall: { noData: 3 }, tiers: tiers(2) } as never)).toBe(false);
    expect(hasReadings({ overall: { noData: 2 }, tiers: tiers(2) } as never)).toBe(true);
  });
});

describe('oldestKeptDay', () => {
  it('keeps 400 days back from today (a leap year counted)', () => {
    expect(oldestKeptDay(at('2025-03-04T02:00:00Z'), 400, 480)).toBe('2024-01-29');
  });
});
