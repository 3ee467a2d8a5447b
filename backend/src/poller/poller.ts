import { performance } from 'node:perf_hooks';
import type { Device } from '@extranet/topology';
import { log as rootLog } from '../log';
import { writeCycle } from '../monitor/cycle-store';
import { ensureMonitorSchema } from '../monitor/migrations';
import { rollupAndPrune, rollupDay, type RetentionResult } from '../monitor/retention';
import type { CycleResult, DevicePollRecord } from '../monitor/types';
import { newDeviceRuntime, pollDevice, type DeviceRuntime } from './poll-device';
import { DEFAULT_INTERVAL_MS, DEFAULT_MAX_BACKOFF_MS, nextDue, nextGridPoint, phaseOffsets } from './schedule';
import type { Poller, PollerOptions } from './poller-types';
import { ALL_DEVICES, inShard } from './shard';
import { loadKeptState, loadStoredPlan, pollableDevices } from './state-store';
import { mapTargets, type TargetResolver } from './targets';

export type { DeviceSchedule, Poller, PollerOptions } from './poller-types';

/**
 * The scheduler: polls every pollable device of the stored plan (this shard's
 * share) on its own phase of the interval, a bounded number at once, and turns
 * each batch of polls into ONE cycle — one Neo4j write transaction, one
 * `onCycle` notification. `tick()` polls the devices that are due (the loop of
 * `start()` calls it; tests call it with a stepped clock); `pollOnce()` polls
 * every device now. Cycles never overlap. The plan is re-read every interval,
 * so an import adds and removes devices without a restart.
 */
export function createPoller(options: PollerOptions): Poller {
  const clock = options.clock ?? Date.now;
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const intervalFor = options.intervalFor ?? (() => intervalMs);
  const maxAgeMs = options.maxAgeMs ?? 3 * intervalMs;
  const shard = options.shard ?? ALL_DEVICES;
  const concurrency = options.concurrency ?? 16;
  const batchWindowMs = options.batchWindowMs ?? 1000;
  const log = (options.log ?? rootLog).child({ component: 'poller', shard: `${shard.index}/${shard.count}` });
  const resolve: TargetResolver = options.targets instanceof Map ? mapTargets(options.targets) : (options.targets as TargetResolver);
  const history = { retentionDays: 35, rollupRetentionDays: 400, utcOffsetMinutes: 480, ...options.history };
  const maintenance = options.history?.maintenance ?? shard.index === 0;
  const session = {
    timeoutMs: options.timeoutMs ?? 2000,
    retries: options.retries ?? 1,
    ...(options.maxRepetitions !== undefined && { maxRepetitions: options.maxRepetitions }),
  };

  const runtimes = new Map<string, DeviceRuntime>();
  const listeners = new Set<(c: CycleResult) => void>();
  if (options.onCycle) listeners.add(options.onCycle);
  let anchor: number | undefined;
  let planLoadedAt = -Infinity;
  let schemaReady = false;
  let maintainedDay: string | undefined;
  let last: CycleResult | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let lastScheduledCycle = -Infinity;

  /** Runs `work` after every earlier cycle: cycles never overlap. */
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const p = chain.then(work);
    chain = p.catch(() => undefined);
    return p;
  };

  async function refreshPlan(force = false): Promise<void> {
    const now = clock();
    if (!schemaReady) {
      try {
        await ensureMonitorSchema(options.store);
        schemaReady = true;
      } catch (e) {
        if (runtimes.size === 0) throw e;
      }
    }
    if (!force && now - planLoadedAt < intervalMs) return;
    let plan;
    try {
      plan = await loadStoredPlan(options.store);
    } catch (e) {
      // Neo4j away: keep polling the devices we know (counters stay fresh); the cycle records the store error.
      if (runtimes.size === 0) throw e;
      planLoadedAt = now; // try again in an interval, not at every tick
      log.warn({ err: (e as Error).message }, 'plan not re-read; polling the known devices');
      return;
    }
    planLoadedAt = now;
    const wanted = pollableDevices(plan).filter((d) => inShard(d.hostname, shard));
    const names = new Set(wanted.map((d) => d.hostname));
    let changed = false;
    for (const [h, rt] of runtimes) {
      if (names.has(h)) continue;
      rt.session?.session.close();
      runtimes.delete(h);
      changed = true;
    }
    const added: Device[] = [];
    for (const d of wanted) {
      const rt = runtimes.get(d.hostname);
      if (rt) rt.device = d;
      else added.push(d);
    }
    if (added.length > 0) {
      changed = true;
      const kept = await loadKeptState(options.store, added.map((d) => d.hostname));
      for (const d of added) {
        const k = kept.get(d.hostname);
        runtimes.set(d.hostname, newDeviceRuntime(d, intervalFor(d.hostname), k ?? {}));
      }
    }
    if (changed) reschedule(now);
  }

  /** Re-spreads the phases over the current device set (after it changed). */
  function reschedule(now: number): void {
    anchor ??= now;
    const hosts = [...runtimes.keys()].sort();
    const phases = phaseOffsets(hosts, (h) => runtimes.get(h)!.intervalMs);
    for (const h of hosts) {
      const rt = runtimes.get(h)!;
      rt.grid = anchor + phases.get(h)!;
      const first = nextGridPoint(rt.grid, rt.intervalMs, now - 1);
      rt.nextDueAt = rt.nextDueAt > now ? Math.max(first, nextGridPoint(rt.grid, rt.intervalMs, rt.nextDueAt - 1)) : first;
    }
  }

  async function cycle(due: DeviceRuntime[]): Promise<CycleResult> {
    const startedAt = clock();
    const t0 = performance.now();
    const records: DevicePollRecord[] = new Array(due.length);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < due.length; i = next++) {
        const rt = due[i]!;
        records[i] = await pollDevice(rt, {
          clock,
          target: resolve(rt.device),
          profile: options.profiles.get(rt.device.snmpProfile ?? ''),
          session,
          maxGapMs: 3 * rt.intervalMs,
          log,
        });
        rt.nextDueAt = nextDue(rt.grid, rt.intervalMs, clock(), rt.failures, options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, due.length) }, worker));
    const t1 = performance.now();
    const result: CycleResult = { startedAt, endedAt: startedAt, devices: records, links: [], samplesWritten: 0, pollMs: t1 - t0, storeMs: 0 };
    try {
      const now = clock();
      const w = await options.store.write((tx) => writeCycle(tx, records, { now, maxAgeMs, utcOffsetMinutes: history.utcOffsetMinutes }));
      result.links = w.links;
      result.samplesWritten = w.samplesWritten;
    } catch (e) {
      result.storeError = (e as Error).message;
      log.error({ err: (e as Error).message }, 'poll cycle not stored');
    }
    result.storeMs = performance.now() - t1;
    result.endedAt = clock();
    last = result;
    for (const l of listeners) {
      try {
        l(result);
      } catch (e) {
        log.error({ err: (e as Error).message }, 'cycle listener failed');
      }
    }
    if (maintenance && !result.storeError) {
      const day = rollupDay(result.endedAt, history.utcOffsetMinutes);
      if (day !== maintainedDay) {
        maintainedDay = day;
        await maintain().catch((e: Error) => log.error({ err: e.message }, 'history maintenance failed'));
      }
    }
    return result;
  }

  function maintain(): Promise<RetentionResult> {
    return rollupAndPrune(options.store, { ...history, now: clock() });
  }

  const poller: Poller = {
    clock,
    intervalMs,
    maxAgeMs,
    shard,
    pollOnce: (opts = {}) =>
      serial(async () => {
        await refreshPlan(planLoadedAt === -Infinity);
        const only = opts.hostnames ? new Set(opts.hostnames) : undefined;
        return cycle([...runtimes.values()].filter((rt) => !only || only.has(rt.device.hostname)));
      }),
    tick: () =>
      serial(async () => {
        await refreshPlan();
        const now = clock();
        const due = [...runtimes.values()].filter((rt) => rt.nextDueAt <= now);
        return due.length === 0 ? undefined : cycle(due);
      }),
    start() {
      if (running) return;
      running = true;
      const loop = async () => {
        if (!running) return;
        try {
          lastScheduledCycle = Date.now();
          await poller.tick();
        } catch (e) {
          log.error({ err: (e as Error).message }, 'poll tick failed');
        }
        if (!running) return;
        const now = clock();
        const soonest = Math.min(planLoadedAt + intervalMs, ...[...runtimes.values()].map((r) => r.nextDueAt));
        const wait = Math.max(soonest - now, lastScheduledCycle + batchWindowMs - Date.now(), 10);
        timer = setTimeout(() => void loop(), Math.min(wait, intervalMs));
        timer.unref();
      };
      void loop();
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await chain;
      for (const rt of runtimes.values()) rt.session?.session.close();
      for (const rt of runtimes.values()) rt.session = undefined;
    },
    onCycle(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    devices: () =>
      [...runtimes.values()].map((rt) => ({
        hostname: rt.device.hostname,
        site: rt.device.site,
        intervalMs: rt.intervalMs,
        nextDueAt: rt.nextDueAt,
        failures: rt.failures,
        last: rt.last,
        errorsTotal: rt.errorsTotal,
      })),
    lastCycle: () => last,
    maintain: () => serial(maintain),
  };
  return poller;
}
