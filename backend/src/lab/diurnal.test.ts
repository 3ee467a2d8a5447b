import { describe, expect, it } from 'vitest';
import { diurnalFactor, expectedUtilization, localHour, localWeekday, NIGHT_FLOOR, PEAK_UTILIZATION } from './diurnal';

describe('diurnalFactor', () => {
  it('peaks at 10:00 and 15:00, dips at lunch, is lowest at night', () => {
    expect(diurnalFactor(10)).toBeCloseTo(1, 2);
    expect(diurnalFactor(15)).toBeCloseTo(1, 2);
    expect(diurnalFactor(12.5)).toBeLessThan(0.8);
    expect(diurnalFactor(12.5)).toBeGreaterThan(0.5);
    expect(diurnalFactor(3)).toBeCloseTo(NIGHT_FLOOR, 3);
    for (let h = 0; h < 24; h += 0.25) {
      expect(diurnalFactor(h)).toBeGreaterThanOrEqual(NIGHT_FLOOR);
      expect(diurnalFactor(h)).toBeLessThanOrEqual(1);
    }
  });
});

describe('local time', () => {
  it('uses China Standard Time by default', () => {
    expect(localHour(Date.parse('2025-03-04T02:00:00Z'))).toBe(10);
    expect(localHour(Date.parse('2025-03-04T02:00:00Z'), 0)).toBe(2);
    expect(localWeekday(Date.parse('2025-03-04T20:00:00Z'))).toBe(3); // Tuesday 20:00 UTC is Wednesday 04:00 in Huizhou
  });
});

describe('expectedUtilization', () => {
  it('is the tier peak at a weekday peak, about a third on a weekend', () => {
    const tuesday10 = Date.parse('2025-03-04T02:00:00Z');
    const saturday10 = Date.parse('2025-03-08T02:00:00Z');
    expect(expectedUtilization('county-township', tuesday10)).toBeCloseTo(PEAK_UTILIZATION['county-township'], 2);
    expect(expectedUtilization('county-township', saturday10) / expectedUtilization('county-township', tuesday10)).toBeCloseTo(0.35, 2);
  });
});
