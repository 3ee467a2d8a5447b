/**
 * IPAM benchmark: `npm run bench -- ipam [--only=free|neo4j] [--allocations=N]`.
 *
 * (a) free-block computation, ours vs NetBox's netaddr algorithm, IPv4 and IPv6;
 * (b) persisted allocations/s into Neo4j vs Neo4j's raw write-transaction rate;
 * (c) import + provision of the Huizhou plan.
 * Prints tables on stdout (progress on stderr) and writes bench/results/ipam.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchAllocations, profileAllocation, type AllocCaseResult } from './allocate';
import { benchFreeBlocks, type FreeBlockResult } from './free-blocks';
import { benchProvision, openBenchDb, type ProvisionResult } from './neo4j';
import type { meanOf } from './profile';
import { fmt, machine, table } from './report';

/** Allocations per case: ~30 s of steady state at 1 client; 2,000 (`--allocations=2000`) pushes a 2-core run past 5 min. */
const ALLOCATIONS_PER_CASE = 1000;
const PROVISION_RUNS = 3;
const PROFILED_TRANSACTIONS = 300;
const USAGE = 'usage: npm run bench -- ipam [--only=free|neo4j] [--allocations=N]';

function parseArgs(args: string[]): { only?: 'free' | 'neo4j'; allocations: number } {
  const opts: { only?: 'free' | 'neo4j'; allocations: number } = { allocations: ALLOCATIONS_PER_CASE };
  for (const a of args) {
    const m = /^--(only|allocations)=(.+)$/.exec(a);
    if (m?.[1] === 'only' && (m[2] === 'free' || m[2] === 'neo4j')) opts.only = m[2];
    else if (m?.[1] === 'allocations' && /^[1-9]\d*$/.test(m[2]!)) opts.allocations = Number(m[2]);
    else throw new Error(`${USAGE}. Got: ${a}`);
  }
  return opts;
}

const started = performance.now();
/** Progress on stderr, stamped with seconds since start (to see where a long run spends its time). */
const log = (line: string) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
const ms = (x: number) => `${fmt(x)} ms`;

function freeTable(rows: FreeBlockResult[]): string {
  return table(
    ['tree', 'free blocks', 'ours median', 'ours min', 'netaddr median', 'netaddr min', 'ours faster ×', 'ours: union / tiling'],
    rows.map((r) => [
      `${r.name} ${r.parent}, ${fmt(r.children)} children ${r.lengths}`,
      fmt(r.freeBlocks),
      ms(r.ours.median),
      ms(r.ours.min),
      ms(r.netaddr.median),
      ms(r.netaddr.min),
      fmt(r.speedup),
      `${ms(r.oursUnion.median)} / ${ms(Math.max(0, r.ours.median - r.oursUnion.median))}`,
    ]),
  );
}

function allocTable(rows: AllocCaseResult[]): string {
  return table(
    ['case (/28s from /16 parents)', 'allocations/s', 'raw write tx/s', 'alloc ÷ raw', 'failed (alloc/raw)', 'checked'],
    rows.map((r) => [
      `${r.name}, ${fmt(r.total)} each`,
      fmt(r.alloc.perSecond),
      fmt(r.raw.perSecond),
      fmt(r.ratio, 2),
      `${r.alloc.failed}/${r.raw.failed}`,
      'ok',
    ]),
  );
}

function provisionTable(p: ProvisionResult): string {
  const row = (name: string, s: ProvisionResult['importMs']) => [name, ms(s.median), ms(s.min), s.samples.map((x) => fmt(x)).join(', ')];
  return table(
    ['Huizhou plan, fresh graph', 'median', 'min', `runs (ms)`],
    [
      row('import (plan import)', p.importMs),
      row(`provision (${p.prefixesCreated} prefixes)`, p.provisionMs),
      row('import + provision', p.totalMs),
    ],
  );
}

type Means = ReturnType<typeof meanOf>;

/** Step-by-step means of two profiles side by side; statements show client time and (server time). */
function profileTable(title: string, cols: [string, Means][]): string {
  const keys = [...new Set(cols.flatMap(([, p]) => Object.keys(p.client)))].filter((k) => k !== 'total');
  const cell = (p: Means, k: string) => {
    const c = p.client[k];
    if (c === undefined) return '';
    const s = p.server[k];
    return s === undefined ? ms(c) : `${ms(c)} (server ${fmt(s, 2)})`;
  };
  return table(
    [title, ...cols.map(([name]) => name)],
    [
      ...keys.map((k) => [k, ...cols.map(([, p]) => cell(p, k))]),
      ['total per transaction', ...cols.map(([, p]) => ms(p.client.total ?? NaN))],
    ],
  );
}

export default async function main(args: string[]): Promise<void> {
  const opts = parseArgs(args);
  const m = machine();
  const out: Record<string, unknown> = { benchmark: 'ipam', command: `npm run bench -- ipam ${args.join(' ')}`.trim(), machine: m };
  const print: string[] = [
    `IPAM benchmark — ${m.cores} cores, ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}, ${m.date}, load average ${m.loadAverage.join(' ')}`,
  ];

  if (opts.only !== 'neo4j') {
    const free = benchFreeBlocks(log);
    out.freeBlocks = { peer: { ...free.peer, algorithm: 'IPSet([parent]) - IPSet(children), iter_cidrs()' }, results: free.results };
    print.push(
      '',
      `(a) Free blocks of a parent with 100k children — ours (freeBlocks) vs NetBox's algorithm (netaddr ${free.peer.netaddr}, ${free.peer.python}); same blocks on both sides: checked`,
      freeTable(free.results),
    );
  }

  if (opts.only !== 'free') {
    log('neo4j: starting one embedded Neo4j 5.26 on a fresh temp folder…');
    const db = await openBenchDb(log);
    try {
      const neo4j = {
        version: '5.26 (embedded, Bolt on loopback)',
        heap: db.config.NEO4J_HEAP,
        pageCache: db.config.NEO4J_PAGECACHE,
        startSeconds: db.startSeconds,
      };
      const prov = await benchProvision(db, PROVISION_RUNS, log);
      const alloc = await benchAllocations(db, opts.allocations, log);
      log(`profile: ${PROFILED_TRANSACTIONS} allocations and ${PROFILED_TRANSACTIONS} raw writes, 1 client, timed per statement…`);
      const profile = await profileAllocation(db, PROFILED_TRANSACTIONS);
      Object.assign(out, { neo4j, provision: prov, allocations: alloc, allocationProfile: profile });
      print.push(
        '',
        `(b) Persisted allocations per second vs Neo4j's raw write transactions (same Store and driver, alternating in chunks within each case; Neo4j heap ${neo4j.heap}, page cache ${neo4j.pageCache})`,
        allocTable(alloc),
        '',
        "Where the time of one transaction goes (client-observed ms; server = Neo4j's own time for the statement)",
        profileTable(`1 client, mean over ${PROFILED_TRANSACTIONS}`, [
          ['allocateNext (/28)', profile.allocation],
          ['raw write', profile.raw],
        ]),
        '',
        `(c) Provisioning the Huizhou plan, median of ${PROVISION_RUNS}`,
        provisionTable(prov),
        '',
        'Where the time of import and provision goes (mean of the warm runs, 2…n)',
        profileTable('step', [
          ['plan import', prov.importProfile],
          ['provision', prov.provisionProfile],
        ]),
      );
    } finally {
      await db.close();
    }
  }

  out.loadAverageAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
  // A partial run never overwrites the figures of a full one.
  const file = path.resolve(import.meta.dirname, '..', 'results', opts.only ? `ipam.${opts.only}.json` : 'ipam.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  print.push('', `written: ${path.relative(process.cwd(), file)}`);
  console.log(print.join('\n'));
}
