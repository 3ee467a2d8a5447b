import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diffPlans, isEmptyDiff, type Plan } from '@extranet/topology';
import { loadConfig } from '../backend/src/config';
import { readGraphFacts } from '../backend/src/check/check-store';
import { checkGraph } from '../backend/src/check/rules';
import { BULK_LOCK } from '../backend/src/neo4j/bulk-lock';
import { bulkImportNewStore, isNewEmbeddedStore } from '../backend/src/neo4j/bulk-import';
import type { Store } from '../backend/src/neo4j/store';
import { planCsvFiles } from '../backend/src/plan/bulk-csv';
import { openAndImport } from '../backend/src/plan/first-import';
import { loadPlanOrThrow } from '../backend/src/plan/load';
import { importPlan } from '../backend/src/plan/service';
import { readPlan } from '../backend/src/plan/store';

/**
 * A first import into a new embedded store goes through Neo4j's bulk importer
 * (the real one, from the embedded Neo4j's jars): the graph it makes must be
 * the one the Cypher import makes, and a failure must leave no store.
 */

const huizhou = path.resolve(import.meta.dirname, '..', 'plans', 'huizhou');
const tmp = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `extranet-bulk-${name}-`));
const small = { NEO4J_HEAP: '256m', NEO4J_PAGECACHE: '32m' };

/** Huizhou's plan with the strings a CSV file gets wrong: quotes, commas, a line break, an empty string. */
async function awkwardPlan(): Promise<Plan> {
  const plan = await loadPlanOrThrow(huizhou);
  const sites = plan.sites.map((s, i) => (i === 1 ? { ...s, name: `${s.name}, "东区" 分中心` } : s));
  const devices = plan.devices.map((d, i) =>
    i === 0
      ? {
          ...d,
          interfaces: d.interfaces.map((f, j) =>
            j === 0 ? { ...f, description: '上联, "主"\n第二行' } : j === 1 ? { ...f, description: '' } : f,
          ),
        }
      : d,
  );
  return { ...plan, sites, devices };
}

describe('a first import into a new embedded store (Neo4j bulk importer)', () => {
  const stores: Store[] = [];
  afterAll(async () => {
    for (const s of stores) await s.close();
  });

  it('makes the graph the Cypher import makes: read back, it is the plan; the snapshot is current; the store checks clean', async (ctx) => {
    if (!process.env.EXTRANET_TEST_NEO4J_DIR) ctx.skip(); // NEO4J_URI was given: this run has no Java-started Neo4j
    const dataDir = tmp('new');
    const config = { ...loadConfig(), ...small, NEO4J_URI: undefined, NEO4J_DATA_DIR: dataDir };
    const plan = await awkwardPlan();
    const lines: string[] = [];
    expect(isNewEmbeddedStore(dataDir)).toBe(true);
    const { store, result, bulk } = await openAndImport(config, plan, { progress: (l) => lines.push(l), bulkFrom: 0 });
    stores.push(store);
    expect(bulk).toBe(true);
    expect(lines.join('\n')).toMatch(/bulk importer done in/);
    expect(lines.join('\n')).toMatch(/settings and snapshot written/);
    expect(result.changed).toBe(true);
    expect(result.diff.sites.added).toHaveLength(plan.sites.length);
    expect(isNewEmbeddedStore(dataDir)).toBe(false);
    expect(fs.existsSync(path.join(dataDir, BULK_LOCK))).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'db.importing'))).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'bulk-import'))).toBe(false);
    expect(fs.existsSync(path.join(process.cwd(), 'import.report'))).toBe(false); // the importer's report goes with its work files

    // Every record, property and relationship, the settings included, as the plan has them.
    const stored = await store.read((tx) => readPlan(tx));
    const diff = diffPlans(stored, plan);
    expect(isEmptyDiff(diff), JSON.stringify(diff).slice(0, 500)).toBe(true);
    // Property types as the driver writes them (numbers are floats), and an empty string kept as one.
    const types = await store.read(async (tx) => {
      const r = await tx.run(
        `MATCH (i:Interface) WITH collect(DISTINCT valueType(i.speedMbps)) AS speed
         MATCH (l:Link) WITH speed, collect(DISTINCT valueType(l.targetMbps)) AS target
         MATCH (:Link)-[e:END]->(:Interface) WITH speed, target, collect(DISTINCT e.side) AS sides
         RETURN speed, target, sides, COUNT { (i:Interface {description: ''}) } AS empty`,
      );
      return r.records[0]!.toObject();
    });
    expect(types).toEqual({ speed: ['FLOAT NOT NULL'], target: ['FLOAT NOT NULL'], sides: expect.arrayContaining(['a', 'b']), empty: 1 });
    const report = checkGraph(await store.read((tx) => readGraphFacts(tx)));
    expect(report.issues).toEqual([]);

    // The next import diffs against the snapshot the bulk import stored: unchanged, then one site renamed (through Cypher).
    expect((await importPlan(store, plan)).changed).toBe(false);
    const renamed = { ...plan, sites: plan.sites.map((s, i) => (i === 2 ? { ...s, name: `${s.name}（改）` } : s)) };
    const again = await importPlan(store, renamed);
    expect(again.diff.sites.changed.map((c) => c.key)).toEqual([plan.sites[2]!.code]);
    const after = await store.read((tx) => readPlan(tx));
    expect(isEmptyDiff(diffPlans(after, renamed))).toBe(true);
  });

  it('an importer that fails leaves no store, no half-written folder and no lock; a live import keeps a second one out', async (ctx) => {
    if (!process.env.EXTRANET_TEST_NEO4J_DIR) ctx.skip(); // no Java-started Neo4j: its jars may not be here
    const dataDir = tmp('fail');
    const plan = await loadPlanOrThrow(huizhou);
    const files = planCsvFiles(plan);
    // A link end naming an interface that is not there: the importer (bad tolerance 0) refuses the whole import.
    const dangling = `"${plan.links[0]!.id}","nowhere|Gi0/0/0","a"`;
    const broken = files.map((f) =>
      f.name === 'END'
        ? {
            ...f,
            *lines() {
              yield* f.lines();
              yield dangling;
            },
          }
        : f,
    );
    await expect(bulkImportNewStore(broken, { dataDir, heap: '256m', progress: () => {} })).rejects.toThrow(
      /bulk importer exited with code [1-9]\d*; nothing was written/,
    );
    expect(fs.readdirSync(dataDir)).toEqual([]);
    expect(isNewEmbeddedStore(dataDir)).toBe(true);

    // Another live process holds the folder's lock: refused at once, the lock left to its holder.
    const holder = spawn('sleep', ['60']);
    try {
      fs.writeFileSync(path.join(dataDir, BULK_LOCK), String(holder.pid));
      await expect(bulkImportNewStore(files, { dataDir, heap: '256m', progress: () => {} })).rejects.toThrow(
        new RegExp(`another import into the new store .* is under way \\(pid ${holder.pid}\\)`),
      );
      expect(fs.readFileSync(path.join(dataDir, BULK_LOCK), 'utf8')).toBe(String(holder.pid));
      expect(isNewEmbeddedStore(dataDir)).toBe(true);
    } finally {
      holder.kill();
    }
  });
});
