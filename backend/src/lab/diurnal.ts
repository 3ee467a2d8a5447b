import type { LinkTier } from '@extranet/topology';

/**
 * The daily traffic pattern of a government extranet: quiet at night, two peaks
 * in office hours (10:00 and 15:00 local time) with a lunch dip between them,
 * and weekends at about a third of weekdays. Pure functions of time.
 */

/** China Standard Time (UTC+8, no DST): Huizhou's local time, in minutes east of UTC. */
export const CHINA_STANDARD_TIME = 480;

/** Share of the peak left at night (03:00): backups, monitoring, replication. */
export const NIGHT_FLOOR = 0.06;

/** Weekend share of a weekday's traffic. */
export const WEEKEND_FACTOR = 0.35;

/**
 * Utilization (fraction of capacity) at the daily peak, per link tier: the
 * internet exit runs hottest, county uplinks are oversized, township last
 * miles are the busy ones.
 */
export const PEAK_UTILIZATION: Record<LinkTier, number> = {
  'city-internet': 0.62,
  'city-county': 0.38,
  'county-township': 0.55,
};

/**
 * Local time of day in fractional hours [0, 24).
 *
 * @param epochMs ms since the epoch
 * @param utcOffsetMinutes default {@link CHINA_STANDARD_TIME}
 */
export function localHour(epochMs: number, utcOffsetMinutes = CHINA_STANDARD_TIME): number {
  const dayMs = 86_400_000;
  const local = (((epochMs + utcOffsetMinutes * 60_000) % dayMs) + dayMs) % dayMs;
  return local / 3_600_000;
}

/** Local day of week, 0 = Sunday … 6 = Saturday. */
export function localWeekday(epochMs: number, utcOffsetMinutes = CHINA_STANDARD_TIME): number {
  const days = Math.floor((epochMs + utcOffsetMinutes * 60_000) / 86_400_000);
  return (((days + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

const bump = (hour: number, centre: number, width: number) => Math.exp(-((hour - centre) ** 2) / (2 * width * width));

/**
 * Relative traffic level at a local hour, in [NIGHT_FLOOR, 1]: 1 at the 10:00
 * and 15:00 peaks, about 0.7 at 12:30, {@link NIGHT_FLOOR} at night.
 *
 * @example diurnalFactor(10) // 1
 * @example diurnalFactor(3)  // 0.06
 */
export function diurnalFactor(hour: number): number {
  const day = Math.min(1, bump(hour, 10, 1.6) + bump(hour, 15, 1.8));
  return NIGHT_FLOOR + (1 - NIGHT_FLOOR) * day;
}

/**
 * Expected utilization of a link of `tier` at an instant: peak level × time of
 * day × day of week. Noise is added by the traffic model, not here.
 */
export function expectedUtilization(tier: LinkTier, epochMs: number, utcOffsetMinutes = CHINA_STANDARD_TIME): number {
  const weekday = localWeekday(epochMs, utcOffsetMinutes);
  const week = weekday === 0 || weekday === 6 ? WEEKEND_FACTOR : 1;
  return PEAK_UTILIZATION[tier] * diurnalFactor(localHour(epochMs, utcOffsetMinutes)) * week;
}
