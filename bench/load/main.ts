/**
 * `npm run bench -- load [--seconds=10] [--connections=10,50] [--clients=500] [--interval=10] [--profile]`
 *
 * The read API under load while the poller runs over the Huizhou lab, each part
 * in its own OS process as in a deployment:
 * - this process: a fresh embedded Neo4j (owned here, in a temporary directory),
 *   the Huizhou plan imported and provisioned, an admin account and API token;
 *   then the load — autocannon in a worker thread, and the socket.io clients;
 * - `extranet lab plans/huizhou --targets-file F`: the lab's simulated routers;
 * - `extranet serve` (SNMP_TARGETS=F): API, socket.io, the poller every
 *   --interval seconds, alerting — joining the same embedded Neo4j.
 *
 * `--clients` socket.io clients subscribe to "all"; autocannon runs against
 * /api/topology, /api/coverage, /api/sites, /api/ipam/prefixes and /metrics in
 * turn with `Authorization: Bearer <admin token>`: at each `--connections`
 * level, plain (every answer a 200 with its body, identity) and gzip (a 200
 * with its gzip body, as browsers and Prometheus ask); then, at the highest
 * level, as dashboards poll, with the ETag of the first answer in If-None-Match
 * (304 while unchanged). A closed loop: with c connections kept busy the mean
 * latency is c ÷ req/s, so the latency aim is read at the lowest level and the
 * ceiling at the highest. Reports per endpoint
 * req/s, p50/p99 latency, errors, non-2xx, bytes per answer and the server's
 * CPU per request; and whether every socket client received every poll cycle's
 * links event. `--profile` writes a CPU profile of the server
 * (bench/results/load-profile/). Results: bench/results/load.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { stringify as stringifyYaml } from 'yaml';
import { loadConfig } from '../../backend/src/config';
import { createToken, createUser } from '../../backend/src/auth/service';
import { loadSecretKey } from '../../backend/src/auth/secret';
import { requireAddressPlan } from '../../backend/src/ipam/address-plan';
import { provision } from '../../backend/src/ipam/provision';
import { readCycleSeq } from '../../backend/src/monitor/cycle-store';
import { Store } from '../../backend/src/neo4j/store';
import { importPlanDir } from '../../backend/src/plan/service';
import { startExtranet, waitFor, type Proc } from './processes';
import { subscribeClients } from './clients';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const PLAN = path.join(ROOT, 'plans', 'huizhou');
const ENDPOINTS = ['/api/topology', '/api/coverage', '/api/sites', '/api/ipam/prefixes', '/metrics'];

interface EndpointFigures {
  url: string;
  requests: number;
  reqPerSec: number;
  p50ms: number;
  p99ms: number;
  errors: number;
  non2xx: number;
  /** Answers 304 Not Modified (the revalidating run). */
  notModified: number;
  bytesPerReq: number;
  /** CPU of the serve process per answered request, ms (user + system). */
  serverCpuMsPerReq: number;
  /** The same, less what the server spends with no requests (measured for 10 s before the runs). */
  requestCpuMsPerReq: number;
  /** CPU of the serve process during the run over its wall time (1 = one core all the time). */
  serverCpuShare: number;
}

export default async function main(args: string[]): Promise<void> {
  const arg = (k: string, d: number) => Number(args.find((a) => a.startsWith(`--${k}=`))?.split('=')[1] ?? d);
  const seconds = arg('seconds', 10);
  // Concurrency levels: the latency aim is read at the first, the most connections show the ceiling.
  // (With c connections kept busy, mean latency = c / req/s: at 50, 500 req/s means 100 ms on average.)
  const connectionLevels = (args.find((a) => a.startsWith('--connections='))?.split('=')[1] ?? '10,50').split(',').map(Number);
  const clientCount = arg('clients', 500);
  const intervalS = arg('interval', 10);
  const profile = args.includes('--profile');
  const say = (l: string) => process.stderr.write(`[${(performance.now() / 1000).toFixed(0)} s] ${l}\n`);
  const loadAtStart = os.loadavg();

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'extranet-bench-load-'));
  const profilesFile = path.join(dataDir, 'snmp-profiles.yaml');
  const secret = () => randomBytes(12).toString('base64url');
  fs.writeFileSync(
    profilesFile,
    stringifyYaml({
      profiles: {
        'huizhou-v3': {
          version: '3',
          user: 'poller',
          level: 'authPriv',
          authProtocol: 'sha',
          authKey: secret(),
          privProtocol: 'aes',
          privKey: secret(),
        },
        'huizhou-v2c': { version: '2c', community: secret() },
      },
    }),
    { mode: 0o600 },
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NEO4J_URI: '',
    NEO4J_DATA_DIR: path.join(dataDir, 'neo4j'),
    SECRET_KEY_FILE: path.join(dataDir, 'secret.key'),
    SNMP_PROFILES_FILE: profilesFile,
    SNMP_TARGETS: path.join(dataDir, 'targets.yaml'),
    PLAN_DIR: PLAN,
    LAB: '0',
    LAB_BASE_PORT: '0',
    POLL_INTERVAL_SECONDS: String(intervalS),
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    LOGIN_LIMIT_PER_ADDRESS: '100000',
  };

  // The database, the plan and the account, from this process (it owns the embedded Neo4j).
  // The setup's own transactions may wait long on a busy machine; the server keeps the default limit.
  const store = await Store.open(loadConfig({ ...env, NEO4J_TX_TIMEOUT_MS: '600000' }), say);
  const procs: Proc[] = [];
  const profileDir = path.resolve(import.meta.dirname, '..', 'results', 'load-profile');
  try {
    await importPlanDir(store, PLAN);
    await provision(store, await requireAddressPlan(PLAN), { actor: 'bench', reason: 'load bench' });
    await createUser(store, { username: 'bench-admin', role: 'admin', password: secret() + secret() });
    const owner = { username: 'bench-admin', displayName: 'bench-admin', role: 'admin' as const, via: 'session' as const };
    const { secret: token } = await createToken(store, loadSecretKey(env.SECRET_KEY_FILE!), owner, {
      name: 'load bench',
      role: 'admin',
      expiresInDays: 1,
    });
    const headers = { authorization: `Bearer ${token}` };

    const lab = startExtranet(['lab', PLAN, '--targets-file', env.SNMP_TARGETS!], env);
    procs.push(lab);
    await waitFor(lab, /targets written to/);
    const serve = startExtranet(['serve'], env, profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []);
    procs.push(serve);
    const base = (await waitFor(serve, /Extranet manager: (http:\/\/127\.0\.0\.1:\d+)\//))[1]!;
    say(`serve at ${base} (pid ${serve.child.pid}), lab (pid ${lab.child.pid}), polled every ${intervalS} s`);

    const clients = await subscribeClients(base, token, clientCount).catch((e: Error) => {
      throw new Error(`${e.message}\nserve said:\n${serve.output().slice(-3000)}`);
    });
    // What the server spends with no request (poller, alerting, socket broadcasts), to tell it from the requests' own cost.
    const idle0 = serve.cpuMs();
    await new Promise((r) => setTimeout(r, 10_000));
    const idleCpuMsPerS = Number(((serve.cpuMs() - idle0) / 10).toFixed(1));
    say(`server CPU with no requests: ${idleCpuMsPerS} ms/s`);
    const seqAtStart = await store.read(readCycleSeq);
    say(`${clientCount} socket clients subscribed to "all" (cycles written so far: ${seqAtStart})`);

    const run = async (url: string, connections: number, extra: Record<string, string>): Promise<EndpointFigures> => {
      const cpu0 = serve.cpuMs();
      const r = await autocannon({
        url: `${base}${url}`,
        connections,
        duration: seconds,
        timeout: 30,
        workers: 1,
        headers: { ...headers, ...extra },
      });
      const cpu = serve.cpuMs() - cpu0;
      const requestCpu = Math.max(0, cpu - idleCpuMsPerS * seconds);
      const answered = r['2xx'] + r['3xx'] + r['4xx'] + r['5xx'];
      return {
        url,
        requests: r.requests.total,
        reqPerSec: Math.round(r.requests.average),
        p50ms: r.latency.p50,
        p99ms: r.latency.p99,
        errors: r.errors + r.timeouts,
        non2xx: r.non2xx - (extra['if-none-match'] ? r['3xx'] : 0),
        notModified: r['3xx'],
        bytesPerReq: Math.round(r.throughput.total / Math.max(1, r.requests.total)),
        serverCpuMsPerReq: Number((cpu / Math.max(1, answered)).toFixed(2)),
        requestCpuMsPerReq: Number((requestCpu / Math.max(1, answered)).toFixed(2)),
        serverCpuShare: Number((cpu / (seconds * 1000)).toFixed(2)),
      };
    };

    // Plain (identity) and gzip 200 answers at each concurrency, then revalidating (If-None-Match) at the highest.
    const tables: Array<{ mode: 'plain' | 'gzip' | 'revalidate'; connections: number; results: EndpointFigures[] }> = [];
    for (const connections of connectionLevels)
      for (const mode of ['plain', 'gzip'] as const) tables.push({ mode, connections, results: [] });
    tables.push({ mode: 'revalidate', connections: Math.max(...connectionLevels), results: [] });
    for (const t of tables)
      for (const url of ENDPOINTS) {
        let extra: Record<string, string> = t.mode === 'plain' ? { 'accept-encoding': 'identity' } : { 'accept-encoding': 'gzip' };
        if (t.mode === 'revalidate') {
          const res = await fetch(`${base}${url}`, { headers: { ...headers, 'accept-encoding': 'gzip' } });
          await res.arrayBuffer();
          const etag = res.headers.get('etag');
          if (etag) extra = { ...extra, 'if-none-match': etag };
        } else {
          // One warm-up second (the first request of a read may fill a cache), then the measured run.
          await autocannon({ url: `${base}${url}`, connections: 4, duration: 1, headers: { ...headers, ...extra } });
        }
        const f = await run(url, t.connections, extra);
        t.results.push(f);
        say(
          `${t.mode} ×${t.connections} ${url}: ${f.reqPerSec} req/s, p50 ${f.p50ms} ms, p99 ${f.p99ms} ms, errors ${f.errors}, non-2xx ${f.non2xx}, 304s ${f.notModified}`,
        );
      }

    // Cycles written while the clients listened; then let the last cycle's events arrive.
    const seqAtEnd = await store.read(readCycleSeq);
    await new Promise((r) => setTimeout(r, 3000));
    const sockets = clients.report(seqAtEnd - seqAtStart);
    clients.close();
    await serve.stop();
    await lab.stop();

    const loadAtEnd = os.loadavg();
    const machine = {
      cores: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      memGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      date: new Date().toISOString(),
      loadavgStart: loadAtStart,
      loadavgEnd: loadAtEnd,
    };
    const table = (title: string, rows: EndpointFigures[]) => {
      console.log(`\n${title}\n`);
      console.log(
        '| endpoint | req/s | p50 ms | p99 ms | errors | non-2xx | 304 | bytes/req | server CPU ms/req | less idle | server cores |',
      );
      console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
      for (const f of rows)
        console.log(
          `| ${f.url} | ${f.reqPerSec} | ${f.p50ms} | ${f.p99ms} | ${f.errors} | ${f.non2xx} | ${f.notModified} | ${f.bytesPerReq} | ${f.serverCpuMsPerReq} | ${f.requestCpuMsPerReq} | ${f.serverCpuShare} |`,
        );
    };
    const titles = {
      plain: 'plain 200 answers (Accept-Encoding: identity)',
      gzip: 'gzip 200 answers (as browsers and Prometheus ask)',
      revalidate: 'revalidating with If-None-Match (as dashboards poll)',
    };
    for (const t of tables)
      table(
        `Read API under load, ${titles[t.mode]}: ${t.connections} connections, ${seconds} s each, poller every ${intervalS} s, ${clientCount} socket clients`,
        t.results,
      );
    console.log(`\nserver CPU with no requests (poller, alerting, socket broadcasts): ${idleCpuMsPerS} ms/s`);
    console.log(
      `\nsocket clients: ${sockets.clientsServedEveryCycle}/${clientCount} received every one of the ${sockets.cyclesSeen} cycles' links events seen (${sockets.cyclesWritten} cycles written while listening; ${sockets.eventsMissing} events missing in all)`,
    );
    const la = (l: number[]) => l.map((x) => x.toFixed(1)).join(' ');
    console.log(
      `machine: ${machine.cores} cores, ${machine.cpu}, load average ${la(loadAtStart)} at the start, ${la(loadAtEnd)} at the end`,
    );
    const out = path.resolve(import.meta.dirname, '..', 'results', 'load.json');
    fs.writeFileSync(
      out,
      `${JSON.stringify({ settings: { seconds, connections: connectionLevels, clientCount, intervalS, processes: 'bench | extranet serve | extranet lab' }, idleCpuMsPerS, tables, sockets, machine }, null, 2)}\n`,
    );
  } finally {
    for (const p of procs.reverse()) await p.stop();
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  process.exit(0);
}
