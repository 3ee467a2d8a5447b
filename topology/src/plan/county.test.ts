import { describe, expect, it } from 'vitest';
import { countyByCode, countyOfSite } from './county';
import type { Site } from './types';

type Ref = Pick<Site, 'code' | 'tier'>;
const city: Ref = { code: '4413', tier: 'city' };
const county: Ref = { code: '441302', tier: 'county' };
const zone: Ref = { code: '4413DYW', tier: 'county' };
const township: Ref = { code: '441302001', tier: 'township' };

describe('countyOfSite', () => {
  it.each<[string, Ref, Ref | undefined, string | null]>([
    ['a county-level unit is its own county', county, city, '441302'],
    ['a functional zone is its own county', zone, city, '4413DYW'],
    ['a township belongs to its network parent', township, county, '441302'],
    ['a township under a functional zone belongs to the zone', { code: '441302100', tier: 'township' }, zone, '4413DYW'],
    ['the city has none', city, undefined, null],
    ['a township without a parent has none', township, undefined, null],
    ['a township under a non-county parent has none', township, city, null],
  ])('%s', (_name, site, parent, expected) => {
    expect(countyOfSite(site, parent)).toBe(expected);
  });
});

describe('countyByCode', () => {
  it("looks each site's network parent up in the same list", () => {
    const countyOf = countyByCode([
      { ...city },
      { ...county, parent: '4413' },
      { ...zone, parent: '4413' },
      { ...township, parent: '441302' },
      { code: '441302100', tier: 'township', parent: '4413DYW' },
    ]);
    expect(['4413', '441302', '4413DYW', '441302001', '441302100', 'unknown'].map(countyOf)).toEqual([
      null,
      '441302',
      '4413DYW',
      '441302',
      '4413DYW',
      null,
    ]);
  });
});
