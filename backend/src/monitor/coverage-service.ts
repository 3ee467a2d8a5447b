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
import type { ManagedTransaction } from 'neo4j-driver';
import { planStamp, readPlan } from '../plan/store';
import { endStateOf } from './end-state';
import { readLinkEnds } from './link-state-store';

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

/** The plan each store last read back, with its stamp. */
const plans = new WeakMap<Store, { stamp: string; plan: Plan }>();

/**
 * The stored plan, read back only when it changed since this process last read it (its stamp, one
 * small read): coverage, the live pushes and the alert evaluation judge the whole plan after every
 * poll cycle, and at national size reading 280,000 records back takes longer than a cycle. Callers
 * must not change the plan they are given (it is shared).
 */
async function storedPlan(store: Store, tx: ManagedTransaction): Promise<Plan> {
  const stamp = await planStamp(tx);
  const hit = plans.get(store);
  if (hit?.stamp === stamp) return hit.plan;
  const plan = await readPlan(tx);
  plans.set(store, { stamp, plan });
  return plan;
}

/** Every link of the stored plan judged at `now` (plan order), with the plan. */
export async function loadLinkStates(store: Store, opts: CoverageOptions): Promise<{ plan: Plan; linkStates: LinkCompliance[] }> {
  const { plan, ends } = await store.read(async (tx) => ({ plan: await storedPlan(store, tx), ends: await readLinkEnds(tx) }));
  const states = new Map<string, LinkEndsState>();
  for (const x of ends) {
    const end = endStateOf(x.props);
    if (end) states.set(x.id, { ...states.get(x.id), [x.side]: end });
  }
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
