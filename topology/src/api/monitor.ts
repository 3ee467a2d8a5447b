import { z } from 'zod';
import { coverageViewSchema } from '../monitor/coverage-view';
import { deviceStatusAnswerSchema } from '../monitor/device-status';
import { COMPLIANCE_REASONS } from '../monitor/compliance';
import { linkPlanSchema } from '../plan/views';
import { hostnameParam, isoTime, linkIdParam, noQuery } from './common';
import { endpoint } from './endpoint';

/** The monitoring API: coverage, a link's utilization history, a device's poll status. */

/** Longest `to − from` of one utilization request: 31 days (≈ 45k one-minute samples). */
export const MAX_UTILIZATION_RANGE_MS = 31 * 86_400_000;
/** Default range of a utilization request: the last 24 hours. */
export const DEFAULT_UTILIZATION_RANGE_MS = 86_400_000;

const directionDay = z.object({ max: z.number(), avg: z.number(), p95: z.number() });

/** `GET /api/links/:id/utilization`. Rates in bps, capacities in Mbps, percentages of capacity, times ISO 8601. */
export const linkUtilizationSchema = z
  .object({
    link: linkPlanSchema.extend({
      capacityMbps: z.number().nullable(),
      operStatus: z.string().nullable(),
      meetsTarget: z.boolean().nullable(),
      reason: z.enum(COMPLIANCE_REASONS).nullable(),
      polledAt: z.string().nullable(),
    }),
    from: z.string(),
    to: z.string(),
    samples: z.array(
      z.object({
        at: z.string(),
        inBps: z.number(),
        outBps: z.number(),
        capacityMbps: z.number().nullable(),
        inPct: z.number().nullable(),
        outPct: z.number().nullable(),
      }),
    ),
    current: z
      .object({ at: z.string(), inBps: z.number(), outBps: z.number(), inPct: z.number().optional(), outPct: z.number().optional() })
      .nullable(),
    peak: z
      .object({
        in: z.object({ at: z.string(), bps: z.number(), pct: z.number().optional() }),
        out: z.object({ at: z.string(), bps: z.number(), pct: z.number().optional() }),
      })
      .nullable(),
    /** Per calendar day (Beijing time): from the samples where the range has them, else from the daily rollups. */
    daily: z.array(
      z.object({ day: z.string(), samples: z.number().int(), in: directionDay, out: directionDay, source: z.enum(['samples', 'rollup']) }),
    ),
  })
  .meta({ id: 'LinkUtilization' });
export type LinkUtilization = z.infer<typeof linkUtilizationSchema>;

export const getCoverage = endpoint({
  method: 'GET',
  path: '/api/coverage',
  tag: 'monitor',
  permission: 'read',
  summary: 'Three-tier coverage, gaps and single points of failure, from the latest measurements',
  query: noQuery,
  response: coverageViewSchema,
});

export const getLinkUtilization = endpoint({
  method: 'GET',
  path: '/api/links/:id/utilization',
  tag: 'monitor',
  permission: 'read',
  summary: "A link's samples, current and peak utilization, and daily 95th percentile (default: the last 24 h, at most 31 days)",
  params: z.strictObject({ id: linkIdParam }),
  query: z.strictObject({ from: isoTime.optional(), to: isoTime.optional() }),
  response: linkUtilizationSchema,
});

export const getDeviceStatus = endpoint({
  method: 'GET',
  path: '/api/devices/:hostname/status',
  tag: 'monitor',
  permission: 'read',
  summary: 'Poll status of a device and its interfaces (never a credential: only the profile name)',
  params: z.strictObject({ hostname: hostnameParam }),
  query: noQuery,
  response: deviceStatusAnswerSchema,
});

/** One port whose plan speed differs from the ifHighSpeed its router reports (`speedMismatch`). Speeds in Mbps. */
export const speedMismatchRowSchema = z.object({
  hostname: z.string(),
  site: z.string(),
  ifName: z.string(),
  planSpeedMbps: z.number(),
  ifHighSpeedMbps: z.number(),
  /** `slower`: the port runs below its plan (wrong optic or negotiation); `faster`: the record is likely out of date. */
  direction: z.enum(['slower', 'faster']),
  /** Links ending on the port. */
  links: z.array(z.string()),
  /** When ifHighSpeed was read, ISO 8601. */
  lastPolled: z.string().nullable(),
});

/** `GET /api/speed-mismatches`: per port, and per link (a link with a mismatched end). */
export const speedMismatchesSchema = z
  .object({
    interfaces: z.array(speedMismatchRowSchema),
    links: z.array(z.object({ id: z.string(), tier: z.string(), ends: z.array(z.string()) })),
  })
  .meta({ id: 'SpeedMismatches' });
export type SpeedMismatches = z.infer<typeof speedMismatchesSchema>;

export const getSpeedMismatches = endpoint({
  method: 'GET',
  path: '/api/speed-mismatches',
  tag: 'monitor',
  permission: 'read',
  summary: "Ports whose plan speed differs from the ifHighSpeed the router reports, and the links they end (from each port's last poll)",
  query: noQuery,
  response: speedMismatchesSchema,
});
