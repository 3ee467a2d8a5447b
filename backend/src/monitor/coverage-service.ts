import {
  computeCoverage,
  coverageView as toCoverageView,
  planCompliance,
  type CoverageReport,
  type CoverageView,
  type LinkCompliance,
  type LinkEndsState,
  type Plan,
} from '@extranet/topology';

export type { CoverageView };
import type { Store } from '../neo4j/store';
import { readPlan } from '../plan/store';
import { endStateOf, INTERFACE_STATE_FIELDS, type InterfaceStateProps } from './end-state';

/**
 * Coverage of the stored plan from the stored measurements, judged at `now`:
 * the pure `planCompliance` + `computeCoverage` of topology/monitor over what
 * the pollers (any shard) last wrote on the interfaces. Freshness is decided
 * here, at read time, so a device that stopped answering turns its links
 * "not-polled" even when no poll has run since.
 */
export interface CoverageOptions {
  /** ms since the epoch. */
  now: number;
  /** End states older than this are stale, ms. */
  maxAgeMs: number;
}

/** Every link of the stored plan judged at `now` (plan order), with the plan. */
export async function loadLinkStates(store: Store, opts: CoverageOptions): Promise<{ plan: Plan; linkStates: LinkCompliance[] }> {
  const { plan, states } = await store.read(async (tx) => {
    const plan = await readPlan(tx);
    const r = await tx.run(`MATCH (l:Link)-[e:END]->(i:Interface) RETURN l.id AS id, e.side AS side, i {${INTERFACE_STATE_FIELDS}} AS i`);
    const states = new Map<string, LinkEndsState>();
    for (const x of r.records) {
      const id = x.get('id') as string;
      const end = endStateOf(x.get('i') as InterfaceStateProps);
      if (!end) continue;
      states.set(id, { ...states.get(id), [x.get('side') as 'a' | 'b']: end });
    }
    return { plan, states };
  });
  return { plan, linkStates: planCompliance(plan, states, { now: opts.now, maxAgeMs: opts.maxAgeMs }) };
}

export function coverageOf(plan: Plan, linkStates: readonly LinkCompliance[]): CoverageReport {
  return computeCoverage({ sites: plan.sites, devices: plan.devices, links: plan.links, linkStates });
}

export async function loadCoverage(store: Store, opts: CoverageOptions): Promise<CoverageReport> {
  const { plan, linkStates } = await loadLinkStates(store, opts);
  return coverageOf(plan, linkStates);
}

/** The `GET /api/coverage` body: counts per tier and county-level unit, the internet exit, gaps and SPOFs. */
export function coverageView(report: CoverageReport, now: number): CoverageView {
  return toCoverageView(report, new Date(now).toISOString());
}



/**
 * A compact fingerprint of what a coverage display shows (counts, gaps, exit),
 * to tell whether a cycle changed coverage; the timestamp is left out.
 */
export function coverageFingerprint(view: CoverageView): string {
  return JSON.stringify([view.overall, view.tiers, view.internetExit, view.counties.map((c) => [c.code, c.gaps, c.townships])]);
}
