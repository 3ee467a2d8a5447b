import { z } from 'zod';
import { SITE_TIERS } from '../plan/schema';
import { COMPLIANCE_REASONS, LINK_OPER_STATES } from './compliance';
import type { CoverageReport } from './coverage';

const gapClass = z.enum(['unconnected', 'below-target', 'no-data', 'no-backup']);
const failureElement = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('link'), id: z.string() }),
  z.object({ kind: z.literal('device'), hostname: z.string() }),
]);
const failingLink = z.object({ linkId: z.string(), reason: z.enum(COMPLIANCE_REASONS) });
const counts = z.object({
  total: z.number().int(),
  connected: z.number().int(),
  meetingTarget: z.number().int(),
  withBackup: z.number().int(),
  fullyCompliant: z.number().int(),
  /** Connected sites whose target cannot be judged for want of readings (not counted below target). */
  noData: z.number().int(),
  gaps: z.object({
    unconnected: z.array(z.string()),
    belowTarget: z.array(z.string()),
    noData: z.array(z.string()),
    noBackup: z.array(z.string()),
  }),
});

/** The headline figures of coverage: counts of sites, percentages of all sites. */
export const coverageOverallSchema = z.object({
  sites: z.number().int(),
  fullyCompliant: z.number().int(),
  fullyCompliantPct: z.number(),
  meetingRequirements: z.number().int(),
  meetingRequirementsPct: z.number(),
  /** Sites with no reading yet on their path: "no data", never "below target". */
  noData: z.number().int(),
});

/** The wire shape of coverage, declared once (see {@link coverageView}). Bandwidths in Mbps. */
export const coverageViewSchema = z
  .object({
    /** ISO time of the measurements; null when computed from the plan alone. */
    at: z.string().nullable(),
    overall: coverageOverallSchema,
    tiers: z.object(Object.fromEntries(SITE_TIERS.map((t) => [t, counts])) as Record<(typeof SITE_TIERS)[number], typeof counts>),
    internetExit: z.object({
      up: z.number().int(),
      capacityMbps: z.number(),
      meetsTarget: z.boolean(),
      redundant: z.boolean(),
      links: z.array(
        z.object({
          id: z.string(),
          state: z.enum(LINK_OPER_STATES),
          targetMbps: z.number(),
          capacityMbps: z.number().nullable(),
          meetsTarget: z.boolean(),
          reason: z.enum(COMPLIANCE_REASONS).nullable(),
          detail: z.string().nullable(),
        }),
      ),
    }),
    counties: z.array(
      z.object({
        code: z.string(),
        name: z.string(),
        connected: z.boolean(),
        meetsTarget: z.boolean(),
        noData: z.boolean(),
        hasBackup: z.boolean(),
        fullyCompliant: z.boolean(),
        gaps: z.array(gapClass),
        primaryPath: z.array(z.string()).nullable(),
        failingLinks: z.array(failingLink),
        singlePointsOfFailure: z.array(failureElement),
        townships: counts,
      }),
    ),
    gaps: z.array(
      z.object({
        code: z.string(),
        name: z.string(),
        tier: z.enum(SITE_TIERS),
        county: z.string().nullable(),
        gaps: z.array(gapClass),
        failingLinks: z.array(failingLink),
        singlePointsOfFailure: z.array(failureElement),
      }),
    ),
    /** Each single point of failure with the sites its loss cuts off, most sites first. */
    singlePointsOfFailure: z.array(z.object({ element: failureElement, sites: z.array(z.string()) })),
  })
  .meta({ id: 'CoverageView' });

/** `GET /api/coverage` and the socket.io `coverage` event. */
export type CoverageView = z.infer<typeof coverageViewSchema>;

/**
 * The wire shape of coverage (`GET /api/coverage`, the socket.io `coverage`
 * event, and the UI's plan-only fallback): one mapping from the report, so the
 * server and the browser can never drift apart. `at` is the ISO time of the
 * measurements, or null when computed from the plan alone.
 */
export function coverageView(report: CoverageReport, at: string | null): CoverageView {
  const siteGap = (s: CoverageReport['sites'][number]) => ({
    code: s.code,
    name: s.name,
    tier: s.tier,
    county: s.county ?? null,
    gaps: s.gaps,
    failingLinks: s.failingLinks,
    singlePointsOfFailure: s.singlePointsOfFailure,
  });
  return {
    at,
    overall: report.overall,
    tiers: report.tiers,
    internetExit: {
      up: report.internetExit.up,
      capacityMbps: report.internetExit.capacityMbps,
      meetsTarget: report.internetExit.meetsTarget,
      redundant: report.internetExit.redundant,
      links: report.internetExit.links.map((l) => ({
        id: l.linkId,
        state: l.state,
        targetMbps: l.targetMbps,
        capacityMbps: l.capacityMbps ?? null,
        meetsTarget: l.meetsTarget,
        reason: l.reason ?? null,
        detail: l.detail ?? null,
      })),
    },
    counties: report.counties.map((c) => ({
      code: c.code,
      name: c.name,
      connected: c.site.connected,
      meetsTarget: c.site.meetsTarget,
      noData: c.site.noData,
      hasBackup: c.site.hasBackup,
      fullyCompliant: c.site.fullyCompliant,
      gaps: c.site.gaps,
      primaryPath: c.site.primaryPath ?? null,
      failingLinks: c.site.failingLinks,
      singlePointsOfFailure: c.site.singlePointsOfFailure,
      townships: c.townships,
    })),
    gaps: report.sites.filter((s) => s.gaps.length > 0).map(siteGap),
    singlePointsOfFailure: report.spofImpact,
  };
}
