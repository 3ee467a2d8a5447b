import { calendarDay, coverageSnapshot, hasReadings, oldestKeptDay, snapshotDue } from '@extranet/topology';
import type { Logger } from 'pino';
import { log as rootLog } from '../log';
import { coverageView, loadCoverage } from '../monitor/coverage-service';
import type { Store } from '../neo4j/store';
import type { Poller } from '../poller/poller';
import { ensureCoverageHistorySchema, latestSnapshotDay, pruneSnapshots, writeSnapshot } from './store';

/**
 * The daily coverage snapshot (rules in topology/src/monitor/coverage-snapshot.ts):
 * at start and after every poll cycle, when today has no snapshot yet and the
 * coverage has readings, the coverage judged at the clock's now is stored for
 * today, and snapshots older than the retention are pruned. Idempotent per day
 * (a second call, or a second process, changes nothing).
 */
export interface CoverageSnapshotOptions {
  /** ms since the epoch (injected). */
  clock: () => number;
  /** Readings older than this are stale ("no data"), ms. */
  maxAgeMs: number;
  /** Day boundary, minutes east of UTC. Default 480. */
  utcOffsetMinutes?: number;
  /** Snapshots kept, days (default 400). */
  retentionDays: number;
}

export interface SnapshotResult {
  /** The day written, or null when none was due. */
  taken: string | null;
  /** Days pruned. */
  pruned: number;
}

export async function takeSnapshotIfDue(store: Store, opts: CoverageSnapshotOptions): Promise<SnapshotResult> {
  await ensureCoverageHistorySchema(store);
  const now = opts.clock();
  const offset = opts.utcOffsetMinutes ?? 480;
  const latestDay = await store.read((tx) => latestSnapshotDay(tx));
  if (latestDay !== null && latestDay >= calendarDay(now, offset)) return { taken: null, pruned: 0 };
  const view = coverageView(await loadCoverage(store, { now, maxAgeMs: opts.maxAgeMs }), now);
  const day = snapshotDue({ now, utcOffsetMinutes: offset, latestDay, readings: hasReadings(view) });
  if (day === null) return { taken: null, pruned: 0 };
  const written = await store.write((tx) => writeSnapshot(tx, coverageSnapshot(view, day, view.at ?? new Date(now).toISOString())));
  const pruned = await store.write((tx) => pruneSnapshots(tx, oldestKeptDay(now, opts.retentionDays, offset)));
  return { taken: written ? day : null, pruned };
}

export interface CoverageSnapshots {
  /** Takes today's snapshot when due (serialised: one run at a time). */
  takeIfDue(): Promise<SnapshotResult>;
  stop(): void;
}

/**
 * Wires the snapshot to a poller: once now (the first start of a day whose
 * readings are still fresh) and after every cycle. A failure is a log line;
 * the next cycle tries again.
 */
export function startCoverageSnapshots(
  store: Store,
  poller: Pick<Poller, 'clock' | 'maxAgeMs' | 'onCycle'>,
  opts: { retentionDays: number; utcOffsetMinutes?: number; log?: Logger },
): CoverageSnapshots {
  const log = opts.log ?? rootLog;
  const settings: CoverageSnapshotOptions = {
    clock: poller.clock,
    maxAgeMs: poller.maxAgeMs,
    retentionDays: opts.retentionDays,
    ...(opts.utcOffsetMinutes !== undefined && { utcOffsetMinutes: opts.utcOffsetMinutes }),
  };
  let doneDay: string | null = null;
  let running: Promise<SnapshotResult> = Promise.resolve({ taken: null, pruned: 0 });
  const takeIfDue = () => {
    running = running.then(async () => {
      if (doneDay === calendarDay(poller.clock(), settings.utcOffsetMinutes ?? 480)) return { taken: null, pruned: 0 };
      const r = await takeSnapshotIfDue(store, settings);
      if (r.taken !== null) {
        doneDay = r.taken;
        log.info({ day: r.taken, pruned: r.pruned }, 'coverage snapshot taken');
      }
      return r;
    });
    const result = running;
    running = running.catch((e: Error) => {
      log.error({ err: e.message }, 'coverage snapshot failed');
      return { taken: null, pruned: 0 };
    });
    return result;
  };
  // Until the day's snapshot is taken, each look judges the whole plan: the cycles that end while one
  // waits to start share it (at national size a cycle ends every second, and a look takes longer).
  let waiting = false;
  const off = poller.onCycle((cycle) => {
    if (cycle.storeError !== undefined || waiting) return;
    waiting = true;
    void running.then(() => {
      waiting = false;
      return takeIfDue().catch(() => undefined);
    });
  });
  takeIfDue().catch(() => undefined);
  return { takeIfDue, stop: off };
}
