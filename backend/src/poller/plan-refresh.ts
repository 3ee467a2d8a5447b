import type { Device, Plan } from '@extranet/topology';
import { ensureMonitorSchema } from '../monitor/migrations';
import { newDeviceRuntime } from './poll-device';
import type { PollerSettings } from './poller-settings';
import type { SchedulerState } from './scheduler-state';
import { placeOnGrid } from './schedule';
import { inShard } from './shard';
import { loadKeptState, loadStoredPlan, pollableDevices } from './state-store';

/**
 * The scheduler's device set follows the stored plan: it is re-read once per
 * interval, so an import adds and removes devices without a restart. While
 * Neo4j is away the known devices go on being polled (their counters stay
 * fresh); only a poller that knows no device yet fails.
 */

/** How a re-read plan's devices differ from the ones the scheduler has. */
export interface DeviceSetChanges {
  /** Hostnames the plan no longer has (or that left this shard). */
  dropped: string[];
  /** Devices already scheduled, with the plan's current definition. */
  kept: Device[];
  /** Devices new to the scheduler. */
  added: Device[];
}

/**
 * @example deviceSetChanges(['a', 'b'], [b2, c]) // → { dropped: ['a'], kept: [b2], added: [c] }
 */
export function deviceSetChanges(current: Iterable<string>, wanted: readonly Device[]): DeviceSetChanges {
  const known = new Set(current);
  const names = new Set(wanted.map((d) => d.hostname));
  return {
    dropped: [...known].filter((h) => !names.has(h)),
    kept: wanted.filter((d) => known.has(d.hostname)),
    added: wanted.filter((d) => !known.has(d.hostname)),
  };
}

/**
 * Re-reads the plan when an interval has passed since the last read (or when
 * `force`), applies its device set, and places the devices on the grid again
 * when the set changed.
 * @throws the store's error while no device is known
 */
export async function refreshPlan(s: PollerSettings, st: SchedulerState, force = false): Promise<void> {
  const now = s.clock();
  await ensureSchema(s, st);
  if (!force && now - st.planLoadedAt < s.intervalMs) return;
  const plan = await readPlanOrKeepPolling(s, st, now);
  if (plan === undefined) return;
  const wanted = pollableDevices(plan).filter((d) => inShard(d.hostname, s.shard));
  if (await applyDeviceSet(s, st, deviceSetChanges(st.runtimes.keys(), wanted))) reschedule(st, now);
}

/** Creates the monitor's schema before the first cycle; retried at every refresh until it succeeds. */
async function ensureSchema(s: PollerSettings, st: SchedulerState): Promise<void> {
  if (st.schemaReady) return;
  try {
    await ensureMonitorSchema(s.store);
    st.schemaReady = true;
  } catch (e) {
    if (st.runtimes.size === 0) throw e;
  }
}

/** The stored plan; undefined when Neo4j is away but devices are known (tried again an interval later, not at every tick). */
async function readPlanOrKeepPolling(s: PollerSettings, st: SchedulerState, now: number): Promise<Plan | undefined> {
  try {
    const plan = await loadStoredPlan(s.store);
    st.planLoadedAt = now;
    return plan;
  } catch (e) {
    if (st.runtimes.size === 0) throw e;
    st.planLoadedAt = now;
    s.log.warn({ err: (e as Error).message }, 'plan not re-read; polling the known devices');
    return undefined;
  }
}

/**
 * Drops devices (closing their sessions), updates the kept ones, and adds the
 * new ones with what an earlier process kept of them (failures, last counters).
 * @returns whether the set of devices changed
 */
async function applyDeviceSet(s: PollerSettings, st: SchedulerState, changes: DeviceSetChanges): Promise<boolean> {
  for (const h of changes.dropped) {
    st.runtimes.get(h)?.session?.session.close();
    st.runtimes.delete(h);
  }
  for (const d of changes.kept) st.runtimes.get(d.hostname)!.device = d;
  if (changes.added.length > 0) {
    const kept = await loadKeptState(
      s.store,
      changes.added.map((d) => d.hostname),
    );
    for (const d of changes.added) st.runtimes.set(d.hostname, newDeviceRuntime(d, s.intervalFor(d.hostname), kept.get(d.hostname) ?? {}));
  }
  return changes.dropped.length > 0 || changes.added.length > 0;
}

/** Spreads the phases over the current device set (after it changed); the grid's anchor is the first placement's time. */
function reschedule(st: SchedulerState, now: number): void {
  st.anchor ??= now;
  const devices = [...st.runtimes].map(([hostname, rt]) => ({ hostname, intervalMs: rt.intervalMs, nextDueAt: rt.nextDueAt }));
  for (const [hostname, placed] of placeOnGrid(devices, st.anchor, now)) Object.assign(st.runtimes.get(hostname)!, placed);
}
