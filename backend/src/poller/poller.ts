import type { DeviceSchedule } from '../monitor/types';
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
 * `start()` calls it; tests call it with a stepped clock); `pollOnce()` polls
 * every device now. Cycles never overlap. The plan is re-read every interval,
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
  const queue = serialQueue();

  const tick = () =>
    queue.run(async () => {
      await refreshPlan(s, st);
      const due = dueAt(st.runtimes.values(), s.clock());
      return due.length === 0 ? undefined : runCycle(s, st, due);
    });
  const loop = schedulingLoop(s, st, tick);

  return {
    clock: s.clock,
    intervalMs: s.intervalMs,
    maxAgeMs: s.maxAgeMs,
    shard: s.shard,
    pollOnce: (opts = {}) =>
      queue.run(async () => {
        await refreshPlan(s, st, st.planLoadedAt === -Infinity);
        const only = opts.hostnames ? new Set(opts.hostnames) : undefined;
        return runCycle(
          s,
          st,
          [...st.runtimes.values()].filter((rt) => !only || only.has(rt.device.hostname)),
        );
      }),
    tick,
    start: () => loop.start(),
    async stop() {
      loop.stop();
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
  const turn = async () => {
    if (!running) return;
    const tickStartedAt = s.clock();
    try {
      await tick();
    } catch (e) {
      s.log.error({ err: (e as Error).message }, 'poll tick failed');
    }
    if (!running) return;
    const soonestAt = Math.min(st.planLoadedAt + s.intervalMs, ...[...st.runtimes.values()].map((rt) => rt.nextDueAt));
    const delay = wakeDelayMs({ now: s.clock(), soonestAt, tickStartedAt, batchWindowMs: s.batchWindowMs, intervalMs: s.intervalMs });
    timer = setTimeout(() => void turn(), delay);
    timer.unref();
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
