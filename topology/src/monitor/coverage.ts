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
import { primaryPaths } from './primary-path';
import { singlePointsOfFailure, type FailureAnalysis, type FailureElement } from './spof';

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

export type GapClass = 'unconnected' | 'below-target' | 'no-backup';

export interface SiteCoverage {
  code: string;
  name: string;
  tier: SiteTier;
  /** County-level unit on the network (itself for a county); absent for the city and orphans. */
  county?: string;
  connected: boolean;
  meetsTarget: boolean;
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
  /** Site codes per gap class; a site can be below target and without backup at once. */
  gaps: { unconnected: string[]; belowTarget: string[]; noBackup: string[] };
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
  };
  /** SPOFs with the sites each one cuts off, most sites first. */
  spofImpact: FailureAnalysis['impact'];
}

const CORE_ROLES = new Set<Device['role']>(['core', 'backup-core']);

/**
 * Compute the coverage report. Pure and linear; runs after every poll cycle.
 *
 * @example
 * const states = planCompliance(plan, measured, { now })
 * const report = computeCoverage({ ...plan, linkStates: states })
 * report.tiers.township // → { total, connected, meetingTarget, withBackup, fullyCompliant, gaps: { unconnected: [codes], … } }
 * report.sites[i].singlePointsOfFailure // → [{ kind: 'link', id: 'huiyang-up' }, …]
 */
export function computeCoverage(graph: CoverageGraph, opts: CoverageOptions = {}): CoverageReport {
  const unknownAs = opts.unknownLinksAs ?? 'up';
  const stateOf = alignStates(graph.links, graph.linkStates);
  const city = graph.sites.find((s) => s.tier === 'city');
  const core = graph.devices.filter((d) => d.site === city?.code && CORE_ROLES.has(d.role)).map((d) => d.hostname);

  const usable = graph.links.filter((l, i) => {
    const state = stateOf[i]?.state;
    return l.status === 'built' && l.kind !== 'internet-exit' && state !== 'down' && (unknownAs === 'up' || state === 'up');
  });
  const spof = singlePointsOfFailure({ sites: graph.sites.map((s) => s.code), devices: graph.devices, links: usable, core });

  const uplinks = primaryPaths(graph, core, stateOf);
  const exit = internetExit(graph.links, stateOf);
  const countyOf = countyResolver(graph.sites);

  const sites = graph.sites.map((site): SiteCoverage => {
    const failures = spof.sites.get(site.code)!;
    const connected = failures.reached;
    let meetsTarget: boolean;
    let hasBackup: boolean;
    let primaryPath: string[] | undefined;
    let failingLinks: SiteCoverage['failingLinks'];
    if (site.tier === 'city') {
      meetsTarget = connected && exit.meetsTarget;
      hasBackup = connected && exit.redundant;
      primaryPath = [];
      failingLinks = exit.meetsTarget ? [] : exit.links.map((s) => ({ linkId: s.linkId, reason: s.reason ?? 'not-polled' }));
    } else {
      const path = uplinks.path(site.code);
      meetsTarget = connected && path.meets;
      hasBackup = connected && !failures.failures.some((f) => f.kind === 'link');
      primaryPath = path.links?.map((i) => graph.links[i]!.id);
      failingLinks = [];
      if (!path.meets) {
        for (const i of path.links ?? []) {
          const s = stateOf[i];
          if (!s?.meetsTarget) failingLinks.push({ linkId: graph.links[i]!.id, reason: s?.reason ?? 'not-polled' });
        }
      }
    }
    const gaps: GapClass[] = !connected ? ['unconnected'] : [];
    if (connected && !meetsTarget) gaps.push('below-target');
    if (connected && !hasBackup) gaps.push('no-backup');
    const county = countyOf(site.code);
    return {
      code: site.code,
      name: site.name,
      tier: site.tier,
      ...(county !== undefined && { county }),
      connected,
      meetsTarget,
      hasBackup,
      fullyCompliant: connected && meetsTarget && hasBackup,
      ...(primaryPath !== undefined && { primaryPath }),
      failingLinks,
      singlePointsOfFailure: failures.failures,
      gaps,
    };
  });

  const tiers = { city: emptyCounts(), county: emptyCounts(), township: emptyCounts() };
  const byCounty = new Map<string, CoverageCounts>();
  for (const s of sites) {
    add(tiers[s.tier], s);
    if (s.tier === 'township' && s.county !== undefined) {
      let counts = byCounty.get(s.county);
      if (!counts) byCounty.set(s.county, (counts = emptyCounts()));
      add(counts, s);
    }
  }
  const counties = sites
    .filter((s) => s.tier === 'county')
    .map((s) => ({ code: s.code, name: s.name, site: s, townships: byCounty.get(s.code) ?? emptyCounts() }));

  const meetingRequirements = sites.filter(
    (s) => s.connected && s.meetsTarget && (s.tier !== 'county' || s.hasBackup),
  ).length;
  const fullyCompliant = sites.filter((s) => s.fullyCompliant).length;
  const pct = (k: number) => (sites.length === 0 ? 0 : (k / sites.length) * 100);
  return {
    sites,
    tiers,
    counties,
    internetExit: exit,
    overall: {
      sites: sites.length,
      fullyCompliant,
      fullyCompliantPct: pct(fullyCompliant),
      meetingRequirements,
      meetingRequirementsPct: pct(meetingRequirements),
    },
    spofImpact: spof.impact,
  };
}

/** Each link's compliance by position; `planCompliance` output is already aligned, anything else goes through a map. */
function alignStates(links: readonly Link[], states: readonly LinkCompliance[]): Array<LinkCompliance | undefined> {
  if (states.length === links.length && links.every((l, i) => states[i]!.linkId === l.id)) return states.slice();
  const byId = new Map(states.map((s) => [s.linkId, s]));
  return links.map((l) => byId.get(l.id));
}

function emptyCounts(): CoverageCounts {
  return { total: 0, connected: 0, meetingTarget: 0, withBackup: 0, fullyCompliant: 0, gaps: { unconnected: [], belowTarget: [], noBackup: [] } };
}

function add(c: CoverageCounts, s: SiteCoverage): void {
  c.total++;
  if (s.connected) c.connected++;
  else c.gaps.unconnected.push(s.code);
  if (s.meetsTarget) c.meetingTarget++;
  else if (s.connected) c.gaps.belowTarget.push(s.code);
  if (s.hasBackup) c.withBackup++;
  else if (s.connected) c.gaps.noBackup.push(s.code);
  if (s.fullyCompliant) c.fullyCompliant++;
}

function internetExit(links: readonly Link[], stateOf: ReadonlyArray<LinkCompliance | undefined>): InternetExitStatus {
  const results: LinkCompliance[] = [];
  links.forEach((l, i) => {
    if (l.kind !== 'internet-exit') return;
    results.push(stateOf[i] ?? { linkId: l.id, targetMbps: l.targetMbps, state: 'unknown', meetsTarget: false, reason: 'not-polled' });
  });
  const up = results.filter((r) => r.state === 'up');
  return {
    links: results,
    up: up.length,
    capacityMbps: up.reduce((sum, r) => sum + (r.capacityMbps ?? 0), 0),
    meetsTarget: results.some((r) => r.meetsTarget),
    redundant: up.length >= 2,
  };
}

/** Longest `parent` walk from a site to its county-level unit; the hierarchy has three tiers, so this only stops cycles. */
const MAX_PARENT_STEPS = 16;

/** Site code → its county-level unit on the network (walking `parent`, not `legalCounty`); cycles give `undefined`. */
function countyResolver(sites: readonly Site[]): (code: string) => string | undefined {
  const byCode = new Map(sites.map((s) => [s.code, s]));
  return (code) => {
    let s = byCode.get(code);
    for (let steps = 0; s !== undefined && s.tier !== 'county' && steps < MAX_PARENT_STEPS; steps++) {
      s = s.parent === undefined ? undefined : byCode.get(s.parent);
    }
    return s?.tier === 'county' ? s.code : undefined;
  };
}
