import {
  calendarDay,
  DEFAULT_UTILIZATION_RANGE_MS,
  DomainError,
  linkDays,
  MAX_UTILIZATION_RANGE_MS,
  percentOf,
  summarizeUtilization,
  type LinkUtilization,
} from '@extranet/topology';
import type { Store } from '../neo4j/store';
import { readDays, readLinkRow, readSamples } from './history-store';

/**
 * A link's utilization over a range (`GET /api/links/:id/utilization`): its
 * samples, the current and peak values, and one summary per calendar day —
 * from the samples of whole days around the range (so a day's p95 is the day's,
 * not the range's slice of it), else from the stored daily rollups.
 * Units: rates in bps, capacities in Mbps, percent of capacity; times ISO 8601.
 */
export interface UtilizationOptions {
  /** ms since the epoch; the range ends here unless `to` is given. */
  now: number;
  /** Samples older than this are not "current", ms. */
  maxAgeMs: number;
  /** Day boundary, minutes east of UTC (480: Beijing time). */
  utcOffsetMinutes: number;
}

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** The range asked for, checked: `from < to`, at most 31 days; default the last 24 h. */
export function utilizationRange(q: { from?: string | undefined; to?: string | undefined }, now: number): { from: number; to: number } {
  const to = q.to !== undefined ? Date.parse(q.to) : now;
  const from = q.from !== undefined ? Date.parse(q.from) : to - DEFAULT_UTILIZATION_RANGE_MS;
  if (!(from < to)) {
    throw new DomainError('BAD_REQUEST', 'from must be before to', {
      field: 'from',
      hint: 'e.g. ?from=2025-03-04T00:00:00+08:00&to=2025-03-05T00:00:00+08:00',
    });
  }
  if (to - from > MAX_UTILIZATION_RANGE_MS) {
    throw new DomainError('BAD_REQUEST', `the range may span at most ${MAX_UTILIZATION_RANGE_MS / DAY_MS} days`, {
      field: 'to',
      hint: 'ask for a shorter range; older days are summarised under `daily`',
    });
  }
  return { from, to };
}

export async function linkUtilization(
  store: Store,
  id: string,
  range: { from: number; to: number },
  opts: UtilizationOptions,
): Promise<LinkUtilization> {
  const { from, to } = range;
  const offset = opts.utcOffsetMinutes;
  const fromDay = calendarDay(from, offset);
  const toDay = calendarDay(to - 1, offset);
  const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`) - offset * 60_000;
  const data = await store.read(async (tx) => {
    const link = await readLinkRow(tx, id);
    if (!link) return undefined;
    const around = await readSamples(tx, id, dayStart(fromDay), dayStart(toDay) + DAY_MS);
    return { link, around, rollups: await readDays(tx, id, fromDay, toDay) };
  });
  if (!data) throw new DomainError('NOT_FOUND', `no link with id ${id}`, { field: 'id', hint: 'see GET /api/links' });

  const samples = data.around.filter((s) => s.at >= from && s.at < to);
  const summary = summarizeUtilization(samples, opts.now, opts.maxAgeMs);
  const fromSamples = linkDays(data.around, { utcOffsetMinutes: offset }).filter((d) => d.day >= fromDay && d.day <= toDay);
  const seen = new Set(fromSamples.map((d) => d.day));
  const daily = [
    ...fromSamples.map((d) => ({ ...d, source: 'samples' as const })),
    ...data.rollups.filter((d) => !seen.has(d.day)).map((d) => ({ ...d, source: 'rollup' as const })),
  ].sort((x, y) => (x.day < y.day ? -1 : 1));
  return {
    link: { ...data.link, polledAt: data.link.polledAt === null ? null : iso(data.link.polledAt) },
    from: iso(from),
    to: iso(to),
    samples: samples.map((s) => ({
      at: iso(s.at),
      inBps: s.inBps,
      outBps: s.outBps,
      capacityMbps: s.capacityMbps || null,
      inPct: percentOf(s.inBps, s.capacityMbps) ?? null,
      outPct: percentOf(s.outBps, s.capacityMbps) ?? null,
    })),
    current: summary.current ? { ...summary.current, at: iso(summary.current.at) } : null,
    peak: summary.peak
      ? { in: { ...summary.peak.in, at: iso(summary.peak.in.at) }, out: { ...summary.peak.out, at: iso(summary.peak.out.at) } }
      : null,
    daily,
  };
}
