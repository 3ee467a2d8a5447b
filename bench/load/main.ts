/**
 * `npm run bench -- load [--seconds=10] [--connections=50] [--clients=500] [--interval=10] [--use-neo4j-uri]`
 *
 * The read API under load while the poller runs over the Huizhou lab: the
 * Huizhou plan imported and provisioned on a fresh embedded Neo4j (or, with
 * --use-neo4j-uri, on NEO4J_URI — whose graph is REPLACED), the lab's routers
 * polled every --interval seconds, 500 socket.io clients subscribed to "all",
 * and autocannon against /api/topology, /api/coverage, /api/sites,
 * /api/ipam/prefixes and /metrics in turn, authenticated with an admin's API
 * token like an automation client. Reports per endpoint req/s, p50/p99 latency
 * and errors, and whether every socket client received every poll cycle's
 * links event; writes bench/results/load.json.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { io as ioClient, type Socket } from 'socket.io-client';
import { loadConfig } from '../../backend/src/config';
import { createApp } from '../../backend/src/http/app';
import { requireAddressPlan } from '../../backend/src/ipam/address-plan';
import { provision } from '../../backend/src/ipam/provision';
import { attachLive } from '../../backend/src/live/live';
import { Store } from '../../backend/src/neo4j/store';
import { importPlanDir } from '../../backend/src/plan/service';
import { startLabMode } from '../../backend/src/poller/lab-mode';
import { createPoller } from '../../backend/src/poller/poller';
import type { CycleResult } from '../../backend/src/monitor/types';
import { testAuth } from '../../tests/helpers/auth';

const PLAN = path.resolve(import.meta.dirname, '..', '..', 'plans', 'huizhou');
const ENDPOINTS = ['/api/topology', '/api/coverage', '/api/sites', '/api/ipam/prefixes', '/metrics'];

interface EndpointFigures {
  url: string;
  requests: number;
  reqPerSec: number;
  p50ms: number;
  p99ms: number;
  errors: number;
  non2xx: number;
  bytesPerReq: number;
}

export default async function main(args: string[]): Promise<void> {
  const arg = (k: string, d: number) => Number(args.find((a) => a.startsWith(`--${k}=`))?.split('=')[1] ?? d);
  const seconds = arg('seconds', 10);
  const connections = arg('connections', 50);
  const clientCount = arg('clients', 500);
  const intervalS = arg('interval', 10);
  const say = (l: string) => process.stderr.write(`[${(performance.now() / 1000).toFixed(0)} s] ${l}\n`);

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'extranet-bench-load-'));
  const config = args.includes('--use-neo4j-uri')
    ? loadConfig()
    : loadConfig({ ...process.env, NEO4J_URI: '', NEO4J_DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  process.env.LOGIN_LIMIT_PER_ADDRESS ??= '100000';
  const store = await Store.open(config, say);
  await store.write((tx) => tx.run('MATCH (n) DETACH DELETE n'));
  await importPlanDir(store, PLAN);
  const addressPlan = await requireAddressPlan(PLAN);
  await provision(store, addressPlan, { actor: 'bench', reason: 'load bench' });
  const auth = await testAuth(store);
  const token = auth.tokens.admin;

  const lab = await startLabMode(store, { basePort: 0, env: {}, shortfalls: [] });
  const cycles: CycleResult[] = [];
  const poller = createPoller({ store, targets: lab.targets, profiles: lab.profiles, intervalMs: intervalS * 1000, timeoutMs: 2000 });
  poller.onCycle((c) => cycles.push(c));
  const server = http.createServer(createApp({ store, trust: auth.trust, poller, lab, addressPlan }));
  const live = attachLive(server, { store, trust: auth.trust, poller });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  poller.start();
  say(`serving ${base}; lab of ${lab.targets.size} routers polled every ${intervalS} s`);

  // The socket clients: each subscribes to "all" and records the `at` of every links event.
  const received: Set<string>[] = [];
  const sockets: Socket[] = [];
  for (let i = 0; i < clientCount; i++) {
    const seen = new Set<string>();
    received.push(seen);
    const s = ioClient(base, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 120_000 });
    s.on('links', (e: { at: string }) => seen.add(e.at));
    sockets.push(s);
  }
  await Promise.all(
    sockets.map(
      (s) =>
        new Promise<void>((resolve, reject) => {
          s.on('connect_error', reject);
          s.on('connect', () => s.emit('subscribe', 'all', () => resolve()));
        }),
    ),
  );
  const subscribedAt = cycles.length;
  say(`${clientCount} socket clients subscribed to "all"`);

  const results: EndpointFigures[] = [];
  for (const url of ENDPOINTS) {
    // One warm-up second (the first request of a read may fill a cache), then the measured run.
    await autocannon({ url: `${base}${url}`, connections: 4, duration: 1, headers: { authorization: `Bearer ${token}` } });
    const r = await autocannon({
      url: `${base}${url}`,
      connections,
      duration: seconds,
      timeout: 30,
      headers: { authorization: `Bearer ${token}` },
    });
    const f: EndpointFigures = {
      url,
      requests: r.requests.total,
      reqPerSec: Math.round(r.requests.average),
      p50ms: r.latency.p50,
      p99ms: r.latency.p99,
      errors: r.errors + r.timeouts,
      non2xx: r.non2xx,
      bytesPerReq: Math.round(r.throughput.total / Math.max(1, r.requests.total)),
    };
    results.push(f);
    say(`${url}: ${f.reqPerSec} req/s, p50 ${f.p50ms} ms, p99 ${f.p99ms} ms, errors ${f.errors}, non-2xx ${f.non2xx}`);
  }

  // Let the last cycle's events arrive, then stop polling before counting.
  await poller.stop();
  await new Promise((r) => setTimeout(r, 1500));
  const expected = cycles
    .slice(subscribedAt)
    .filter((c) => c.links.length > 0)
    .map((c) => new Date(c.endedAt).toISOString());
  const missing = received.map((seen) => expected.filter((at) => !seen.has(at)).length);
  const clientsMissing = missing.filter((n) => n > 0).length;
  const sockets_ = {
    clients: clientCount,
    cyclesWithLinks: expected.length,
    clientsServedEveryCycle: clientCount - clientsMissing,
    eventsMissing: missing.reduce((a, b) => a + b, 0),
  };

  for (const s of sockets) s.close();
  await live.close();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await lab.stop();
  await store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });

  const machine = {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    memGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    date: new Date().toISOString(),
    loadavg: os.loadavg(),
  };
  console.log(
    `\nRead API under load (${connections} connections, ${seconds} s each, poller every ${intervalS} s, ${clientCount} socket clients)\n`,
  );
  console.log('| endpoint | req/s | p50 ms | p99 ms | errors | non-2xx | bytes/req |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const f of results)
    console.log(`| ${f.url} | ${f.reqPerSec} | ${f.p50ms} | ${f.p99ms} | ${f.errors} | ${f.non2xx} | ${f.bytesPerReq} |`);
  console.log(
    `\nsocket clients: ${sockets_.clientsServedEveryCycle}/${clientCount} received every one of the ${sockets_.cyclesWithLinks} cycles' links events (${sockets_.eventsMissing} events missing in all)`,
  );
  console.log(`machine: ${machine.cores} cores, ${machine.cpu}, load average ${machine.loadavg.map((x) => x.toFixed(1)).join(' ')}`);
  const out = path.resolve(import.meta.dirname, '..', 'results', 'load.json');
  fs.writeFileSync(
    out,
    `${JSON.stringify({ settings: { seconds, connections, clientCount, intervalS }, results, sockets: sockets_, machine }, null, 2)}\n`,
  );
  process.exit(0);
}
