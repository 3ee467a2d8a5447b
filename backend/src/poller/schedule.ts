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
