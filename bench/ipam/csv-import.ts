/**
 * CSV import timing: `npx tsx bench/ipam/csv-import.ts [--rows=500,5000]`.
 *
 * One embedded Neo4j 5.26 on a fresh temp folder (as the rest of bench/ipam);
 * for each size, a fresh graph with the Huizhou plan imported and provisioned,
 * then ONE `importCsv` of that many rows: /16 containers inside the site-block
 * root 10.64.0.0/11 (policy /16…/28), each holding up to 999 /28s (every
 * tenth for a site), the rows shuffled with a seeded PRNG. 200 ms into the
 * import, one allocation from the same root starts; its wait is reported too
 * (the import holds the root's lock until it commits).
 * Checked afterwards: every row is stored, each container's `used` counter is
 * what its children cover.
 */
import { formatPrefix, parsePrefix, size, type Prefix } from '../../topology/src/index';
import { importCsv } from '../../backend/src/ipam/csv';
import { provision } from '../../backend/src/ipam/provision';
import { allocateNext } from '../../backend/src/ipam/service';
import { importPlanDir } from '../../backend/src/plan/service';
import { prng } from './data';
import { openBenchDb, PLAN_DIR, type BenchDb } from './neo4j';
import { fmt, machine, since, table } from './report';

const ROOT = '10.64.0.0/11';
const PER_CONTAINER = 999;

const started = performance.now();
const log = (line: string) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);

/** `rows` CSV rows under the free /16s of the root (`free16s`), shuffled (seeded). */
export function importRows(free16s: Prefix[], rows: number, seed = 7): { csv: string; containers: Prefix[] } {
  const lines: string[] = [];
  const containers: Prefix[] = [];
  for (const c of free16s) {
    if (lines.length >= rows) break;
    containers.push(c);
    lines.push(`${formatPrefix(c)},public,container,office,bench container,`);
    for (let i = 0; i < PER_CONTAINER && lines.length < rows; i++) {
      const p: Prefix = { family: 4, start: c.start + BigInt(i) * 16n, length: 28 };
      lines.push(`${formatPrefix(p)},public,active,office,bench row ${i},${i % 10 === 0 ? '441302' : ''}`);
    }
  }
  if (lines.length < rows) throw new Error(`only room for ${lines.length} rows`);
  const next = prng(seed);
  for (let i = lines.length - 1; i > 0; i--) {
    const j = next() % (i + 1);
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
  }
  return { csv: `prefix,vrf,status,role,description,site\r\n${lines.join('\r\n')}\r\n`, containers };
}

async function freshGraph(db: BenchDb): Promise<Prefix[]> {
  await db.store.write((tx) => tx.run('MATCH (n) DETACH DELETE n'));
  await importPlanDir(db.store, PLAN_DIR);
  await provision(db.store, db.addressPlan, { actor: 'bench', reason: 'bench' });
  const root = await db.store.read(
    async (tx) =>
      (await tx.run('MATCH (p:Prefix {vrf: "public", cidr: $c}) RETURN p.free AS f', { c: ROOT })).records[0]!.get('f') as string[],
  );
  // Whole free /16s, split out of the larger free blocks.
  return root
    .map((c) => parsePrefix(c))
    .filter((b) => b.length <= 16)
    .flatMap((b) =>
      Array.from({ length: 2 ** (16 - b.length) }, (_, i): Prefix => ({ family: 4, start: b.start + BigInt(i) * 65536n, length: 16 })),
    );
}

async function measure(db: BenchDb, rows: number) {
  const { csv, containers } = importRows(await freshGraph(db), rows);
  const t0 = performance.now();
  let allocWaitMs = NaN;
  const alloc = new Promise((r) => setTimeout(r, 200)).then(async () => {
    const a0 = performance.now();
    await allocateNext(db.store, db.addressPlan, { vrf: 'public', parent: ROOT, length: 20, actor: 'bench', reason: 'during the import' });
    allocWaitMs = since(a0);
  });
  const result = await importCsv(db.store, db.addressPlan, csv, { actor: 'bench', reason: 'bench import' });
  const importMs = since(t0);
  await alloc;
  if (result.created !== rows) throw new Error(`created ${result.created} of ${rows}`);
  const stored = await db.store.read(async (tx) =>
    (
      await tx.run(
        `UNWIND $cs AS c MATCH (p:Prefix {vrf: 'public', cidr: c}) RETURN p.cidr AS cidr, p.used AS used, COUNT { (p)<-[:IN]-() } AS n`,
        { cs: containers.map(formatPrefix) },
      )
    ).records.map((r) => ({ cidr: r.get('cidr') as string, used: r.get('used') as string, n: r.get('n') as number })),
  );
  for (const s of stored) {
    if (BigInt(s.used) !== BigInt(s.n) * size({ family: 4, start: 0n, length: 28 }))
      throw new Error(`${s.cidr}: used ${s.used} with ${s.n} /28s`);
  }
  return { rows, importMs, allocWaitMs, rowsPerSecond: (rows / importMs) * 1000 };
}

async function main(): Promise<void> {
  const arg = process.argv.slice(2).find((a) => a.startsWith('--rows='));
  const sizes = (arg ? arg.slice('--rows='.length) : '500,5000').split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('usage: npx tsx bench/ipam/csv-import.ts [--rows=500,5000]');
  const m = machine();
  log('starting one embedded Neo4j on a fresh temp folder…');
  const db = await openBenchDb(log);
  const results = [];
  try {
    for (const n of sizes) {
      log(`importing ${n} rows…`);
      results.push(await measure(db, n));
      log(`  ${fmt(results.at(-1)!.importMs)} ms`);
    }
  } finally {
    await db.close();
  }
  console.log(`CSV import — ${m.cores} cores, ${m.cpuModel}, Node ${m.node}, ${m.date}, load average ${m.loadAverage.join(' ')}`);
  console.log(
    table(
      ['rows', 'import', 'rows/s', 'allocation on the root, started 200 ms in, waited'],
      results.map((r) => [fmt(r.rows), `${fmt(r.importMs)} ms`, fmt(r.rowsPerSecond), `${fmt(r.allocWaitMs)} ms`]),
    ),
  );
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
