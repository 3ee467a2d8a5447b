/**
 * When a measured reading stops being current. A reading (an interface's rates,
 * operStatus and speed) is **stale** once its device missed a poll: a later
 * poll of the device failed (`failingSince`, the first failed attempt after
 * the last answered one), or no poll came for longer than an interval plus a
 * grace of half an interval (the poller stopped, or the device left its shard).
 * A stale reading is still shown — with its age — but never as current: the
 * map greys it, `/metrics` drops its samples. Times in ms since the epoch.
 */

export interface ReadingAge {
  stale: boolean;
  /** When the reading became stale, ms; null while it is current (or there is none). */
  since: number | null;
  /** now − the reading's time, ms; null without a reading. */
  ageMs: number | null;
}

/**
 * @param r.readAt when the reading was taken (the interface's lastPolled), ms; null: never read
 * @param r.failingSince first failed poll of the device since its last answered one, ms; null: not failing
 * @param r.intervalMs the device's poll interval, ms
 * @example readingAge({ readAt: 0, failingSince: 60_000, now: 90_000, intervalMs: 60_000 }) // → { stale: true, since: 60_000, ageMs: 90_000 }
 * @example readingAge({ readAt: 0, failingSince: null, now: 80_000, intervalMs: 60_000 }) // → { stale: false, since: null, ageMs: 80_000 }
 */
export function readingAge(r: { readAt: number | null; failingSince: number | null; now: number; intervalMs: number }): ReadingAge {
  if (r.readAt === null) return { stale: false, since: null, ageMs: null };
  const ageMs = Math.max(0, r.now - r.readAt);
  if (r.failingSince !== null && r.failingSince >= r.readAt) return { stale: true, since: r.failingSince, ageMs };
  const missedAt = r.readAt + Math.round(r.intervalMs * 1.5);
  if (r.now > missedAt) return { stale: true, since: missedAt, ageMs };
  return { stale: false, since: null, ageMs };
}
