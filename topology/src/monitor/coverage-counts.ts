/**
 * Tallies of per-site coverage: per tier, per county-level unit (its townships),
 * and the overall figures. Pure; one pass over the sites each.
 */
import type { SiteTier } from '../plan/types';
import type { CountyCoverage, CoverageCounts, CoverageReport, SiteCoverage } from './coverage';

/** Counts per tier; every tier is present, empty when it has no sites. */
export function countByTier(sites: readonly SiteCoverage[]): Record<SiteTier, CoverageCounts> {
  const tiers = { city: emptyCounts(), county: emptyCounts(), township: emptyCounts() };
  for (const s of sites) add(tiers[s.tier], s);
  return tiers;
}

/** Each county-level unit with the counts of the townships under it on the network, in the order of `sites`. */
export function countByCounty(sites: readonly SiteCoverage[]): CountyCoverage[] {
  const byCounty = new Map<string, CoverageCounts>();
  for (const s of sites) {
    if (s.tier !== 'township' || s.county === undefined) continue;
    let counts = byCounty.get(s.county);
    if (!counts) byCounty.set(s.county, (counts = emptyCounts()));
    add(counts, s);
  }
  return sites
    .filter((s) => s.tier === 'county')
    .map((s) => ({ code: s.code, name: s.name, site: s, townships: byCounty.get(s.code) ?? emptyCounts() }));
}

/**
 * The overall figures. Meeting the work plan's requirements: connected and meeting
 * target, plus backup for county-level units (for townships backup is a goal).
 * Percentages of all sites, 0 when there are none.
 */
export function overallFigures(sites: readonly SiteCoverage[]): CoverageReport['overall'] {
  const meetingRequirements = sites.filter((s) => s.connected && s.meetsTarget && (s.tier !== 'county' || s.hasBackup)).length;
  const fullyCompliant = sites.filter((s) => s.fullyCompliant).length;
  const noData = sites.filter((s) => s.noData).length;
  const pct = (k: number) => (sites.length === 0 ? 0 : (k / sites.length) * 100);
  return {
    sites: sites.length,
    fullyCompliant,
    fullyCompliantPct: pct(fullyCompliant),
    meetingRequirements,
    meetingRequirementsPct: pct(meetingRequirements),
    noData,
  };
}

function emptyCounts(): CoverageCounts {
  return {
    total: 0,
    connected: 0,
    meetingTarget: 0,
    withBackup: 0,
    fullyCompliant: 0,
    noData: 0,
    gaps: { unconnected: [], belowTarget: [], noData: [], noBackup: [] },
  };
}

/**
 * Counts one site; a gap is listed only for a connected site (an unconnected one is
 * listed as unconnected alone). A site without readings is "no data", never below target.
 */
function add(c: CoverageCounts, s: SiteCoverage): void {
  c.total++;
  if (s.connected) c.connected++;
  else c.gaps.unconnected.push(s.code);
  if (s.meetsTarget) c.meetingTarget++;
  else if (s.noData) {
    c.noData++;
    c.gaps.noData.push(s.code);
  } else if (s.connected) c.gaps.belowTarget.push(s.code);
  if (s.hasBackup) c.withBackup++;
  else if (s.connected) c.gaps.noBackup.push(s.code);
  if (s.fullyCompliant) c.fullyCompliant++;
}
