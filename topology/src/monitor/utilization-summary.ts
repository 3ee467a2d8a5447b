/**
 * Summaries of one link's utilization history, for the API and the daily
 * rollup: the current value, the peak per direction as percent of capacity,
 * and per calendar day the max, mean and nearest-rank 95th percentile.
 *
 * Units: rates in **bits per second**; capacities in **Mbps** (0 = unknown);
 * percentages are percent of the capacity *at the time of the sample* (a link
 * upgraded mid-month is judged against the speed it had then); times are
 * **ms since the epoch**. Days at a fixed UTC offset, default +08:00 (see percentile.ts).
 */
import { dailyPercentiles, DEFAULT_UTC_OFFSET_MINUTES, type DailyOptions } from './percentile';

/** One stored sample of a link: the rates over the poll interval that ended at `at`. */
export interface LinkSample {
  at: number;
  /** Toward the core end (a) — "in" as seen at end a. bps. */
  inBps: number;
  /** Away from end a. bps. */
  outBps: number;
  /** Measured capacity when sampled, Mbps; 0 when unknown. */
  capacityMbps: number;
}

/** One direction of a day: bps figures. */
export interface DirectionDay {
  max: number;
  avg: number;
  p95: number;
}

/** A day of one link, both directions; the shape the daily rollup stores. */
export interface LinkDay {
  /** `YYYY-MM-DD` at the chosen offset. */
  day: string;
  samples: number;
  in: DirectionDay;
  out: DirectionDay;
}

/** Percent of a capacity in Mbps, or undefined when the capacity is unknown. */
export function percentOf(bps: number, capacityMbps: number): number | undefined {
  return capacityMbps > 0 ? (bps / (capacityMbps * 1e6)) * 100 : undefined;
}

/**
 * Per-day max / mean / p95 of both directions, days ascending.
 *
 * @example
 * linkDays([{ at, inBps: 4e8, outBps: 1e8, capacityMbps: 1000 }, …])
 * // → [{ day: '2025-03-04', samples: 1440, in: { max, avg, p95 }, out: { … } }]
 */
export function linkDays(samples: readonly LinkSample[], opts: DailyOptions = {}): LinkDay[] {
  const options = { utcOffsetMinutes: opts.utcOffsetMinutes ?? DEFAULT_UTC_OFFSET_MINUTES, percentile: opts.percentile ?? 95 };
  const ins = dailyPercentiles(
    samples.map((s) => ({ at: s.at, value: s.inBps })),
    options,
  );
  const outs = new Map(
    dailyPercentiles(
      samples.map((s) => ({ at: s.at, value: s.outBps })),
      options,
    ).map((d) => [d.day, d]),
  );
  return ins.map((d) => {
    const o = outs.get(d.day);
    return {
      day: d.day,
      samples: d.samples,
      in: { max: d.peak, avg: d.mean, p95: d.percentile },
      out: o ? { max: o.peak, avg: o.mean, p95: o.percentile } : { max: 0, avg: 0, p95: 0 },
    };
  });
}

/** The highest sample of one direction, with its percent of the capacity it had then. */
export interface DirectionPeak {
  at: number;
  bps: number;
  /** Percent of capacity; absent when the capacity was unknown. */
  pct?: number;
}

export interface UtilizationSummary {
  /** Latest sample no older than `maxAgeMs`; absent = nothing fresh ("not polled", never a stale number). */
  current?: { at: number; inBps: number; outBps: number; inPct?: number; outPct?: number };
  /** Peak by percent of capacity where known, else by bps. Absent for an empty series. */
  peak?: { in: DirectionPeak; out: DirectionPeak };
}

/**
 * Current value and peaks of a series (any order).
 *
 * @param now ms since the epoch (injected)
 * @param maxAgeMs a sample older than this is not "current"
 */
export function summarizeUtilization(samples: readonly LinkSample[], now: number, maxAgeMs: number): UtilizationSummary {
  let current: LinkSample | undefined;
  let peakIn: DirectionPeak | undefined;
  let peakOut: DirectionPeak | undefined;
  const better = (p: DirectionPeak | undefined, c: DirectionPeak) => {
    if (p === undefined) return true;
    // A sample with a known percent outranks one without; then the higher value, then the earlier.
    if ((c.pct !== undefined) !== (p.pct !== undefined)) return c.pct !== undefined;
    const cv = c.pct ?? c.bps;
    const pv = p.pct ?? p.bps;
    return cv > pv || (cv === pv && c.at < p.at);
  };
  for (const s of samples) {
    if (!Number.isFinite(s.inBps) || !Number.isFinite(s.outBps)) continue;
    if (s.at <= now && now - s.at <= maxAgeMs && (current === undefined || s.at > current.at)) current = s;
    const pin = percentOf(s.inBps, s.capacityMbps);
    const pout = percentOf(s.outBps, s.capacityMbps);
    const cin: DirectionPeak = { at: s.at, bps: s.inBps, ...(pin !== undefined && { pct: pin }) };
    const cout: DirectionPeak = { at: s.at, bps: s.outBps, ...(pout !== undefined && { pct: pout }) };
    if (better(peakIn, cin)) peakIn = cin;
    if (better(peakOut, cout)) peakOut = cout;
  }
  const out: UtilizationSummary = {};
  if (current) {
    const inPct = percentOf(current.inBps, current.capacityMbps);
    const outPct = percentOf(current.outBps, current.capacityMbps);
    out.current = {
      at: current.at,
      inBps: current.inBps,
      outBps: current.outBps,
      ...(inPct !== undefined && { inPct }),
      ...(outPct !== undefined && { outPct }),
    };
  }
  if (peakIn && peakOut) out.peak = { in: peakIn, out: peakOut };
  return out;
}
