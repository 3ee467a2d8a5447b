import type { Site } from './types';

/**
 * The county of a site: the county-level unit (区, 县 or 功能区) it belongs
 * to on the network — the unit whose subtree it is in, whose live room shows
 * its links, and under which coverage counts it.
 *
 * The rule: a county-level unit is its own county; a township's county is its
 * network parent (a valid plan puts every township directly under a
 * county-level unit, check-sites.ts); the city, and a township whose parent is
 * missing or not county-level, have none. It follows the network `parent`,
 * never `legalCounty`: a township of a functional zone belongs to the zone on
 * the network, whatever its legal county.
 *
 * The graph store states the same rule in Cypher (`countyOfSiteCypher` in
 * backend/src/graph/store.ts); change both together.
 *
 * @example
 * countyOfSite({ code: '441302001', tier: 'township' }, { code: '441302', tier: 'county' }) // '441302'
 * countyOfSite({ code: '441302', tier: 'county' }, { code: '4413', tier: 'city' })          // '441302'
 * countyOfSite({ code: '4413', tier: 'city' }, undefined)                                   // null
 */
export function countyOfSite(site: Pick<Site, 'code' | 'tier'>, parent: Pick<Site, 'code' | 'tier'> | undefined): string | null {
  if (site.tier === 'county') return site.code;
  if (site.tier === 'township' && parent?.tier === 'county') return parent.code;
  return null;
}

/**
 * {@link countyOfSite} for every site of a list, by code: each site's parent
 * is looked up in the same list. An unknown code has no county.
 *
 * @example
 * const countyOf = countyByCode(plan.sites);
 * countyOf('441302001') // '441302'
 */
export function countyByCode(sites: readonly Pick<Site, 'code' | 'tier' | 'parent'>[]): (code: string) => string | null {
  const byCode = new Map(sites.map((s) => [s.code, s]));
  return (code) => {
    const site = byCode.get(code);
    if (site === undefined) return null;
    return countyOfSite(site, site.parent === undefined ? undefined : byCode.get(site.parent));
  };
}
