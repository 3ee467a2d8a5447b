/**
 * Monitoring pipeline benchmark: `npm run bench -- pipeline [--size=national|province|huizhou-like] [--cycles=3]
 * [--batches=60] [--seed=S] [--fill=N]`.
 *
 * Imports the generated plan (`extranet plan generate`) into a fresh embedded Neo4j, then feeds
 * `cycles` poll intervals of synthetic IF-MIB readings for every pollable device — no SNMP — through
 * the code the poller runs after SNMP: `readingResult` (poll-device.ts: rates from the counters,
 * against the counters kept from the last poll) → `runCycle` (cycle.ts: ONE write transaction per
 * batch — device and interface states, every link judged again per tier, the history appended,
 * the cycle numbered) → its listeners, as `serve` attaches them: the read models (coverage marked
 * out of date), the live pushes (a socket.io client subscribed to `all` counts what it receives),
 * the alert evaluation. Within an interval the poller spreads the devices over their phases and
 * stores a batch per batching window, so an interval is `batches` cycles (default 60: a 60 s
 * interval, a 1 s window). After each interval, coverage is recomputed once (the read model).
 *
 * Readings are deterministic from the seed: counters advance by a per-interface rate, sysUpTime
 * advances with the clock (60 s per interval), ~5 % of township uplinks run below their target
 * speed, ~0.5 % of interfaces are down and ~0.2 % of devices do not answer (a timeout record).
 *
 * Reports per interval: wall time and CPU per phase, Node RSS, samples written, live events and
 * bytes received; history storage: the database directory before and after, and the bytes per day
 * at a 60 s interval extrapolated from the growth per interval. Writes bench/results/pipeline.json.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { io as connect } from 'socket.io-client';
import { PLAN_SIZES, generatePlan, seededRandom, type LinksEvent, type PlanSizeName, type SubscribeAck } from '@extranet/topology';
import { loadConfig } from '../../backend/src/config';
import { pageCacheSize } from '../../backend/src/neo4j/page-cache';
import { openAndImport } from '../../backend/src/plan/first-import';
import { attachLive } from '../../backend/src/live/live';
import { createReadModels } from '../../backend/src/readmodel/models';
import { startAlerting } from '../../backend/src/alerts/start';
import { ensureMonitorSchema } from '../../backend/src/monitor/migrations';
import type { CycleResult, DevicePollRecord } from '../../backend/src/monitor/types';
import { cycleStepMs } from '../../backend/src/monitor/cycle-store';
import { linkEndReads } from '../../backend/src/monitor/coverage-service';
import { runCycle } from '../../backend/src/poller/cycle';
import { newDeviceRuntime, readingResult } from '../../backend/src/poller/poll-device';
import { resolvePollerSettings } from '../../backend/src/poller/poller-settings';
import { newSchedulerState } from '../../backend/src/poller/scheduler-state';
import { pollableDevices } from '../../backend/src/poller/state-store';
import type { Poller } from '../../backend/src/poller/poller';
import { testAuth } from '../../tests/helpers/auth';
import { fillBuckets } from './fill';
import { readingAt, synthDevice, unit } from './synthetic';

const INTERVAL_MS = 60_000;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Size of a directory tree in bytes; `only` keeps the files whose path it accepts. */
function duBytes(dir: string, only: (file: string) => boolean = () => true): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) n += duBytes(p, only);
    else if (e.isFile() && only(p)) n += fs.statSync(p).size;
  }
  return n;
}

/** Neo4j's transaction logs (rotated and pruned by Neo4j: 2 days by default), apart from the store files. */
const isTxLog = (file: string) => file.includes(`${path.sep}transactions${path.sep}`);

/** Wall, CPU and RSS of one step, summed over the batches of an interval. */
class Meter {
  readonly ms: Record<string, number> = {};
  readonly cpuMs: Record<string, number> = {};
  async time<T>(name: string, work: () => Promise<T> | T): Promise<T> {
    const t = performance.now();
    const c = process.cpuUsage();
    try {
      return await work();
    } finally {
      const cpu = process.cpuUsage(c);
      this.ms[name] = (this.ms[name] ?? 0) + performance.now() - t;
      this.cpuMs[name] = (this.cpuMs[name] ?? 0) + (cpu.user + cpu.system) / 1000;
    }
  }
  round(): { ms: Record<string, number>; cpuMs: Record<string, number> } {
    const r = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Math.round(v)]));
    return { ms: r(this.ms), cpuMs: r(this.cpuMs) };
  }
}

export default async function main(args: string[]): Promise<void> {
  const opt = Object.fromEntries(args.map((a) => a.replace(/^--/, '').split('=') as [string, string]));
  const size = (opt.size ?? 'national') as PlanSizeName;
  if (!(size in PLAN_SIZES)) throw new Error(`unknown size ${size}: one of ${Object.keys(PLAN_SIZES).join(', ')}`);
  const cycles = Number(opt.cycles ?? 3);
  const batches = Number(opt.batches ?? 60);
  const seed = Number(opt.seed ?? 1);
  const say = (l: string) => process.stderr.write(`[pipeline ${size}] ${l}\n`);
  // --db=DIR keeps the database between runs (an unchanged plan is not imported again); default: a fresh one, removed after.
  const keep = opt.db !== undefined;
  const work = keep ? path.resolve(opt.db!) : fs.mkdtempSync(path.join(os.tmpdir(), `pipeline-${size}-`));
  fs.mkdirSync(work, { recursive: true });
  // --listeners=none: the write transactions alone, without what `serve` attaches (to tell their cost from the listeners').
  const listeners = (opt.listeners ?? 'all') !== 'none';
  const loadBefore = os.loadavg();

  const { plan } = generatePlan(PLAN_SIZES[size], seededRandom(seed));
  process.env.NEO4J_DATA_DIR = path.join(work, 'neo4j');
  // As `extranet plan import` does: a new store of a national plan through Neo4j's bulk importer, then the server.
  const t = performance.now();
  const { store } = await openAndImport(loadConfig(), plan, { progress: say, storeProgress: say }).catch((e: unknown) => {
    if (!keep) fs.rmSync(work, { recursive: true, force: true });
    throw e;
  });
  const stops: Array<() => unknown> = [];
  try {
    await ensureMonitorSchema(store);
    say(`imported ${plan.devices.length} devices, ${plan.links.length} links in ${Math.round(performance.now() - t)} ms`);

    // The virtual clock: intervals of 60 s ending now, so reading ages are what a running poller's are.
    // --fill=N: the timed intervals are the last minutes of an hour whose buckets already hold N samples
    // per link (the end of the hour, when every append rewrites the longest arrays); default 0: a new hour.
    const fill = Number(opt.fill ?? 0);
    const t0 =
      fill > 0
        ? Math.floor(Date.now() / HOUR_MS) * HOUR_MS - (cycles + 1) * INTERVAL_MS
        : Math.floor(Date.now() / INTERVAL_MS) * INTERVAL_MS - (cycles + 1) * INTERVAL_MS;
    if (fill > 0)
      await fillBuckets(
        store,
        plan.links.map((l) => l.id),
        t0,
        fill,
        say,
      );
    let now = t0;
    const clock = () => now;
    const s = resolvePollerSettings({
      store,
      targets: new Map(),
      profiles: new Map(),
      clock,
      intervalMs: INTERVAL_MS,
      history: { maintenance: false },
    });
    const st = newSchedulerState(s.bufferWindowMs);
    const poller = {
      clock,
      intervalMs: INTERVAL_MS,
      maxAgeMs: s.maxAgeMs,
      onCycle(listener: (c: CycleResult) => void) {
        st.listeners.add(listener);
        return () => st.listeners.delete(listener);
      },
    } as unknown as Poller;

    // The listeners `serve` attaches: read models, live pushes (one subscriber), alerts.
    const models = createReadModels(store, {
      clock,
      maxAgeMs: s.maxAgeMs,
      onCycle: (l) => void poller.onCycle(l),
      minCoverageAgeMs: 5_000,
    });
    const auth = await testAuth(store);
    const server = http.createServer();
    const live = attachLive(server, { store, trust: auth.trust, poller });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    stops.push(
      () => live.close(),
      () => new Promise((r) => server.close(r)),
    );
    const received = { events: 0, links: 0, bytes: 0, coverage: 0 };
    const client = connect(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, {
      transports: ['websocket'],
      auth: { token: auth.tokens.viewer },
    });
    stops.push(() => client.close());
    client.on('links', (e: LinksEvent) => {
      received.events++;
      received.links += e.links.length;
      received.bytes += JSON.stringify(e).length;
    });
    client.on('coverage', () => received.coverage++);
    await new Promise<void>((resolve, reject) => {
      client.on('connect_error', reject);
      client.emit('subscribe', 'all', (ack: SubscribeAck) => (ack.ok ? resolve() : reject(new Error(ack.error.message))));
    });
    const alertDir = path.join(work, 'alerts');
    fs.mkdirSync(alertDir, { recursive: true });
    const alerting = await startAlerting(store, alertDir, poller);
    stops.push(() => alerting.stop());
    if (!listeners) {
      st.listeners.clear();
      await live.close(); // else its look for other processes' cycles would read these back from the store
    }

    // The devices the poller would poll, each with its synthetic agent, split into the interval's batches.
    const targetOf = new Map<string, { target: number; below: boolean }>();
    for (const l of plan.links) {
      const below = l.tier === 'county-township' && unit(`${l.id}/below`, seed) < 0.05;
      for (const e of [l.a, l.b]) targetOf.set(`${e.device}|${e.interface}`, { target: l.targetMbps, below: below && e === l.b });
    }
    const devices = pollableDevices(plan);
    const agents = devices.map((d) => ({
      rt: newDeviceRuntime(d, INTERVAL_MS),
      synth: synthDevice(d, targetOf, seed),
      bootAt: t0 - Math.floor(unit(`${d.hostname}/boot`, seed) * 30 * DAY_MS) - DAY_MS,
      silent: unit(`${d.hostname}/silent`, seed) < 0.002,
      drift: d.interfaces.map(() => 0),
    }));
    const per = Math.ceil(agents.length / batches);
    say(`${agents.length} pollable devices, ${batches} batches of ≤ ${per} per interval`);

    const dbDir = path.join(work, 'neo4j');
    let sizeBefore = duBytes(dbDir);
    let txLogBefore = duBytes(dbDir, isTxLog);
    const intervals: unknown[] = [];
    for (let c = 0; c <= cycles; c++) {
      const meter = new Meter();
      const startWall = performance.now();
      const startCpu = process.cpuUsage();
      const got = { ...received };
      const stepsBefore = { ...cycleStepMs };
      const evaluationsBefore = { ...alerting.service.evaluations };
      const endReadsBefore = { ...linkEndReads };
      let links = 0;
      let samples = 0;
      let storeErrors = 0;
      let slowest = 0;
      for (let b = 0; b < batches; b++) {
        const batch = agents.slice(b * per, (b + 1) * per);
        if (batch.length === 0) continue;
        now = t0 + c * INTERVAL_MS + Math.floor((b * INTERVAL_MS) / batches);
        const readings = await meter.time('synthesize', () =>
          batch.map((a) => {
            a.rt.device.interfaces.forEach((i, k) => (a.drift[k]! += 6 * (2 * unit(`${a.rt.device.hostname}|${i.name}/${c}`, seed) - 1)));
            return a.silent ? undefined : readingAt(a.rt.device, a.synth, now, a.bootAt, a.drift);
          }),
        );
        const records = await meter.time('rates', () =>
          batch.map((a, k): DevicePollRecord => {
            const reading = readings[k];
            if (reading === undefined) {
              a.rt.failures++;
              return {
                hostname: a.rt.device.hostname,
                at: now,
                startedAt: now - 2_000,
                status: 'timeout',
                durationMs: 2_000,
                requests: 2,
                varbinds: 0,
                failures: a.rt.failures,
                interfaces: [],
                error: { message: `${a.rt.device.hostname}: no answer within 2000 ms` },
              };
            }
            const r = readingResult(a.rt, reading, { maxGapMs: 3 * INTERVAL_MS });
            a.rt.failures = 0;
            return {
              hostname: a.rt.device.hostname,
              at: now,
              startedAt: now - 5,
              status: r.status,
              durationMs: 5,
              requests: 1,
              varbinds: 1 + a.rt.device.interfaces.length * 9,
              failures: 0,
              interfaces: r.interfaces,
              ...(r.error && { error: r.error }),
            };
          }),
        );
        // The write transaction, then the listeners the cycle notifies (live, read models, alerts: queued).
        const batchSteps = { ...cycleStepMs };
        const cycle = await meter.time('cycle', () => runCycle(s, st, records, { startedAt: now, pollMs: 0 }));
        if ('verbose' in opt)
          say(
            `interval ${c} batch ${b}: write ${Math.round(cycle.storeMs)} ms ${JSON.stringify(
              Object.fromEntries(Object.entries(cycleStepMs).map(([k, v]) => [k, Math.round(v - (batchSteps[k] ?? 0))])),
            )}${cycle.storeError ? ` ERROR ${cycle.storeError}` : ''}`,
          );
        meter.ms.write = (meter.ms.write ?? 0) + cycle.storeMs;
        slowest = Math.max(slowest, cycle.storeMs);
        if (cycle.storeError) storeErrors++;
        links += cycle.links.length;
        samples += cycle.samplesWritten;
      }
      // Alert evaluations ran beside the cycles (cycles that end while one waits share it): the wait for the last one.
      await meter.time('alertsTail', () => alerting.service.idle());
      if (listeners) await meter.time('live', () => waitFor(() => received.links - got.links >= links, 60_000));
      now = t0 + (c + 1) * INTERVAL_MS - 1;
      await meter.time('coverage', async () => {
        models.coverage.invalidate();
        await models.coverage.get();
      });
      const cpu = process.cpuUsage(startCpu);
      const row = {
        interval: c,
        note: c === 0 ? 'first readings: no rates yet (no history written)' : undefined,
        wallMs: Math.round(performance.now() - startWall),
        totalCpuMs: Math.round((cpu.user + cpu.system) / 1000),
        ...meter.round(),
        writeSteps: Object.fromEntries(Object.entries(cycleStepMs).map(([k, v]) => [k, Math.round(v - (stepsBefore[k] ?? 0))])),
        slowestWriteMs: Math.round(slowest),
        alertEvaluations: Object.fromEntries(
          Object.entries(alerting.service.evaluations).map(([k, v]) => [k, Math.round(v - evaluationsBefore[k as 'ms'])]),
        ),
        // Link-end reads of coverage and the alert evaluations: whole, or of the links judged since the last read.
        linkEndReads: Object.fromEntries(Object.entries(linkEndReads).map(([k, v]) => [k, v - endReadsBefore[k as 'ends']])),
        load: os.loadavg().map((x) => Math.round(x * 10) / 10),
        devices: agents.length,
        links,
        samples,
        storeErrors,
        live: {
          events: received.events - got.events,
          links: received.links - got.links,
          kBytes: Math.round((received.bytes - got.bytes) / 1024),
          coverage: received.coverage - got.coverage,
        },
        rssMb: Math.round(process.memoryUsage().rss / 1e6),
      };
      intervals.push(row);
      say(JSON.stringify(row));
      if (c === 0) {
        // The history starts with interval 1's rates.
        sizeBefore = duBytes(dbDir);
        txLogBefore = duBytes(dbDir, isTxLog);
      }
    }
    const sizeAfter = duBytes(dbDir);
    const txLogAfter = duBytes(dbDir, isTxLog);
    const buckets = await store.read(async (tx) => {
      const r = await tx.run('MATCH (b:UtilBucket) RETURN count(b) AS n, sum(size(b.at)) AS samples');
      return { nodes: r.records[0]!.get('n') as number, samples: r.records[0]!.get('samples') as number };
    });
    // Intervals 1… wrote history (0 had no rates yet): growth per interval × 1 440 intervals a day.
    const perInterval = (sizeAfter - sizeBefore) / Math.max(1, cycles);
    const txLogPerInterval = (txLogAfter - txLogBefore) / Math.max(1, cycles);
    const storePerInterval = perInterval - txLogPerInterval;
    const results = {
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, loadBefore, loadAfter: os.loadavg() },
      size,
      seed,
      devices: plan.devices.length,
      pollableDevices: agents.length,
      links: plan.links.length,
      batchesPerInterval: batches,
      // The buckets' samples before the timed intervals (--fill), and the embedded Neo4j's page cache (NEO4J_PAGECACHE).
      fill,
      neo4jPageCache: pageCacheSize(loadConfig().NEO4J_PAGECACHE),
      intervals,
      history: {
        storeBytesBefore: sizeBefore,
        storeBytesAfter: sizeAfter,
        bucketNodes: buckets.nodes,
        samples: buckets.samples,
        growthPerIntervalMb: Math.round(perInterval / 1e5) / 10,
        perDayAt60sGb: Math.round((perInterval * 1440) / 1e8) / 10,
        txLogPerIntervalMb: Math.round(txLogPerInterval / 1e5) / 10,
        storeFilesPerDayAt60sGb: Math.round((storePerInterval * 1440) / 1e8) / 10,
        samplesPerDayAt60s: Math.round((buckets.samples / Math.max(1, cycles)) * 1440),
        note: 'store directory growth (transaction logs included) over the intervals that wrote history; a day is 1 440 intervals, its samples packed 60 to a link-hour node',
      },
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    const out = path.join(import.meta.dirname, '..', 'results', 'pipeline.json');
    const previous = fs.existsSync(out) ? (JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, unknown>) : {};
    const key = fill > 0 ? `${size}-fill${fill}` : size;
    fs.writeFileSync(out, `${JSON.stringify({ ...previous, [key]: results }, null, 2)}\n`);
    console.log(JSON.stringify(results, null, 2));
  } finally {
    for (const stop of stops.reverse()) await Promise.resolve(stop()).catch(() => undefined);
    await store.close();
    if (!keep) fs.rmSync(work, { recursive: true, force: true });
  }
}

async function waitFor(done: () => boolean, ms: number): Promise<void> {
  const until = performance.now() + ms;
  while (!done() && performance.now() < until) await new Promise((r) => setTimeout(r, 20));
}
