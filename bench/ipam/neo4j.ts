/**
 * The Neo4j side of the IPAM benchmark: one embedded Neo4j 5.26 on a fresh
 * temporary folder for the whole run, (c) the time to import and provision
 * the Huizhou plan, and the baseline for (b): Neo4j's own rate of small write
 * transactions through the same Store (same driver, same settings, one
 * session and one `executeWrite` per transaction, exactly as `Store.write`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressPlan } from '../../topology/src/index';
import { loadConfig, type Config } from '../../backend/src/config';
import { requireAddressPlan } from '../../backend/src/ipam/address-plan';
import { provision } from '../../backend/src/ipam/provision';
import { Store } from '../../backend/src/neo4j/store';
import { loadPlanOrThrow } from '../../backend/src/plan/load';
import { importPlanDir } from '../../backend/src/plan/service';
import { meanOf, newProfile, profilingStore } from './profile';
import { since, stats, type Stats } from './report';

export const PLAN_DIR = path.resolve(import.meta.dirname, '..', '..', 'plans', 'huizhou');

export interface BenchDb {
  store: Store;
  config: Config;
  addressPlan: AddressPlan;
  startSeconds: number;
  close(): Promise<void>;
}

/**
 * Starts the embedded Neo4j on a new temp folder. NEO4J_URI is ignored on
 * purpose: the figures are for the product's default setup on this machine,
 * and a shared server would also get its data wiped by (c).
 */
export async function openBenchDb(log: (line: string) => void): Promise<BenchDb> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'extranet-bench-neo4j-'));
  const config = loadConfig({ ...process.env, NEO4J_URI: '', NEO4J_DATA_DIR: dataDir });
  const t0 = performance.now();
  const store = await Store.open(config, log);
  const startSeconds = since(t0) / 1000;
  const addressPlan = await requireAddressPlan(PLAN_DIR, await loadPlanOrThrow(PLAN_DIR));
  return {
    store,
    config,
    addressPlan,
    startSeconds,
    async close() {
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ProvisionResult {
  runs: number;
  importMs: Stats;
  provisionMs: Stats;
  totalMs: Stats;
  prefixesCreated: number;
  /** Mean per warm run (all but the first): each statement, JS inside the transaction, commit (import: plus reading and validating the plan files). */
  importProfile: ReturnType<typeof meanOf>;
  provisionProfile: ReturnType<typeof meanOf>;
}

/**
 * (c) Import + provision on a fresh graph, `runs` times. Each run starts from
 * an empty graph (a superset of resetting the Prefix and IpamEvent nodes), so
 * the import is a real first import, not the "nothing changed" fast path.
 * The graph is left provisioned for the allocation benchmark.
 */
export async function benchProvision(db: BenchDb, runs: number, log: (line: string) => void): Promise<ProvisionResult> {
  const imports: number[] = [];
  const provisions: number[] = [];
  const totals: number[] = [];
  let prefixesCreated = 0;
  // The proxy adds microseconds per statement to runs of seconds. The first run is cold (Cypher
  // planning, JVM JIT) and would swamp the means, so only the later runs are profiled.
  const importProfile = newProfile();
  const provisionProfile = newProfile();
  for (let i = 0; i < runs; i++) {
    await db.store.write((tx) => tx.run('MATCH (n) DETACH DELETE n'));
    const warm = i > 0 || runs === 1;
    let t0 = performance.now();
    await importPlanDir(warm ? profilingStore(db.store, importProfile) : db.store, PLAN_DIR);
    imports.push(since(t0));
    t0 = performance.now();
    const r = await provision(warm ? profilingStore(db.store, provisionProfile) : db.store, db.addressPlan, {
      actor: 'bench',
      reason: 'bench provision',
    });
    provisions.push(since(t0));
    totals.push(imports[i]! + provisions[i]!);
    prefixesCreated = r.created.length;
    log(
      `provision run ${i + 1}/${runs}: import ${imports[i]!.toFixed(0)} ms, provision ${provisions[i]!.toFixed(0)} ms, ${prefixesCreated} prefixes`,
    );
  }
  return {
    runs,
    importMs: stats(imports),
    provisionMs: stats(provisions),
    totalMs: stats(totals),
    prefixesCreated,
    importProfile: meanOf(importProfile),
    provisionProfile: meanOf(provisionProfile),
  };
}

export interface ClientsResult {
  clients: number;
  ok: number;
  failed: number;
  ms: number;
  perSecond: number;
  firstError?: string;
}

/**
 * Runs `clients` concurrent loops (in-flight promises), each doing `perClient`
 * operations one after another. Failures are counted, not thrown, so a
 * contended case reports how many gave up instead of hiding them.
 */
export async function runClients(
  clients: number,
  perClient: number,
  op: (client: number, i: number) => Promise<void>,
): Promise<ClientsResult> {
  let ok = 0;
  let failed = 0;
  let firstError: string | undefined;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let i = 0; i < perClient; i++) {
        try {
          await op(client, i);
          ok++;
        } catch (e) {
          failed++;
          firstError ??= (e as Error).message;
        }
      }
    }),
  );
  const ms = since(t0);
  return { clients, ok, failed, ms, perSecond: (ok / ms) * 1000, ...(firstError !== undefined && { firstError }) };
}

/** Adds up the chunks of one measurement (ms are summed: chunks never overlap in time). */
export function sumResults(parts: ClientsResult[]): ClientsResult {
  const ok = parts.reduce((n, p) => n + p.ok, 0);
  const ms = parts.reduce((n, p) => n + p.ms, 0);
  const firstError = parts.find((p) => p.firstError !== undefined)?.firstError;
  return {
    clients: parts[0]!.clients,
    ok,
    failed: parts.reduce((n, p) => n + p.failed, 0),
    ms,
    perSecond: (ok / ms) * 1000,
    ...(firstError !== undefined && { firstError }),
  };
}

/** Creates `n` anchor nodes for raw writes to attach to; returns their ids. */
export async function makeAnchors(store: Store, tag: string, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, (_, i) => `${tag}-${i}`);
  await store.write((tx) => tx.run('UNWIND $ids AS id CREATE (:BenchAnchor {id: id})', { ids }));
  return ids;
}

/**
 * One raw write transaction, the smallest that does what an allocation
 * fundamentally must: create one node with a few properties and one
 * relationship to an existing node, and commit.
 */
export function rawWrite(store: Store, anchor: string, client: number, seq: number): Promise<unknown> {
  return store.write((tx) =>
    tx.run(
      `MATCH (a:BenchAnchor {id: $anchor})
       CREATE (:BenchRow {client: $client, seq: $seq, note: $note, at: datetime()})-[:OF]->(a)`,
      { anchor, client, seq, note: `row ${client}/${seq}` },
    ),
  );
}

/** Counts the raw rows written under the anchors (the baseline's own correctness check). */
export async function countRows(store: Store, anchors: string[]): Promise<number> {
  return store.read(async (tx) => {
    const r = await tx.run('MATCH (:BenchRow)-[:OF]->(a:BenchAnchor) WHERE a.id IN $anchors RETURN count(*) AS n', { anchors });
    return r.records[0]!.get('n') as number;
  });
}

/** Removes the baseline's nodes so they never mix with the product's data. */
export async function dropRaw(store: Store): Promise<void> {
  await store.write((tx) => tx.run('MATCH (n) WHERE n:BenchRow OR n:BenchAnchor DETACH DELETE n'));
}
