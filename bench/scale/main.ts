/**
 * Scale benchmark: `npm run bench -- scale [--sizes=huizhou-like,province,national] [--seed=S]`.
 *
 * For each size, side by side: generate the synthetic plan (`extranet plan generate`), validate it,
 * import it into a new embedded Neo4j (default settings: 1 GB heap; a national plan through Neo4j's bulk
 * importer, --online-import: through Cypher into the running server; the server's start is timed
 * apart), import it again unchanged
 * ("no changes"), import it with one site renamed, then serve it (createApp, the read models) and time
 * /api/topology, /api/topology/compact, /api/coverage and /metrics: first request (computes), second
 * (from memory), sizes raw and gzip. Node's peak RSS and CPU per phase. Writes bench/results/scale.json.
 * The map's figures (first render, fps while panning) are added by the map's own bench under
 * `map` in the same file (see MAP_HOOK below).
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { PLAN_SIZES, generatePlan, renderPlanYaml, seededRandom, type PlanSizeName } from '@extranet/topology';
import { createApp } from '../../backend/src/http/app';
import { loadConfig } from '../../backend/src/config';
import { Store } from '../../backend/src/neo4j/store';
import { loadPlanDir } from '../../backend/src/plan/load';
import { openAndImport } from '../../backend/src/plan/first-import';
import { importPlan } from '../../backend/src/plan/service';
import { testAuth } from '../../tests/helpers/auth';

/** Where the map's bench adds its figures (first render, fps) per size: results.map[size]. */
export const MAP_HOOK = 'map';

interface Phase {
  ms: number;
  cpuMs: number;
  rssMb: number;
}

async function phase<T>(work: () => Promise<T> | T): Promise<[T, Phase]> {
  const t = performance.now();
  const c = process.cpuUsage();
  const value = await work();
  const cpu = process.cpuUsage(c);
  return [
    value,
    {
      ms: Math.round(performance.now() - t),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      rssMb: Math.round(process.memoryUsage().rss / 1e6),
    },
  ];
}

function get(url: string, headers: Record<string, string>): Promise<{ status: number; bytes: number; ms: number }> {
  const t = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('end', () => resolve({ status: res.statusCode!, bytes, ms: Math.round(performance.now() - t) }));
      })
      .on('error', reject);
  });
}

export default async function main(args: string[]): Promise<void> {
  const opt = Object.fromEntries(args.map((a) => a.replace(/^--/, '').split('=') as [string, string]));
  const sizes = (opt.sizes ?? 'huizhou-like,province,national').split(',') as PlanSizeName[];
  const seed = Number(opt.seed ?? 1);
  const results: Record<string, unknown> = {
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, load: os.loadavg() },
    sizes: {},
  };
  for (const size of sizes) {
    if (!(size in PLAN_SIZES)) throw new Error(`unknown size ${size}: one of ${Object.keys(PLAN_SIZES).join(', ')}`);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), `scale-${size}-`));
    const dir = path.join(work, 'plan');
    const say = (l: string) => process.stderr.write(`[${size}] ${l}\n`);
    const [files, gen] = await phase(() => {
      const g = generatePlan(PLAN_SIZES[size], seededRandom(seed));
      const f = renderPlanYaml(g.plan, g.addressPlan, { generator: `bench scale --size ${size}` });
      fs.mkdirSync(dir, { recursive: true });
      for (const [name, text] of Object.entries(f) as [string, string][]) fs.writeFileSync(path.join(dir, name), text);
      return f;
    });
    say(`generated in ${gen.ms} ms`);
    const [validated, validate] = await phase(() => loadPlanDir(dir));
    if (!validated.ok) throw new Error(`generated plan invalid: ${validated.errors[0]?.message}`);
    const plan = validated.plan;
    say(`validated in ${validate.ms} ms`);
    process.env.NEO4J_DATA_DIR = path.join(work, 'neo4j');
    // The first import goes to a new store: Neo4j's bulk importer writes it before the server starts
    // (--online-import: through Cypher into the running server instead). The server's start is timed apart.
    let startMs = 0;
    const lines = (l: string) => {
      const ready = /^neo4j: ready at \S+ after ([\d.]+) s/.exec(l);
      if (ready) startMs = Math.round(Number(ready[1]) * 1000);
      say(l);
    };
    const online = opt['online-import'] !== undefined;
    if (online) await Store.open(loadConfig(), lines).then((s) => s.close());
    const [{ store, bulk }, opened] = await phase(() =>
      openAndImport(loadConfig(), plan, { progress: lines, storeProgress: lines, bulk: !online }),
    );
    const imported = { ...opened, ms: opened.ms - startMs, serverStartMs: startMs, bulk };
    say(
      `first import ${imported.ms} ms (${bulk ? "Neo4j's bulk importer into a new store" : 'through Cypher'}), server start ${startMs} ms`,
    );
    try {
      const [again, reimport] = await phase(() => importPlan(store, plan));
      const renamed = { ...plan, sites: plan.sites.map((s, i) => (i === plan.sites.length - 1 ? { ...s, name: `${s.name}（改）` } : s)) };
      const [, oneSite] = await phase(() => importPlan(store, renamed));
      say(
        `import ${imported.ms} ms, re-import ${reimport.ms} ms (${again.changed ? 'changed!' : 'no changes'}), one site ${oneSite.ms} ms`,
      );

      const testing = await testAuth(store);
      const server = http.createServer(createApp({ store, trust: testing.trust }));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const auth = testing.header('admin');
      const api: Record<string, unknown> = {};
      for (const p of ['/api/topology', '/api/topology/compact', '/api/coverage', '/metrics']) {
        const first = await get(`${base}${p}`, { ...auth, 'accept-encoding': 'gzip' });
        const second = await get(`${base}${p}`, { ...auth, 'accept-encoding': 'gzip' });
        const raw = await get(`${base}${p}`, { ...auth, 'accept-encoding': 'identity' });
        api[p] = { firstMs: first.ms, secondMs: second.ms, gzipBytes: second.bytes, rawBytes: raw.bytes, status: first.status };
        say(`${p}: first ${first.ms} ms, then ${second.ms} ms; ${raw.bytes} B raw, ${second.bytes} B gzip`);
      }
      server.close();
      (results.sizes as Record<string, unknown>)[size] = {
        sites: plan.sites.length,
        devices: plan.devices.length,
        links: plan.links.length,
        planBytes: (Object.values(files) as (string | undefined)[]).reduce((n, t) => n + Buffer.byteLength(t ?? ''), 0),
        generate: gen,
        validate,
        import: imported,
        reimport,
        oneSiteChange: oneSite,
        api,
        peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      };
    } finally {
      await store.close();
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
  const out = path.join(import.meta.dirname, '..', 'results', 'scale.json');
  const previous = fs.existsSync(out) ? (JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, unknown>) : {};
  fs.writeFileSync(out, `${JSON.stringify({ ...results, [MAP_HOOK]: previous[MAP_HOOK] ?? null }, null, 2)}\n`);
  console.log(JSON.stringify(results, null, 2));
}
