/**
 * Coverage of the three-tier extranet (city → county-level units → townships):
 * per site, per tier, per county-level unit, the city internet exit, and one
 * overall figure, with the sites of each gap class listed.
 *
 * Definitions (the graph is devices joined by links; the **core** is the city
 * site's `core` and `backup-core` devices; internet-exit links are not part of it —
 * a path through the internet is not an extranet path):
 * - **connected**: some device of the site reaches some core device over links
 *   that are built and not down (a site running on its backup link is connected).
 *   Links with no fresh state count as up unless `unknownLinksAs: 'down'`.
 * - **meets target**: the site is reached from the core over `uplink` links that
 *   each meet their target ({@link linkCompliance}). For the usual tree of uplinks
 *   this is "every link on its primary path meets target"; with dual uplinks one
 *   compliant uplink chain suffices. `primaryPath` is that chain, or — when there
 *   is none — the shortest uplink chain in the plan, with its failing links.
 * - **has backup** (备份网): connected, and no single link failure cuts it off
 *   (no link among its SPOFs, {@link singlePointsOfFailure}). Device SPOFs are
 *   listed but do not fail the work-plan rule, which speaks of links.
 * - **fully compliant**: connected, meets target and has backup.
 * - The **city** is connected when it has a core device, meets target when an
 *   internet exit meets its target, and "has backup" when ≥ 2 exits are up.
 * - **Requirements** of the work plan: every site connected and meeting target;
 *   backup required for county-level units, a goal for townships.
 *
 * Units: targets and capacities in Mbps. Cost: linear in sites + devices + links
 * (plus the size of the SPOF lists); no clock is read here.
 */
import type { Device, Link, Site, SiteTier } from '../plan/types';
import type { ComplianceReason, LinkCompliance } from './compliance';
import { countByCounty, countByTier, overallFigures } from './coverage-counts';
import { internetExit } from './internet-exit';
import { countyByCode } from '../plan/county';
import { primaryPaths } from './primary-path';
import { siteCoverage, type CoverageFacts } from './site-coverage';
import { type FailureAnalysis, type FailureElement } from './spof';
import { cachedSinglePointsOfFailure } from './spof-cache';

export interface CoverageGraph {
  sites: readonly Site[];
  devices: readonly Device[];
  links: readonly Link[];
  /** One compliance result per link (any order); a link without one counts as not polled. */
  linkStates: readonly LinkCompliance[];
}

export interface CoverageOptions {
  /** How built links whose state is not known (not polled) count for connectivity. Default `'up'`. */
  unknownLinksAs?: 'up' | 'down';
}

/**
 * Why a site is not fully compliant. `no-data`: it misses its target only because
 * links on its path have no fresh reading yet (at start, or a silent device) — not
 * known to be below target, not known to meet it.
 */
export type GapClass = 'unconnected' | 'below-target' | 'no-data' | 'no-backup';

export interface SiteCoverage {
  code: string;
  name: string;
  tier: SiteTier;
  /** County-level unit on the network (itself for a county); absent for the city and orphans. */
  county?: string;
  connected: boolean;
  /** Measured to meet its target (false when unknown). */
  meetsTarget: boolean;
  /** Connected, and whether it meets its target is unknown for want of readings (gap `no-data`). */
  noData: boolean;
  hasBackup: boolean;
  fullyCompliant: boolean;
  /** Link ids from the core to the site; `undefined` when the plan has no uplink chain to it. */
  primaryPath?: string[];
  /** Links of `primaryPath` that miss their target, and why. */
  failingLinks: Array<{ linkId: string; reason: ComplianceReason }>;
  /** Elements whose single loss cuts the site off, nearest the core first. */
  singlePointsOfFailure: FailureElement[];
  gaps: GapClass[];
}

export interface CoverageCounts {
  total: number;
  connected: number;
  meetingTarget: number;
  withBackup: number;
  fullyCompliant: number;
  /** Connected sites whose target cannot be judged yet for want of readings; never counted below target. */
  noData: number;
  /** Site codes per gap class; a site can be below target (or without data) and without backup at once. */
  gaps: { unconnected: string[]; belowTarget: string[]; noData: string[]; noBackup: string[] };
}

export interface CountyCoverage {
  code: string;
  name: string;
  site: SiteCoverage;
  townships: CoverageCounts;
}

export interface InternetExitStatus {
  links: LinkCompliance[];
  /** Exit links up. */
  up: number;
  /** Sum of the capacities of the exits that are up, Mbps. */
  capacityMbps: number;
  meetsTarget: boolean;
  redundant: boolean;
}

export interface CoverageReport {
  /** In the order of `graph.sites`. */
  sites: SiteCoverage[];
  tiers: Record<SiteTier, CoverageCounts>;
  /** In the order of `graph.sites`. */
  counties: CountyCoverage[];
  internetExit: InternetExitStatus;
  overall: {
    sites: number;
    fullyCompliant: number;
    /** Percent of all sites (0 when there are none). */
    fullyCompliantPct: number;
    meetingRequirements: number;
    meetingRequirementsPct: number;
    /** Sites whose target cannot be judged yet for want of readings (the headline says so). */
    noData: number;
  };
  /** SPOFs with the sites each one cuts off, most sites first. */
  spofImpact: FailureAnalysis['impact'];
}

const CORE_ROLES = new Set<Device['role']>(['core', 'backup-core']);

/**
 * Compute the coverage report. Pure and linear; runs after every poll cycle.
 * Steps: align link states → core devices → usable links → SPOFs, primary paths and
 * the internet exit → one verdict per site → tallies per tier, per county-level unit, overall.
 *
 * @example
 * const states = planCompliance(plan, measured, { now })
 * const report = computeCoverage({ ...plan, linkStates: states })
 * report.tiers.township // → { total, connected, meetingTarget, withBackup, fullyCompliant, gaps: { unconnected: [codes], … } }
 * report.sites[i].singlePointsOfFailure // → [{ kind: 'link', id: 'huiyang-up' }, …]
 */
export function computeCoverage(graph: CoverageGraph, opts: CoverageOptions = {}): CoverageReport {
  const stateOf = alignStates(graph.links, graph.linkStates);
  const core = coreDevices(graph);
  const spof = cachedSinglePointsOfFailure({
    sites: graph.sites.map((s) => s.code),
    devices: graph.devices,
    links: usableLinks(graph.links, stateOf, opts.unknownLinksAs ?? 'up'),
    core,
  });
  const exit = internetExit(graph.links, stateOf);
  const facts: CoverageFacts = {
    links: graph.links,
    stateOf,
    failures: spof.sites,
    uplinks: primaryPaths(graph, core, stateOf),
    exit,
    countyOf: countyByCode(graph.sites),
  };
  const sites = graph.sites.map((site) => siteCoverage(site, facts));
  return {
    sites,
    tiers: countByTier(sites),
    counties: countByCounty(sites),
    internetExit: exit,
    overall: overallFigures(sites),
    spofImpact: spof.impact,
  };
}

/** Each link's compliance by position; `planCompliance` output is already aligned, anything else goes through a map. */
function alignStates(links: readonly Link[], states: readonly LinkCompliance[]): Array<LinkCompliance | undefined> {
  if (states.length === links.length && links.every((l, i) => states[i]!.linkId === l.id)) return states.slice();
  const byId = new Map(states.map((s) => [s.linkId, s]));
  return links.map((l) => byId.get(l.id));
}

/** Hostnames of the city site's core and backup-core devices; empty when the plan has no city. */
function coreDevices(graph: Pick<CoverageGraph, 'sites' | 'devices'>): string[] {
  const city = graph.sites.find((s) => s.tier === 'city');
  return graph.devices.filter((d) => d.site === city?.code && CORE_ROLES.has(d.role)).map((d) => d.hostname);
}

/**
 * Links that carry extranet traffic for connectivity: built, not internet exits,
 * not down; links of unknown state count per `unknownAs`.
 */
function usableLinks(links: readonly Link[], stateOf: ReadonlyArray<LinkCompliance | undefined>, unknownAs: 'up' | 'down'): Link[] {
  return links.filter((l, i) => {
    const state = stateOf[i]?.state;
    return l.status === 'built' && l.kind !== 'internet-exit' && state !== 'down' && (unknownAs === 'up' || state === 'up');
  });
}
