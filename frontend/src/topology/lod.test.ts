import { describe, expect, it } from 'vitest';
import { levelOfDetail, ringSpacing, TOWNSHIP_MIN_PX, zoomForSpacing } from './lod';

describe('levelOfDetail', () => {
  const huizhou = { township: ringSpacing(440, 84), county: ringSpacing(210, 7) };
  const national = { township: ringSpacing(440, 40_000), county: ringSpacing(210, 2_000) };

  it('draws Huizhou site by site with names at the fitted zoom', () => {
    expect(levelOfDetail(0.95, huizhou)).toEqual({ townships: true, aggregates: false, townshipLabels: true, countyLabels: true });
  });

  it('draws 40,000 townships as county-level aggregates when fitted, without names', () => {
    expect(levelOfDetail(0.95, national)).toEqual({ townships: false, aggregates: true, townshipLabels: false, countyLabels: false });
  });

  it('brings townships, then their names, as the zoom gives them room', () => {
    const dots = zoomForSpacing(national.township, TOWNSHIP_MIN_PX);
    expect(levelOfDetail(dots * 0.99, national).townships).toBe(false);
    expect(levelOfDetail(dots, national)).toMatchObject({ townships: true, aggregates: false, townshipLabels: false, countyLabels: true });
    expect(levelOfDetail(dots * 3, national).townshipLabels).toBe(true);
  });

  it('spacing is the circumference shared out; no sites, no neighbours', () => {
    expect(ringSpacing(100, 4)).toBeCloseTo(157.08, 2);
    expect(ringSpacing(100, 0)).toBe(Infinity);
    expect(zoomForSpacing(2, 10)).toBe(5);
  });
});
