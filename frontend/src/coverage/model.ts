import type { CoverageView } from '../api/types';

/**
 * What the coverage dashboard and the map's node colours read: the
 * `GET /api/coverage` body when monitoring is up (`source: 'monitoring'`), or
 * the same shape computed from the plan alone (`source: 'plan'`, see
 * plan-coverage.ts) when it is not.
 */
export type CoverageModel = Omit<CoverageView, 'at'> & {
  source: 'monitoring' | 'plan';
  /** When monitoring judged it; null for the plan. */
  at: string | null;
};

export function fromCoverageView(view: CoverageView): CoverageModel {
  return { ...view, source: 'monitoring' };
}

/**
 * The coverage class of a site, as the map colours it. `not-polled`: the site
 * misses its target only because some link of its primary path has no fresh
 * measurement — not known to be below target, not known to meet it.
 */
export type SiteStatus = 'compliant' | 'below-target' | 'no-backup' | 'unconnected' | 'planned' | 'not-polled';

/** Legend order: best to worst, then planned and no data. */
export const SITE_STATUSES: readonly SiteStatus[] = ['compliant', 'no-backup', 'below-target', 'unconnected', 'planned', 'not-polled'];

export const SITE_STATUS_COLOURS: Record<SiteStatus, string> = {
  compliant: '#2f9e44',
  'no-backup': '#f5c400',
  'below-target': '#f76707',
  unconnected: '#c92a2a',
  planned: '#ffffff',
  'not-polled': '#ced4da',
};

/** What decides a site's class: its gap classes and why its primary path fails. */
export type SiteGaps = Pick<CoverageModel['gaps'][number], 'gaps' | 'failingLinks'>;

/**
 * One class per site, the most telling first: a planned site is "planned"
 * (its being unconnected is expected); then unconnected; below target when a
 * link of its primary path is measured short (or down, or not built); no
 * backup, a fact of the topology that needs no measurement; `not-polled` ("no
 * data") when the only reason it misses its target is missing readings — the
 * domain's `no-data` gap, never "below target"; else compliant.
 *
 * @example siteStatus('built', { gaps: ['below-target', 'no-backup'], failingLinks: [{ linkId: 'L1', reason: 'below-target' }] }) // → 'below-target'
 * @example siteStatus('built', { gaps: ['no-data'], failingLinks: [{ linkId: 'L1', reason: 'not-polled' }] }) // → 'not-polled'
 */
export function siteStatus(planStatus: 'planned' | 'built' | undefined, site: SiteGaps | undefined): SiteStatus {
  if (planStatus === 'planned') return 'planned';
  const gaps = site?.gaps ?? [];
  if (gaps.includes('unconnected')) return 'unconnected';
  if (gaps.includes('below-target')) return 'below-target';
  if (gaps.includes('no-backup')) return 'no-backup';
  if (gaps.includes('no-data')) return 'not-polled';
  return 'compliant';
}

/** Site code → its gaps (sites without gaps are absent). */
export function gapsBySite(model: CoverageModel): Map<string, SiteGaps> {
  return new Map(model.gaps.map((g) => [g.code, g]));
}
