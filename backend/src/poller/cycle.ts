import { performance } from 'node:perf_hooks';
import { writeCycle, type CycleWriteResult } from '../monitor/cycle-store';
import { rollupAndPrune, rollupDay, type RetentionResult } from '../monitor/retention';
import type { CycleResult, DevicePollRecord } from '../monitor/types';
import type { PollerSettings } from './poller-settings';
import type { SchedulerState } from './scheduler-state';
import type { PendingCycle } from './backlog';

/**
 * One poll cycle: take the records of the polls that ended (launch.ts), write them in ONE
 * Neo4j write transaction, tell the listeners, and — once per calendar day —
 * maintain the history. A failing device is a record, a failing write is the
 * cycle's `storeError`, a failing listener is a log line: the cycle always ends.
 *
 * Times stamped on data (`startedAt`, `endedAt`, poll times, due times) come
 * from the poller's clock; `pollMs` and `storeMs` are measured durations
 * (performance.now), which a stepped test clock could not give.
 */
export async function runCycle(
  s: PollerSettings,
  st: SchedulerState,
  records: DevicePollRecord[],
  polled: { startedAt: number; pollMs: number },
): Promise<CycleResult> {
  const { startedAt, pollMs } = polled;
  const storeStart = performance.now();
  const stored = await storeCycle(s, st, records);
  const result: CycleResult = {
    startedAt,
    endedAt: startedAt,
    devices: records,
    links: 'error' in stored ? [] : stored.links,
    samplesWritten: 'error' in stored ? 0 : stored.samplesWritten,
    ...(!('error' in stored) && stored.seq > 0 && { seq: stored.seq }),
    pollMs,
    storeMs: performance.now() - storeStart,
    ...('error' in stored && { storeError: stored.error }),
  };
  result.endedAt = s.clock();
  st.lastCycle = result;
  notifyListeners(s, st.listeners, result);
  if (s.maintenance && result.storeError === undefined) await maintainOncePerDay(s, st, result.endedAt);
  return result;
}

/**
 * Writes the records in one transaction (links judged at the clock's now). The cycles Neo4j did
 * not take before (it was away) go first, in order, each in its own transaction and judged at its
 * own time, so the history is what it would have been; this one joins them when Neo4j is still
 * away (the backlog drops the oldest beyond its window, counted and logged). A store error is
 * returned, not thrown: polling goes on.
 */
async function storeCycle(
  s: PollerSettings,
  st: SchedulerState,
  records: readonly DevicePollRecord[],
): Promise<CycleWriteResult | { error: string }> {
  const now = s.clock();
  const write = (c: PendingCycle) =>
    s.store.write((tx) =>
      writeCycle(tx, c.records, {
        now: c.now,
        maxAgeMs: s.maxAgeMs,
        intervalMs: s.intervalMs,
        utcOffsetMinutes: s.history.utcOffsetMinutes,
      }),
    );
  let flushed = 0;
  try {
    for (let held = st.backlog.peek(); held; held = st.backlog.peek()) {
      await write(held);
      st.backlog.shift();
      flushed++;
    }
    if (flushed > 0) s.log.info({ cycles: flushed }, 'Neo4j is back: the held poll cycles are written, in order');
    return await write({ records, now });
  } catch (e) {
    hold(s, st, { records, now });
    s.log.error({ err: (e as Error).message, held: st.backlog.size, written: flushed }, 'poll cycle not stored; held until Neo4j is back');
    return { error: (e as Error).message };
  }
}

/** Adds a cycle to the backlog; the ones that fall out of its window are logged (and counted there, for /metrics). */
function hold(s: PollerSettings, st: SchedulerState, cycle: PendingCycle): void {
  const dropped = st.backlog.push(cycle);
  if (dropped.length === 0) return;
  const { droppedCycles, droppedPolls } = st.backlog.stats();
  s.log.error(
    {
      cycles: dropped.length,
      polls: dropped.reduce((n, c) => n + c.records.length, 0),
      from: new Date(dropped[0]!.now).toISOString(),
      droppedCycles,
      droppedPolls,
    },
    'Neo4j away longer than the poll buffer: its oldest cycles are dropped (POLL_BUFFER_MINUTES)',
  );
}

/** Hands the cycle to every listener; one that throws is logged and the others still run. */
function notifyListeners(s: PollerSettings, listeners: Iterable<(cycle: CycleResult) => void>, result: CycleResult): void {
  for (const listener of listeners) {
    try {
      listener(result);
    } catch (e) {
      s.log.error({ err: (e as Error).message }, 'cycle listener failed');
    }
  }
}

/** Runs the history maintenance on the first stored cycle of each calendar day (the day in the history's UTC offset). */
async function maintainOncePerDay(s: PollerSettings, st: SchedulerState, at: number): Promise<void> {
  const day = rollupDay(at, s.history.utcOffsetMinutes);
  if (day === st.maintainedDay) return;
  st.maintainedDay = day;
  await maintainHistory(s).catch((e: Error) => s.log.error({ err: e.message }, 'history maintenance failed'));
}

/** The daily rollup and pruning of the utilization history, now by the poller's clock. */
export function maintainHistory(s: PollerSettings): Promise<RetentionResult> {
  return rollupAndPrune(s.store, { ...s.history, now: s.clock() });
}
