import type { CoverageReport } from './coverage';

/**
 * The wire shape of coverage (`GET /api/coverage`, the socket.io `coverage`
 * event, and the UI's plan-only fallback): one mapping from the report, so the
 * server and the browser can never drift apart. `at` is the ISO time of the
 * measurements, or null when computed from the plan alone.
 */
export function coverageView(report: CoverageReport, at: string | null) {
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

export type CoverageView = ReturnType<typeof coverageView>;
