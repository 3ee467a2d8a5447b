import { performance } from 'node:perf_hooks';
import type { DeviceSchedule } from '../monitor/types';
import { launchPoll, settledWithin, takeFinished } from './launch';
import { maintainHistory, runCycle } from './cycle';
import type { DeviceRuntime } from './poll-device';
import type { Poller, PollerOptions } from './poller-types';
import { refreshPlan } from './plan-refresh';
import { resolvePollerSettings, type PollerSettings } from './poller-settings';
import { newSchedulerState, type SchedulerState } from './scheduler-state';
import { dueAt, wakeDelayMs } from './schedule';
import { serialQueue } from './serial';

export type { DeviceSchedule, Poller, PollerOptions } from './poller-types';

/**
 * The scheduler: polls every pollable device of the stored plan (this shard's
 * share) on its own phase of the interval, a bounded number at once, and turns
 * each batch of polls into ONE cycle — one Neo4j write transaction, one
 * `onCycle` notification. `tick()` polls the devices that are due (the loop of
 * `start()` does the same; tests call it with a stepped clock); `pollOnce()` polls
 * every device now. Cycles never overlap, but polls do not wait for cycles:
 * a poll that outlives its batching window (a dead router) or a slow write
 * shifts no one's schedule. The plan is re-read every interval,
 * so an import adds and removes devices without a restart.
 *
 * The steps: settings (poller-settings.ts) → plan refresh (plan-refresh.ts) →
 * the devices due (schedule.ts) → the cycle: poll a batch, write it, notify,
 * maintain (cycle.ts) → the loop's sleep (schedule.ts `wakeDelayMs`). Every
 * time comes from the one injected clock (`options.clock`, default Date.now).
 */
export function createPoller(options: PollerOptions): Poller {
  const s = resolvePollerSettings(options);
  const st = newSchedulerState(s.bufferWindowMs);
  if (options.onCycle) st.listeners.add(options.onCycle);
  /** Cycles (store, notify) one at a time. */
  const queue = serialQueue();
  /** Plan re-reads and poll launches one at a time — never behind a cycle's write. */
  const launches = serialQueue();

  /** Plan re-reads run one at a time; the loop does not wait for one once devices are known. */
  const refreshes = serialQueue();
  let refreshing = false;
  const refreshInBackground = () => {
    if (refreshing || s.clock() - st.planLoadedAt < s.intervalMs) return;
    refreshing = true;
    void refreshes
      .run(() => refreshPlan(s, st))
      .catch((e: Error) => s.log.error({ err: e.message }, 'plan re-read failed'))
      .finally(() => (refreshing = false));
  };
  /**
   * Starts the polls due now; resolves with them (launch.ts). `awaitPlan`: re-read the plan first
   * when due (ticks under a test clock); otherwise a re-read (a Neo4j query) runs beside the polls.
   */
  const launchDue = (awaitPlan: boolean) =>
    launches.run(async () => {
      if (awaitPlan || st.planLoadedAt === -Infinity) await refreshes.run(() => refreshPlan(s, st));
      else refreshInBackground();
      const now = s.clock();
      return dueAt(
        [...st.runtimes.values()].filter((rt) => !st.inFlight.has(rt.device.hostname)),
        now,
      ).map((rt) => launchPoll(s, st, rt));
    });
  /** One cycle of every record that ended and is not stored yet; undefined when there is none. */
  const storeFinished = (polled: { startedAt: number; pollMs: number }) =>
    queue.run(async () => {
      const records = takeFinished(st);
      return records.length === 0 ? undefined : runCycle(s, st, records, polled);
    });
  // A tick starts the due polls and waits for them at most the batching window: a poll still
  // running then (a dead router) is stored by a later cycle and holds up no one. The loop does not
  // even wait for the cycle's write: a slow Neo4j delays the store, never the next polls.
  const pollDue = async (awaitPlan: boolean) => {
    const startedAt = s.clock();
    const pollStart = performance.now();
    const polls = await launchDue(awaitPlan);
    await settledWithin(polls, s.batchWindowMs);
    return { startedAt, pollMs: performance.now() - pollStart };
  };
  const tick = async () => storeFinished(await pollDue(true));
  const loop = schedulingLoop(s, st, async () => {
    const polled = await pollDue(false);
    void storeFinished(polled).catch((e: Error) => s.log.error({ err: e.message }, 'poll cycle failed'));
  });

  return {
    clock: s.clock,
    intervalMs: s.intervalMs,
    maxAgeMs: s.maxAgeMs,
    shard: s.shard,
    async pollOnce(opts = {}) {
      const chosen = await launches.run(async () => {
        await refreshes.run(() => refreshPlan(s, st, st.planLoadedAt === -Infinity));
        const only = opts.hostnames ? new Set(opts.hostnames) : undefined;
        return [...st.runtimes.values()].filter((rt) => !only || only.has(rt.device.hostname));
      });
      await Promise.allSettled(chosen.flatMap((rt) => st.inFlight.get(rt.device.hostname) ?? []));
      const startedAt = s.clock();
      const pollStart = performance.now();
      await Promise.allSettled(chosen.map((rt) => launchPoll(s, st, rt)));
      const polled = { startedAt, pollMs: performance.now() - pollStart };
      return queue.run(() => runCycle(s, st, takeFinished(st), polled));
    },
    tick,
    start: () => loop.start(),
    async stop() {
      loop.stop();
      await refreshes.idle();
      await launches.idle();
      await Promise.allSettled([...st.inFlight.values()]);
      await queue.idle();
      for (const rt of st.runtimes.values()) {
        rt.session?.session.close();
        rt.session = undefined;
      }
    },
    onCycle(listener) {
      st.listeners.add(listener);
      return () => st.listeners.delete(listener);
    },
    devices: () => [...st.runtimes.values()].map(scheduleOf),
    lastCycle: () => st.lastCycle,
    maintain: () => queue.run(() => maintainHistory(s)),
    backlog: () => st.backlog.stats(),
  };
}

/**
 * The loop of `start()` on real timers: a tick, then sleep until the next
 * device or plan re-read is due (at least the batching window after the tick
 * started, at most an interval). A failing tick is logged; the loop goes on.
 */
function schedulingLoop(s: PollerSettings, st: SchedulerState, tick: () => Promise<unknown>): { start(): void; stop(): void } {
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  /** When the sleeping loop wakes (performance.now ms); Infinity while a tick runs. */
  let wakeAt = Infinity;
  const sleep = (ms: number) => {
    if (timer) clearTimeout(timer);
    wakeAt = performance.now() + ms;
    timer = setTimeout(() => void turn(), ms);
    timer.unref();
  };
  // A poll that outlived its tick: store its record within a batching window, not at the next due device.
  st.onFinished = () => {
    if (running && wakeAt !== Infinity && wakeAt > performance.now() + s.batchWindowMs) sleep(s.batchWindowMs);
  };
  const turn = async () => {
    if (!running) return;
    wakeAt = Infinity;
    const tickStartedAt = s.clock();
    try {
      await tick();
    } catch (e) {
      s.log.error({ err: (e as Error).message }, 'poll tick failed');
    }
    if (!running) return;
    const soonestAt = Math.min(st.planLoadedAt + s.intervalMs, ...[...st.runtimes.values()].map((rt) => rt.nextDueAt));
    const delay = wakeDelayMs({ now: s.clock(), soonestAt, tickStartedAt, batchWindowMs: s.batchWindowMs, intervalMs: s.intervalMs });
    sleep(st.finished.length > 0 ? Math.min(delay, s.batchWindowMs) : delay);
  };
  return {
    start() {
      if (running) return;
      running = true;
      void turn();
    },
    stop() {
      running = false;
      if (timer) clearTimeout(timer);
    },
  };
}

/** A device's runtime as the API and /metrics see it. */
function scheduleOf(rt: DeviceRuntime): DeviceSchedule {
  return {
    hostname: rt.device.hostname,
    site: rt.device.site,
    intervalMs: rt.intervalMs,
    nextDueAt: rt.nextDueAt,
    failures: rt.failures,
    last: rt.last,
    errorsTotal: rt.errorsTotal,
  };
}
