/**
 * One site's coverage verdict from the whole-graph facts computed once per report:
 * reachability and SPOFs, primary paths, the internet exit, the county resolver.
 * The definitions are in coverage.ts.
 */
import type { Link, Site } from '../plan/types';
import type { LinkCompliance } from './compliance';
import type { GapClass, InternetExitStatus, SiteCoverage } from './coverage';
import type { PrimaryPaths } from './primary-path';
import type { FailureAnalysis } from './spof';

/** The facts about the whole graph that each site's verdict reads. */
export interface CoverageFacts {
  links: readonly Link[];
  /** `stateOf[i]` is the compliance of `links[i]`. */
  stateOf: ReadonlyArray<LinkCompliance | undefined>;
  /** Reachability and SPOFs over the usable links, per site code (every site present). */
  failures: FailureAnalysis['sites'];
  uplinks: PrimaryPaths;
  exit: InternetExitStatus;
  countyOf: (code: string) => string | null;
}

/** What differs between the city and the other sites. */
type TargetAndBackup = Pick<SiteCoverage, 'meetsTarget' | 'hasBackup' | 'primaryPath' | 'failingLinks'>;

export function siteCoverage(site: Site, facts: CoverageFacts): SiteCoverage {
  const { reached: connected, failures } = facts.failures.get(site.code)!;
  const { meetsTarget, hasBackup, primaryPath, failingLinks } =
    site.tier === 'city' ? cityTargetAndBackup(connected, facts.exit) : uplinkTargetAndBackup(site.code, connected, failures, facts);
  const county = facts.countyOf(site.code);
  const noData = connected && !meetsTarget && onlyNoData(failingLinks);
  return {
    code: site.code,
    name: site.name,
    tier: site.tier,
    ...(county !== null && { county }),
    connected,
    meetsTarget,
    hasBackup,
    noData,
    fullyCompliant: connected && meetsTarget && hasBackup,
    ...(primaryPath !== undefined && { primaryPath }),
    failingLinks,
    singlePointsOfFailure: failures,
    gaps: gapsOf(connected, meetsTarget, hasBackup, noData),
  };
}

/**
 * The target is missed only for want of readings: every failing link is
 * `not-polled` (never read, or its readings are stale). An empty list is a fact
 * of the plan (no uplink chain), not missing data.
 */
function onlyNoData(failingLinks: SiteCoverage['failingLinks']): boolean {
  return failingLinks.length > 0 && failingLinks.every((f) => f.reason === 'not-polled');
}

/** The city: target and backup are those of its internet exit; when the exit misses its target, every exit link is listed. */
function cityTargetAndBackup(connected: boolean, exit: InternetExitStatus): TargetAndBackup {
  return {
    meetsTarget: connected && exit.meetsTarget,
    hasBackup: connected && exit.redundant,
    primaryPath: [],
    failingLinks: exit.meetsTarget ? [] : exit.links.map((s) => ({ linkId: s.linkId, reason: s.reason ?? 'not-polled' })),
  };
}

/**
 * A county-level unit or township: target over its uplink chain, backup when no
 * single link cuts it off (device SPOFs do not count). When the target is missed,
 * the links of the primary path that miss theirs are listed.
 */
function uplinkTargetAndBackup(
  code: string,
  connected: boolean,
  failures: SiteCoverage['singlePointsOfFailure'],
  facts: CoverageFacts,
): TargetAndBackup {
  const path = facts.uplinks.path(code);
  const failingLinks: SiteCoverage['failingLinks'] = [];
  if (!path.meets) {
    for (const i of path.links ?? []) {
      const s = facts.stateOf[i];
      if (!s?.meetsTarget) failingLinks.push({ linkId: facts.links[i]!.id, reason: s?.reason ?? 'not-polled' });
    }
  }
  return {
    meetsTarget: connected && path.meets,
    hasBackup: connected && !failures.some((f) => f.kind === 'link'),
    primaryPath: path.links?.map((i) => facts.links[i]!.id),
    failingLinks,
  };
}

/**
 * Gap classes: an unconnected site has that gap only; a connected one may be below
 * target (or, when its readings are missing, "no data") and without backup at once.
 */
function gapsOf(connected: boolean, meetsTarget: boolean, hasBackup: boolean, noData: boolean): GapClass[] {
  if (!connected) return ['unconnected'];
  const gaps: GapClass[] = [];
  if (!meetsTarget) gaps.push(noData ? 'no-data' : 'below-target');
  if (!hasBackup) gaps.push('no-backup');
  return gaps;
}
