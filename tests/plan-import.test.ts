import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { diffPlans, isEmptyDiff } from '@extranet/topology';
import type { Store } from '../backend/src/neo4j/store';
import { loadPlanOrThrow } from '../backend/src/plan/load';
import { importPlan, importPlanDir } from '../backend/src/plan/service';
import { readPlan } from '../backend/src/plan/store';
import { openTestStore, resetGraph } from './helpers/store';

const root = path.resolve(import.meta.dirname, '..');
const huizhou = path.join(root, 'plans', 'huizhou');
const fixtures = path.join(root, 'tests', 'fixtures');

async function counts(store: Store) {
  return store.read(async (tx) => {
    const r = await tx.run(
      `RETURN COUNT { (:Site {tier: 'city'}) } AS city, COUNT { (:Site {tier: 'county'}) } AS county,
              COUNT { (:Site {tier: 'township'}) } AS township, COUNT { (:Device) } AS devices,
              COUNT { (:Interface) } AS interfaces, COUNT { (:Link) } AS links,
              COUNT { (:Link)-[:END]->(:Interface) } AS ends`,
    );
    return r.records[0]!.toObject();
  });
}

describe('importing plans into the real Neo4j', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore();
  });
  beforeEach(async () => {
    await resetGraph(store);
  });
  afterAll(async () => {
    await resetGraph(store);
    await store.close();
  });

  it('imports plans/huizhou: 1 city, 7 county-level units, 84 townships and every planned link', async () => {
    const plan = await loadPlanOrThrow(huizhou);
    const r = await importPlanDir(store, huizhou);
    expect(r.changed).toBe(true);
    const c = await counts(store);
    expect(c).toMatchObject({ city: 1, county: 7, township: 84, devices: plan.devices.length, links: plan.links.length });
    expect(c.ends).toBe(2 * plan.links.length);
    expect(c.interfaces).toBe(plan.devices.reduce((n, d) => n + d.interfaces.length, 0));
  });

  it('reads back exactly the plan it imported', async () => {
    const plan = await loadPlanOrThrow(huizhou);
    await importPlan(store, plan);
    const stored = await store.read((tx) => readPlan(tx));
    expect(stored.sites).toEqual([...plan.sites].sort((a, b) => a.code.localeCompare(b.code)));
    expect(stored.links.map((l) => l.id)).toEqual(plan.links.map((l) => l.id).sort());
    expect(stored.targets).toEqual(plan.targets);
  });

  it('changes nothing when the same plan is imported again, and says so', async () => {
    await importPlanDir(store, huizhou);
    const before = await counts(store);
    const again = await importPlanDir(store, huizhou);
    expect(again.changed).toBe(false);
    expect(await counts(store)).toEqual(before);
  });

  it('reports what a changed plan adds, changes and removes, and applies exactly that', async () => {
    await importPlanDir(store, path.join(fixtures, 'plans', 'mini'));
    const r = await importPlanDir(store, path.join(fixtures, 'plans', 'mini-changed'));
    expect(r.changed).toBe(true);
    const changedPlan = await loadPlanOrThrow(path.join(fixtures, 'plans', 'mini-changed'));
    const stored = await store.read((tx) => readPlan(tx));
    expect(stored.links.map((l) => l.id)).toEqual(changedPlan.links.map((l) => l.id).sort());
    expect(r.diff.sites.changed.length).toBeGreaterThan(0);
    expect(r.diff.links.added.length).toBeGreaterThan(0);
    expect(r.diff.links.removed.length).toBeGreaterThan(0);
    expect((await importPlanDir(store, path.join(fixtures, 'plans', 'mini-changed'))).changed).toBe(false);
  });

  const broken = fs.readdirSync(path.join(fixtures, 'broken-plans')).sort();
  it.each(broken)('imports nothing from the broken plan "%s" and reports why', async (kind) => {
    await importPlanDir(store, path.join(fixtures, 'plans', 'mini'));
    const before = await counts(store);
    const err = await importPlanDir(store, path.join(fixtures, 'broken-plans', kind)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PLAN_INVALID' });
    const issues = (err as { details: { issues: { file: string; path: string }[] } }).details.issues;
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]!.file).toBeTruthy();
    expect(await counts(store)).toEqual(before);
  });

  it('rolls back the whole import when the database rejects a write midway', async () => {
    const plan = await loadPlanOrThrow(path.join(fixtures, 'plans', 'mini'));
    // A temporary constraint the plan breaks on its second write (two sites given one name),
    // so the failure happens inside the transaction, after sites were already written.
    await store.write((tx) => tx.run('CREATE CONSTRAINT stray_test IF NOT EXISTS FOR (s:Site) REQUIRE s.name IS UNIQUE'));
    try {
      const clash = { ...plan, sites: plan.sites.map((s, i) => (i === 1 ? { ...s, name: plan.sites[2]!.name } : s)) };
      await expect(importPlan(store, clash)).rejects.toThrow();
      const c = await counts(store);
      expect(c.devices).toBe(0);
      expect(c.links).toBe(0);
    } finally {
      await store.write((tx) => tx.run('DROP CONSTRAINT stray_test IF EXISTS'));
    }
  });

  it('stages a large addition and publishes it in one step: same graph, and a reader never sees staged records', async () => {
    const plan = await loadPlanOrThrow(huizhou);
    const lines: string[] = [];
    const r = await importPlan(store, plan, { stageFrom: 1, progress: (l) => lines.push(l) });
    expect(r.changed).toBe(true);
    expect(lines.some((l) => l.startsWith('import: stage sites'))).toBe(true);
    expect(lines.some((l) => /import: publish sites \d+/.test(l))).toBe(true);
    const c = await counts(store);
    expect(c).toMatchObject({ city: 1, county: 7, township: 84, devices: plan.devices.length, links: plan.links.length });
    expect(c.ends).toBe(2 * plan.links.length);
    const stored = await store.read((tx) => readPlan(tx));
    expect(isEmptyDiff(diffPlans(stored, plan))).toBe(true);
    expect(await stagedCount(store)).toBe(0);
    expect((await importPlan(store, plan, { stageFrom: 1 })).changed).toBe(false);
  });

  it('stages additions next to a stored plan: the new records tie to the old ones when published', async () => {
    await importPlanDir(store, path.join(fixtures, 'plans', 'mini'));
    const changed = await loadPlanOrThrow(path.join(fixtures, 'plans', 'mini-changed'));
    await importPlan(store, changed, { stageFrom: 1 });
    const stored = await store.read((tx) => readPlan(tx));
    expect(isEmptyDiff(diffPlans(stored, changed))).toBe(true);
    expect(await stagedCount(store)).toBe(0);
  });

  it('leaves the previous plan intact and no staged records behind when publishing fails', async () => {
    const mini = await loadPlanOrThrow(path.join(fixtures, 'plans', 'mini'));
    await importPlan(store, mini);
    const before = await counts(store);
    const huizhouPlan = await loadPlanOrThrow(huizhou);
    // Two sites of the new plan share a name under a temporary constraint: the publishing transaction fails.
    await store.write((tx) => tx.run('CREATE CONSTRAINT stray_test IF NOT EXISTS FOR (s:Site) REQUIRE s.name IS UNIQUE'));
    try {
      const clash = { ...huizhouPlan, sites: huizhouPlan.sites.map((s, i) => (i === 9 ? { ...s, name: huizhouPlan.sites[10]!.name } : s)) };
      await expect(importPlan(store, clash, { stageFrom: 1 })).rejects.toThrow();
      expect(await counts(store)).toEqual(before);
      const stored = await store.read((tx) => readPlan(tx));
      expect(isEmptyDiff(diffPlans(stored, mini))).toBe(true);
      expect(await stagedCount(store)).toBe(0);
    } finally {
      await store.write((tx) => tx.run('DROP CONSTRAINT stray_test IF EXISTS'));
    }
  });

  it('writes only what changed: one site renamed in a stored plan is one site written', async () => {
    const plan = await loadPlanOrThrow(huizhou);
    await importPlan(store, plan);
    const renamed = { ...plan, sites: plan.sites.map((s, i) => (i === 20 ? { ...s, name: `${s.name}（新）` } : s)) };
    const lines: string[] = [];
    const r = await importPlan(store, renamed, { progress: (l) => lines.push(l) });
    expect(r.diff.sites.changed).toEqual([{ key: plan.sites[20]!.code, fields: ['name'] }]);
    expect(lines.filter((l) => /import: \w[\w ]* \d+\/\d+/.test(l))).toEqual([expect.stringMatching(/^import: sites 1\/1 /)]);
    const stored = await store.read((tx) => readPlan(tx));
    expect(isEmptyDiff(diffPlans(stored, renamed))).toBe(true);
  });

  it('recognises an unchanged plan by its stored hash, and diffs a change against the stored snapshot as against the graph', async () => {
    const plan = await loadPlanOrThrow(huizhou);
    await importPlan(store, plan);
    const lines: string[] = [];
    expect((await importPlan(store, plan, { progress: (l) => lines.push(l) })).changed).toBe(false);
    expect(lines.some((l) => l.includes("the stored plan's hash matches"))).toBe(true);
    expect(lines.some((l) => l.includes('read the stored plan'))).toBe(false);
    const changed = {
      ...plan,
      name: `${plan.name}（新）`,
      sites: plan.sites.map((s, i) => (i === 30 ? { ...s, name: `${s.name}（新）` } : s)),
      devices: plan.devices.map((d, i) =>
        i === 5
          ? { ...d, model: 'NE40E-X8A', interfaces: d.interfaces.map((f, j) => (j === 0 ? { ...f, description: 'changed' } : f)) }
          : d,
      ),
      links: plan.links.slice(1),
    };
    const fromGraph = diffPlans(await store.read((tx) => readPlan(tx)), changed);
    const dry: string[] = [];
    expect((await importPlan(store, changed, { dryRun: true, progress: (l) => dry.push(l) })).diff).toEqual(fromGraph);
    expect(dry.some((l) => l.includes('against the stored snapshot'))).toBe(true);
    const r = await importPlan(store, changed);
    expect(r.diff).toEqual(fromGraph);
    expect(isEmptyDiff(diffPlans(await store.read((tx) => readPlan(tx)), changed))).toBe(true);
    expect((await importPlan(store, changed)).changed).toBe(false);
  });

  it('reads the plan back from the graph when the stored snapshot no longer describes it', async () => {
    const plan = await loadPlanOrThrow(huizhou);
    await importPlan(store, plan);
    const before = await counts(store);
    await store.write((tx) => tx.run('MATCH (l:Link) WITH l ORDER BY l.id LIMIT 1 DETACH DELETE l'));
    const lines: string[] = [];
    const r = await importPlan(store, plan, { progress: (l) => lines.push(l) });
    expect(lines.some((l) => l.includes('read the stored plan'))).toBe(true);
    expect(r.diff.links.added).toEqual([plan.links.map((l) => l.id).sort()[0]]);
    expect(await counts(store)).toEqual(before);
  });

  it('refuses with PLAN_CHANGED the one of two overlapping imports that did not write first, and leaves the other whole', async () => {
    const big = await loadPlanOrThrow(huizhou);
    const small = await loadPlanOrThrow(path.join(fixtures, 'plans', 'mini'));
    let second: Promise<unknown> | undefined;
    // The second import starts while the first stages its records: both diff against the same (empty) plan.
    const first = importPlan(store, big, {
      stageFrom: 1,
      progress: (l) => {
        if (second === undefined && l.startsWith('import: stage')) {
          second = importPlan(store, small);
          second.catch(() => {}); // settled below
        }
      },
    });
    await first.catch(() => {});
    const settled = await Promise.allSettled([first, second!]);
    const refused = settled.filter((r) => r.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'PLAN_CHANGED' });
    const winner = settled[0].status === 'fulfilled' ? big : small;
    expect(isEmptyDiff(diffPlans(await store.read((tx) => readPlan(tx)), winner))).toBe(true);
    expect(await stagedCount(store)).toBe(0);
  });
});

async function stagedCount(store: Store): Promise<number> {
  return store.read(async (tx) => (await tx.run('RETURN COUNT { (:PlanStaged) } AS n')).records[0]!.get('n') as number);
}
