import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../backend/src/config';
import { readGraphFacts } from '../../backend/src/check/check-store';
import { checkGraph } from '../../backend/src/check/rules';
import { requireAddressPlan } from '../../backend/src/ipam/address-plan';
import { allocateNext } from '../../backend/src/ipam/service';
import { importCsv } from '../../backend/src/ipam/csv';
import { provision } from '../../backend/src/ipam/provision';
import { importPlanDir } from '../../backend/src/plan/service';
import { formatPrefix, freeBlocks, parsePrefix, size } from '@extranet/topology';
import type { Store } from '../../backend/src/neo4j/store';
import { openTestStore, resetGraph } from '../helpers/store';

/**
 * `kill -9` of the `extranet` process in the middle of its write — a plan
 * import, a whole-plan provisioning, a batch allocation, a CSV import — as
 * an OS process on the test Neo4j. After each kill the graph holds all of
 * the write or none of it (its fingerprint is the one before or the one a
 * finished run leaves), and the consistency pass (`extranet check`) finds
 * nothing. The kill comes when Neo4j shows the process's write transaction
 * open, after a random further delay (seeded; KILL_SEED repeats a run).
 */
const bin = path.join(repoRoot, 'backend', 'bin', 'extranet');
const huizhou = path.join(repoRoot, 'plans', 'huizhou');
const env = { ...process.env, LOG_LEVEL: 'warn', PLAN_DIR: huizhou };
const seed = Number(process.env.KILL_SEED ?? Date.now() % 100_000);
let rng = seed;
/** 0 ≤ x < n, from a small LCG (the delays only need to spread, and repeat under one seed). */
const random = (n: number) => {
  rng = (rng * 1_103_515_245 + 12_345) % 2 ** 31;
  return rng % n;
};

let store: Store;
let tmp: string;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

/** `extranet ARGS` as its own OS process (node running the bin directly: one process, so SIGKILL hits the writer). */
function run(args: string[]): { proc: ChildProcess; exit: Promise<Exit> } {
  const proc = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<Exit>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal, out, err })));
  return { proc, exit };
}

/** Waits until Neo4j shows a transaction running a query that matches `marker` (the process's write), or the process ends. */
async function openWrite(proc: ChildProcess, marker: RegExp, exit: Promise<Exit>): Promise<boolean> {
  let ended = false;
  void exit.then(() => (ended = true));
  const deadline = Date.now() + 60_000;
  while (!ended && Date.now() < deadline) {
    const queries = await store.read(async (tx) =>
      (await tx.run('SHOW TRANSACTIONS YIELD currentQuery RETURN currentQuery')).records.map((r) => String(r.get('currentQuery'))),
    );
    if (queries.some((q) => marker.test(q) && !q.includes('SHOW TRANSACTIONS'))) return !ended && proc.exitCode === null;
    await new Promise((r) => setTimeout(r, 10));
  }
  return false;
}

/** What the write changes: every node but audit entries (an audit entry is its own transaction, after the write). */
async function fingerprint(): Promise<string> {
  const rows = await store.read(async (tx) => {
    const nodes = await tx.run(
      `MATCH (n) WHERE NOT n:AuditEvent
       RETURN labels(n)[0] + ':' + coalesce(n.vrf, '') + ' ' + coalesce(n.cidr, n.code, n.hostname, n.key, n.id, '') + ' '
              + coalesce(toString(n.used), '') + ' ' + reduce(s = '', f IN coalesce(n.free, []) | s + f + ',') AS k`,
    );
    const rels = await tx.run(
      'MATCH (a)-[r]->(b) WHERE NOT a:AuditEvent AND NOT b:AuditEvent RETURN type(r) AS t, count(*) AS n ORDER BY t',
    );
    return [
      ...nodes.records.map((r) => String(r.get('k'))),
      ...rels.records.map((r) => `rel ${String(r.get('t'))}=${String(r.get('n'))}`),
    ].sort();
  });
  return createHash('sha256').update(rows.join('\n')).digest('hex').slice(0, 16) + ` (${rows.length} rows)`;
}

async function consistent(): Promise<string[]> {
  const report = checkGraph(await store.read(readGraphFacts));
  return report.issues.map((i) => `${i.code} ${i.subject}: ${i.message}`);
}

interface Scenario {
  name: string;
  args: string[];
  /** A query of the write's own transaction, as SHOW TRANSACTIONS shows it. */
  marker: RegExp;
  /** The longest random delay after the write shows, ms. */
  spread: number;
  /** The same write in this process, run to the end: what "all of it" looks like. */
  complete: () => Promise<unknown>;
  /** Puts the graph back to its state before the write (after a round whose kill came after the commit). */
  undo: (since: string) => Promise<void>;
}

/** Rounds run beyond KILL_ROUNDS while no kill has come with the write open. */
const MISSED_ROUNDS = 4;

/**
 * KILL_ROUNDS rounds (default 1) of: start, wait for the write, kill -9 after a random delay; each time
 * the graph is consistent and either the one before or the one the complete write leaves (a kill
 * after the commit is put back for the next round). Then the write is completed in this process, and
 * the scenarios after build on it. Returns how many kills left nothing and how many came after the commit.
 */
async function killRounds(s: Scenario): Promise<{ none: number; all: number; open: number }> {
  const rounds = Number(process.env.KILL_ROUNDS ?? 1);
  const before = await fingerprint();
  const committed: string[] = [];
  let open = 0;
  // A round whose kill missed the open write (the write was over before SHOW TRANSACTIONS saw it, on a
  // fast or busy machine) proves less: up to MISSED_ROUNDS more are run until a kill comes while it is open.
  let i = 0;
  for (; i < rounds || (open === 0 && i < rounds + MISSED_ROUNDS); i++) {
    const since = await store.read(async (tx) => String((await tx.run('RETURN toString(datetime()) AS t')).records[0]!.get('t')));
    const { proc, exit } = run(s.args);
    if (await openWrite(proc, s.marker, exit)) open++;
    await new Promise((r) => setTimeout(r, random(s.spread)));
    proc.kill('SIGKILL');
    const e = await exit;
    expect(e.signal === 'SIGKILL' || e.code === 0, `${s.name}: ${e.err}`).toBe(true);
    expect(await consistent(), `${s.name}, round ${i} (KILL_SEED=${seed})`).toEqual([]);
    const fp = await fingerprint();
    if (fp !== before) {
      committed.push(fp);
      await s.undo(since);
      expect(await fingerprint(), `${s.name}: undo restores the state before`).toBe(before);
    }
  }
  await s.complete();
  const after = await fingerprint();
  expect(after).not.toBe(before);
  expect(await consistent()).toEqual([]);
  for (const fp of committed) expect(fp, `${s.name}: a kill after the commit left all of it (KILL_SEED=${seed})`).toBe(after);
  expect(open, `${s.name}: the kill came while the write was open at least once`).toBeGreaterThan(0);
  return { none: i - committed.length, all: committed.length, open };
}

const wipe = async (where: string, params: Record<string, unknown> = {}): Promise<void> => {
  await store.write((tx) => tx.run(`MATCH (n) WHERE ${where} DETACH DELETE n`, params));
};
const report: string[] = [];

beforeAll(async () => {
  store = await openTestStore();
  await resetGraph(store);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'extranet-kill-'));
});
afterAll(async () => {
  console.log(`kill -9 rounds (KILL_SEED=${seed}):\n${report.join('\n')}`);
  await resetGraph(store);
  await store.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const who = { actor: 'kill-test', reason: 'kill test' };
const since = '(n:IpamEvent AND n.at > datetime($since))';

// The scenarios run in order, each on what the one before completed: an empty graph, the imported plan, the provisioned plan.
describe('kill -9 in the middle of a write: all of it or none of it', () => {
  it('plan import', async () => {
    const r = await killRounds({
      name: 'plan import',
      args: ['plan', 'import', huizhou],
      marker: /MERGE \(n:(Site|Device|Interface|Link)/,
      spread: 300,
      complete: () => importPlanDir(store, huizhou),
      undo: () => wipe('NOT n:AuditEvent'),
    });
    report.push(`  plan import: ${JSON.stringify(r)}`);
  });

  it('whole-plan provisioning', async () => {
    const plan = await requireAddressPlan(huizhou);
    const r = await killRounds({
      name: 'provision',
      args: ['ipam', 'provision', '--reason', 'kill test'],
      marker: /Prefix/,
      spread: 300,
      complete: () => provision(store, plan, who),
      undo: () => wipe('n:Prefix OR n:RequestKey OR n:IpamEvent'),
    });
    report.push(`  provision: ${JSON.stringify(r)}`);
  });

  it('batch allocation (256 prefixes in one request)', async () => {
    const plan = await requireAddressPlan(huizhou);
    const parent = (await allocateNext(store, plan, { vrf: 'public', parent: '10.64.0.0/11', length: 20, ...who })).prefixes[0]!.cidr;
    const r = await killRounds({
      name: 'allocate',
      args: ['ipam', 'allocate', 'public', parent, '28', '--count', '256', '--reason', 'kill test'],
      marker: /Prefix/,
      spread: 100,
      complete: () => allocateNext(store, plan, { vrf: 'public', parent, length: 28, count: 256, ...who }),
      undo: async (t) => {
        await wipe(`(n:Prefix AND (n)-[:IN]->(:Prefix {vrf: 'public', cidr: $parent})) OR ${since}`, { parent, since: t });
        await store.write((tx) =>
          tx.run("MATCH (p:Prefix {vrf: 'public', cidr: $parent}) SET p.free = [$parent], p.used = '0'", { parent }),
        );
      },
    });
    report.push(`  allocate: ${JSON.stringify(r)}`);
  });

  it('CSV import (2,001 rows)', async () => {
    const plan = await requireAddressPlan(huizhou);
    const rows = ['prefix,vrf,status,role,description', '10.90.0.0/16,public,container,site-block,kill test'];
    for (let i = 0; i < 2000; i++) rows.push(`10.90.${i >> 3}.${(i & 7) * 32}/27,public,active,site-block,row ${i}`);
    const text = `${rows.join('\n')}\n`;
    const file = path.join(tmp, 'prefixes.csv');
    fs.writeFileSync(file, text);
    const r = await killRounds({
      name: 'CSV import',
      args: ['ipam', 'import', file],
      marker: /Prefix/,
      spread: 300,
      complete: () => importCsv(store, plan, text, who),
      undo: async (t) => {
        await wipe(`(n:Prefix AND n.cidr STARTS WITH '10.90.') OR ${since}`, { since: t });
        // The root's free list and used count before the import: what its other children leave.
        await store.write(async (tx) => {
          const root = await tx.run("MATCH (r:Prefix {vrf: 'public', cidr: '10.64.0.0/11'})<-[:IN]-(c) RETURN collect(c.cidr) AS cs");
          const cs = (root.records[0]!.get('cs') as string[]).map((c) => parsePrefix(c));
          const top = parsePrefix('10.64.0.0/11');
          const free = freeBlocks(top, cs);
          await tx.run("MATCH (r:Prefix {vrf: 'public', cidr: '10.64.0.0/11'}) SET r.free = $free, r.used = $used", {
            free: free.map(formatPrefix),
            used: (size(top) - free.reduce((n, b) => n + size(b), 0n)).toString(),
          });
        });
      },
    });
    report.push(`  CSV import: ${JSON.stringify(r)}`);
  });

  it('extranet check: exit 0 and a readable report on the consistent graph; exit 1 and JSON naming the issue on a broken one', async () => {
    const ok = await run(['check']).exit;
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(/checked \d+ prefixes and \d+ links[\s\S]*consistent: every check holds/);
    // Break it the way a half-written allocation would: a child its container's free list does not know.
    await store.write((tx) =>
      tx.run(
        `MATCH (p:Prefix {vrf: 'public', cidr: '10.90.0.0/16'})
         CREATE (:Prefix {vrf: 'public', cidr: '10.90.255.0/24', family: 4, length: 24, startHex: '0a5aff00', endHex: '0a5affff',
                          free: ['10.90.255.0/24'], used: '0', size: '256'})-[:IN]->(p)`,
      ),
    );
    const bad = await run(['check', '--json']).exit;
    expect(bad.code).toBe(1);
    const json = JSON.parse(bad.out) as { ok: boolean; issues: { code: string; subject: string }[] };
    expect(json.ok).toBe(false);
    expect(json.issues).toEqual([
      expect.objectContaining({ code: 'PREFIX_FREE', subject: 'prefix public 10.90.0.0/16' }),
      expect.objectContaining({ code: 'PREFIX_USED', subject: 'prefix public 10.90.0.0/16' }),
    ]);
  });
});
