/**
 * Summaries of a rate series: the 95th percentile per day (as carriers bill),
 * the peak, and the current value.
 *
 * Units: whatever the series carries — normally **bits per second** from
 * `octetRate` (counters.ts); times are **ms since the epoch** (injected, never read here).
 *
 * Method: **nearest-rank** percentile, the one 95th-percentile billing uses
 * (LibreNMS `billing-calculate.php`, Cacti nth-percentile): sort the day's samples
 * ascending and take the value at rank ⌈p/100 × N⌉ (1-based). Equivalently, the
 * top ⌊(1 − p/100) × N⌋ samples are thrown away and the highest remaining one is
 * billed: 288 five-minute samples → the 14 highest are ignored, the 15th highest
 * is the figure. The result is always an observed sample, never an interpolation.
 * Missing intervals (rejected counter pairs, unreachable device) are *not* filled
 * with zeros; the percentile is over the samples present, and `samples` says how
 * many that was so a report can flag thin days.
 *
 * Days are calendar days at a fixed UTC offset, default +08:00 (China Standard
 * Time, no daylight saving), so the function needs no time-zone database.
 */
import { DomainError } from '../errors';

/** One point of a rate series. */
export interface RateSample {
  /** When the interval ended, ms since the epoch. */
  at: number;
  /** The rate over the interval, normally bits per second. */
  value: number;
}

/** Default percentile for billing-style summaries. */
export const DEFAULT_PERCENTILE = 95;
/** Default day boundary offset from UTC, minutes: +480 = UTC+08:00 (Asia/Shanghai). */
export const DEFAULT_UTC_OFFSET_MINUTES = 480;

/**
 * Nearest-rank percentile of `values` (any order; NaN and ±Infinity ignored), or
 * `undefined` when none is left. `p` in [0, 100]; p = 0 gives the minimum, 100 the maximum.
 *
 * @example nearestRank([5, 1, 4, 2, 3], 95) // → 5 (rank ⌈4.75⌉ = 5)
 * @example nearestRank([5, 1, 4, 2, 3], 50) // → 3
 */
export function nearestRank(values: Iterable<number>, p: number): number | undefined {
  if (!(p >= 0 && p <= 100)) {
    throw new DomainError('BAD_REQUEST', `percentile must be between 0 and 100. Got: ${p}`, { field: 'percentile' });
  }
  const finite: number[] = [];
  for (const v of values) if (Number.isFinite(v)) finite.push(v);
  if (finite.length === 0) return undefined;
  const sorted = Float64Array.from(finite).sort();
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

const DAY_MS = 86_400_000;

/** The calendar day (`YYYY-MM-DD`) of an instant at a fixed UTC offset. */
export function calendarDay(at: number, utcOffsetMinutes: number = DEFAULT_UTC_OFFSET_MINUTES): string {
  return new Date(at + utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
}

export interface DailySummary {
  /** Calendar day at the chosen offset, `YYYY-MM-DD`. */
  day: string;
  /** The nearest-rank percentile of the day's samples (series unit, normally bps). */
  percentile: number;
  /** Highest sample of the day. */
  peak: number;
  /** Arithmetic mean of the day's samples. */
  mean: number;
  /** How many finite samples the day had. */
  samples: number;
}

export interface DailyOptions {
  /** Default {@link DEFAULT_PERCENTILE}. */
  percentile?: number;
  /** Default {@link DEFAULT_UTC_OFFSET_MINUTES}. */
  utcOffsetMinutes?: number;
}

/**
 * Per-day nearest-rank percentile, peak and mean, days in ascending order; days
 * without finite samples are absent.
 *
 * @example
 * dailyPercentiles(series) // → [{ day: '2025-03-01', percentile: 412e6, peak: 655e6, mean: 201e6, samples: 288 }, …]
 */
export function dailyPercentiles(samples: Iterable<RateSample>, opts: DailyOptions = {}): DailySummary[] {
  const p = opts.percentile ?? DEFAULT_PERCENTILE;
  const offset = opts.utcOffsetMinutes ?? DEFAULT_UTC_OFFSET_MINUTES;
  // Grouped by day number first: one date string per day, not one per sample.
  const offsetMs = offset * 60_000;
  const byDay = new Map<number, number[]>();
  for (const s of samples) {
    if (!Number.isFinite(s.value) || !Number.isFinite(s.at)) continue;
    const day = Math.floor((s.at + offsetMs) / DAY_MS);
    const list = byDay.get(day);
    if (list) list.push(s.value);
    else byDay.set(day, [s.value]);
  }
  const out: DailySummary[] = [];
  for (const day of [...byDay.keys()].sort((x, y) => x - y)) {
    const values = byDay.get(day)!;
    let sum = 0;
    let max = -Infinity;
    for (const v of values) {
      sum += v;
      if (v > max) max = v;
    }
    out.push({
      day: calendarDay(day * DAY_MS, 0),
      percentile: nearestRank(values, p)!,
      peak: max,
      mean: sum / values.length,
      samples: values.length,
    });
  }
  return out;
}

/**
 * Billable figure per day for a link, the usual carrier rule: the higher of the
 * inbound and the outbound daily percentile. Days present in either direction appear.
 */
export function billablePerDay(
  inbound: Iterable<RateSample>,
  outbound: Iterable<RateSample>,
  opts: DailyOptions = {},
): Array<{ day: string; value: number; direction: 'in' | 'out' }> {
  const ins = new Map(dailyPercentiles(inbound, opts).map((d) => [d.day, d.percentile]));
  const outs = new Map(dailyPercentiles(outbound, opts).map((d) => [d.day, d.percentile]));
  const days = [...new Set([...ins.keys(), ...outs.keys()])].sort();
  return days.map((day) => {
    const i = ins.get(day) ?? -Infinity;
    const o = outs.get(day) ?? -Infinity;
    return i >= o ? { day, value: i, direction: 'in' as const } : { day, value: o, direction: 'out' as const };
  });
}

/** The highest sample (the earliest of equal highs), or `undefined` for an empty series. */
export function peakSample(samples: Iterable<RateSample>): RateSample | undefined {
  let best: RateSample | undefined;
  for (const s of samples) {
    if (!Number.isFinite(s.value)) continue;
    if (best === undefined || s.value > best.value || (s.value === best.value && s.at < best.at)) best = s;
  }
  return best;
}

/**
 * The latest sample taken at or before `now` and no older than `maxAgeMs`, or
 * `undefined` (nothing fresh: show "not polled", not a stale number).
 */
export function currentSample(samples: Iterable<RateSample>, now: number, maxAgeMs: number): RateSample | undefined {
  let latest: RateSample | undefined;
  for (const s of samples) {
    if (!Number.isFinite(s.value) || s.at > now || now - s.at > maxAgeMs) continue;
    if (latest === undefined || s.at > latest.at) latest = s;
  }
  return latest;
}
