/**
 * Coverage over time: one snapshot per calendar day of the three-tier figures
 * and of each county-level unit, taken from the coverage view (the same
 * figures `GET /api/coverage` shows), so the trend and today's dashboard never
 * disagree on what a figure means.
 *
 * When: the first time on a calendar day (UTC+8 by default) that the coverage
 * has readings — a snapshot of a fresh start where nothing has been read yet
 * would record every site as "no data" and say nothing about the network, so
 * {@link snapshotDue} waits for the first poll cycle. Kept for
 * {@link DEFAULT_SNAPSHOT_RETENTION_DAYS} days (at least 400: a year compared
 * with the one before). Pure: the clock and the stored days are passed in.
 */
import { z } from 'zod';
import { SITE_TIERS } from '../plan/schema';
import { coverageOverallSchema, type CoverageView } from './coverage-view';
import { calendarDay } from './percentile';

/** Snapshots kept, days. Env COVERAGE_SNAPSHOT_RETENTION_DAYS; at least 400. */
export const DEFAULT_SNAPSHOT_RETENTION_DAYS = 400;
export const MIN_SNAPSHOT_RETENTION_DAYS = 400;

const tierFigures = z.object({
  total: z.number().int(),
  connected: z.number().int(),
  meetingTarget: z.number().int(),
  withBackup: z.number().int(),
  fullyCompliant: z.number().int(),
  noData: z.number().int(),
});
export type TierFigures = z.infer<typeof tierFigures>;

/** One day's coverage figures. Counts of sites; percentages of all sites. */
export const coverageSnapshotSchema = z
  .object({
    /** Calendar day, `YYYY-MM-DD` (UTC+8 by default). */
    day: z.string(),
    /** ISO time of the measurements the snapshot was taken from. */
    at: z.string(),
    overall: coverageOverallSchema,
    tiers: z.object(Object.fromEntries(SITE_TIERS.map((t) => [t, tierFigures])) as Record<(typeof SITE_TIERS)[number], typeof tierFigures>),
    /** Each county-level unit: its own uplink, and its townships' figures. */
    counties: z.array(
      z.object({
        code: z.string(),
        name: z.string(),
        connected: z.boolean(),
        meetsTarget: z.boolean(),
        noData: z.boolean(),
        hasBackup: z.boolean(),
        fullyCompliant: z.boolean(),
        townships: tierFigures,
      }),
    ),
  })
  .meta({ id: 'CoverageSnapshot' });
export type CoverageSnapshot = z.infer<typeof coverageSnapshotSchema>;

function figures(c: CoverageView['tiers']['city']): TierFigures {
  return {
    total: c.total,
    connected: c.connected,
    meetingTarget: c.meetingTarget,
    withBackup: c.withBackup,
    fullyCompliant: c.fullyCompliant,
    noData: c.noData,
  };
}

/**
 * The snapshot of `view` for `day` (the gap lists and SPOFs are left out: the
 * trend is about figures).
 * @example coverageSnapshot(view, '2025-03-04').tiers.township // → { total: 84, meetingTarget: 70, noData: 0, … }
 */
export function coverageSnapshot(view: CoverageView, day: string, at: string): CoverageSnapshot {
  return {
    day,
    at,
    overall: { ...view.overall },
    tiers: { city: figures(view.tiers.city), county: figures(view.tiers.county), township: figures(view.tiers.township) },
    counties: view.counties.map((c) => ({
      code: c.code,
      name: c.name,
      connected: c.connected,
      meetsTarget: c.meetsTarget,
      noData: c.noData,
      hasBackup: c.hasBackup,
      fullyCompliant: c.fullyCompliant,
      townships: figures(c.townships),
    })),
  };
}

/** The coverage has at least one reading: some connected site is not "no data". */
export function hasReadings(view: Pick<CoverageView, 'overall' | 'tiers'>): boolean {
  const connected = view.tiers.city.connected + view.tiers.county.connected + view.tiers.township.connected;
  return connected > view.overall.noData;
}

/**
 * Is a snapshot due at `now`? When today (at the offset) has none yet and the
 * coverage has readings.
 * @example snapshotDue({ now, utcOffsetMinutes: 480, latestDay: '2025-03-03', readings: true }) // → '2025-03-04' on 4 March
 * @returns the day to snapshot, or null
 */
export function snapshotDue(opts: { now: number; utcOffsetMinutes: number; latestDay: string | null; readings: boolean }): string | null {
  const today = calendarDay(opts.now, opts.utcOffsetMinutes);
  if (opts.latestDay !== null && opts.latestDay >= today) return null;
  return opts.readings ? today : null;
}

/** The oldest day kept at `now`: snapshots of earlier days are pruned. */
export function oldestKeptDay(now: number, retentionDays: number, utcOffsetMinutes: number): string {
  return calendarDay(now - retentionDays * 86_400_000, utcOffsetMinutes);
}
