/**
 * When each device is polled: pure arithmetic on ms since the epoch.
 *
 * Every device has a **grid** `anchor + phase + m × interval` (m = 0, 1, …).
 * Phases spread the devices of a shard evenly over the interval, so 90 devices
 * at 60 s mean one poll every ~0.67 s, never a burst of 90 (a burst overflows
 * the receive buffers of agents and of the poller, research/snmp.md §6.8).
 * A failed device is retried on its own grid after an exponential back-off
 * (interval × 2^(failures − 1), capped), so a recovered device falls back into
 * its phase instead of drifting into its neighbours'.
 */

/** Default poll interval: 60 s. */
export const DEFAULT_INTERVAL_MS = 60_000;
/** Default ceiling of the back-off for failing devices: 15 min. */
export const DEFAULT_MAX_BACKOFF_MS = 900_000;

/**
 * The phase of each device: rank × interval / count, ranks in the given order
 * (the caller sorts, e.g. by hostname, so phases are stable across restarts).
 *
 * @example phaseOffsets(['a', 'b', 'c', 'd'], () => 60_000) // → Map { a → 0, b → 15000, c → 30000, d → 45000 }
 */
export function phaseOffsets(hostnames: readonly string[], intervalOf: (hostname: string) => number): Map<string, number> {
  const n = hostnames.length;
  return new Map(hostnames.map((h, rank) => [h, Math.floor((rank * intervalOf(h)) / Math.max(1, n))]));
}

/**
 * The first grid point `start + m × interval` (m integer, possibly negative) strictly after `after`.
 *
 * @example nextGridPoint(1000, 60_000, 61_000) // → 121_000
 */
export function nextGridPoint(start: number, intervalMs: number, after: number): number {
  const steps = Math.floor((after - start) / intervalMs) + 1;
  return start + steps * intervalMs;
}

/**
 * Wait after `failures` consecutive failures before the next attempt may start, ms:
 * 0 after the first failure (retry at the next regular poll), then
 * interval × 2^(failures − 1), at most `maxMs`.
 *
 * @example backoffMs(3, 60_000, 900_000) // → 240_000 (4 intervals)
 */
export function backoffMs(failures: number, intervalMs: number, maxMs: number = DEFAULT_MAX_BACKOFF_MS): number {
  if (failures <= 1) return 0;
  return Math.min(maxMs, intervalMs * 2 ** Math.min(failures - 1, 30));
}

/**
 * When to poll a device next: the first grid point strictly after `now` plus the back-off.
 *
 * @param grid start of the device's grid (anchor + phase), ms
 * @param now when the last attempt finished, ms
 * @param failures consecutive failures including the last attempt (0 after a success)
 */
export function nextDue(grid: number, intervalMs: number, now: number, failures: number, maxBackoffMs?: number): number {
  return nextGridPoint(grid, intervalMs, now + backoffMs(failures, intervalMs, maxBackoffMs));
}

/** A device's place on the schedule, as the scheduler keeps it. */
export interface ScheduledDevice {
  hostname: string;
  intervalMs: number;
  /** ms since the epoch; 0 before the first placement. */
  nextDueAt: number;
}

/**
 * Places a changed device set on the schedule: phases spread over the devices
 * in hostname order, each device's grid is `anchor + phase`, and it is next due
 * at its first grid point from `now` on — or, when it was already due later
 * than `now` (a back-off), at its first grid point from that time on, so a
 * change of the set never brings a failing device's retry forward.
 *
 * @param anchor start of the grids, ms (the first placement's `now`, kept for the life of the poller)
 * @returns per hostname its grid start and next due time, ms
 * @example
 * placeOnGrid([{ hostname: 'a', intervalMs: 60_000, nextDueAt: 0 }, { hostname: 'b', intervalMs: 60_000, nextDueAt: 0 }], 0, 0)
 * // → Map { a → { grid: 0, nextDueAt: 0 }, b → { grid: 30_000, nextDueAt: 30_000 } }
 */
export function placeOnGrid(
  devices: readonly ScheduledDevice[],
  anchor: number,
  now: number,
): Map<string, { grid: number; nextDueAt: number }> {
  const byHost = new Map(devices.map((d) => [d.hostname, d]));
  const hosts = [...byHost.keys()].sort();
  const phases = phaseOffsets(hosts, (h) => byHost.get(h)!.intervalMs);
  return new Map(
    hosts.map((h) => {
      const d = byHost.get(h)!;
      const grid = anchor + phases.get(h)!;
      const first = nextGridPoint(grid, d.intervalMs, now - 1);
      const nextDueAt = d.nextDueAt > now ? Math.max(first, nextGridPoint(grid, d.intervalMs, d.nextDueAt - 1)) : first;
      return [h, { grid, nextDueAt }];
    }),
  );
}

/** The devices due at `now` (next due time reached), in the given order. */
export function dueAt<T extends { nextDueAt: number }>(devices: Iterable<T>, now: number): T[] {
  return [...devices].filter((d) => d.nextDueAt <= now);
}

/** Shortest wait of the scheduling loop, ms: a timer below this is not worth setting. */
export const MIN_WAKE_MS = 10;

/**
 * How long the scheduling loop sleeps after a tick, ms: until the soonest due
 * device or plan re-read, but not before `batchWindowMs` has passed since the
 * last tick started (polls due within the window are batched into one cycle),
 * at least {@link MIN_WAKE_MS}, at most one interval. All times from the one clock.
 *
 * @param at.soonestAt the earliest next due time or plan re-read, ms since the epoch
 * @param at.tickStartedAt when the last tick started, ms since the epoch
 * @example wakeDelayMs({ now: 10_000, soonestAt: 10_200, tickStartedAt: 9_900, batchWindowMs: 1000, intervalMs: 60_000 }) // → 900
 */
export function wakeDelayMs(at: {
  now: number;
  soonestAt: number;
  tickStartedAt: number;
  batchWindowMs: number;
  intervalMs: number;
}): number {
  const wait = Math.max(at.soonestAt - at.now, at.tickStartedAt + at.batchWindowMs - at.now, MIN_WAKE_MS);
  return Math.min(wait, at.intervalMs);
}
