import { diffPlans, isEmptyDiff, type Plan, type PlanDiff } from '@extranet/topology';
import type { Store } from '../neo4j/store';
import { loadPlanOrThrow } from './load';
import { lockPlan, readPlan, siteCount, writePlan } from './store';

export interface ImportResult {
  changed: boolean;
  diff: PlanDiff;
}

/**
 * Imports a validated plan in ONE write transaction: the plan lock is taken,
 * the stored plan is read back and diffed, and only when something differs is
 * the graph rewritten. Any error rolls everything back.
 */
export async function importPlan(store: Store, plan: Plan, opts: { dryRun?: boolean } = {}): Promise<ImportResult> {
  if (opts.dryRun) {
    return store.read(async (tx) => {
      const diff = diffPlans(await readPlan(tx), plan);
      return { changed: !isEmptyDiff(diff), diff };
    });
  }
  return store.write(async (tx) => {
    await lockPlan(tx);
    const diff = diffPlans(await readPlan(tx), plan);
    if (isEmptyDiff(diff)) return { changed: false, diff };
    await writePlan(tx, plan);
    return { changed: true, diff };
  });
}

/** Loads, validates and imports a plan directory. */
export async function importPlanDir(store: Store, dir: string, opts: { dryRun?: boolean } = {}): Promise<ImportResult> {
  const plan = await loadPlanOrThrow(dir);
  return importPlan(store, plan, opts);
}

/** Number of sites stored: 0 means a fresh database. */
export async function countSites(store: Store): Promise<number> {
  return store.read(siteCount);
}
