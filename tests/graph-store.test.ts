import path from 'node:path';
import { countyByCode, type Plan } from '@extranet/topology';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countyCodes, countyOfSiteCypher } from '../backend/src/graph/store';
import type { Store } from '../backend/src/neo4j/store';
import { loadPlanOrThrow } from '../backend/src/plan/load';
import { importPlan } from '../backend/src/plan/service';
import { openTestStore, resetGraph } from './helpers/store';

const huizhou = path.resolve(import.meta.dirname, '..', 'plans', 'huizhou');

describe('the graph store against the real Neo4j', () => {
  let store: Store;
  let plan: Plan;
  beforeAll(async () => {
    store = await openTestStore();
    await resetGraph(store);
    plan = await loadPlanOrThrow(huizhou);
    await importPlan(store, plan);
  });
  afterAll(async () => {
    await resetGraph(store);
    await store.close();
  });

  it("computes every site's county in Cypher by topology's countyOfSite rule", async () => {
    const stored = await store.read(async (tx) =>
      (await tx.run(`MATCH (s:Site) RETURN s.code AS code, ${countyOfSiteCypher('s')} AS county ORDER BY code`)).records.map(
        (r) => [r.get('code') as string, r.get('county') as string | null] as const,
      ),
    );
    const countyOf = countyByCode(plan.sites);
    expect(stored).toHaveLength(plan.sites.length);
    expect(stored).toEqual(stored.map(([code]) => [code, countyOf(code)]));
    expect(new Set(stored.map(([, county]) => county))).toEqual(
      new Set([null, ...plan.sites.filter((s) => s.tier === 'county').map((s) => s.code)]),
    );
  });

  it('lists the code of every county-level unit, and nothing else', async () => {
    const expected = plan.sites.filter((s) => s.tier === 'county').map((s) => s.code);
    expect(expected.length).toBeGreaterThan(0);
    expect(await countyCodes(store)).toEqual(new Set(expected));
  });
});
