// By path, not through @extranet/topology's index (the bundle needs the cell escaping only).
import { csvTable } from '../../../../topology/src/csv-cell';
import type { CoverageSnapshot } from '../../../../topology/src/monitor/coverage-snapshot';
import type { CoverageCounts, SiteTier } from '../../api/types';
import type { CoverageModel } from '../../coverage/model';
import { t } from '../../i18n/i18n';

/**
 * The coverage dashboard's tables as CSV, one builder per table: the tier
 * figures, the county-level units, the gap lists and the daily trend. Cells go
 * through the project's `csvCell` (a cell starting with `=`, `+`, `-`, `@` is
 * shown as text, never run as a formula); the file starts with a UTF-8 BOM so
 * Excel and WPS open the Chinese names correctly. Headers are in the UI's
 * language; counts are plain numbers, percentages with one decimal.
 */
export const BOM = '\uFEFF';

const TIERS: SiteTier[] = ['city', 'county', 'township'];
const yesNo = (v: boolean) => (v ? t('common.yes') : t('common.no'));
const pct1 = (n: number, total: number) => (total === 0 ? '' : ((n / total) * 100).toFixed(1));

/** Per tier (and overall): total, connected, meeting target, no data, with backup, fully compliant. */
export function tiersCsv(m: CoverageModel): string {
  const row = (label: string, c: CoverageCounts) => [
    label,
    c.total,
    c.connected,
    c.meetingTarget,
    c.noData,
    c.withBackup,
    c.fullyCompliant,
    '',
  ];
  return csvTable(
    [
      t('covx.csv.tier'),
      t('cov.total'),
      t('cov.connected'),
      t('cov.meetingTarget'),
      t('status.not-polled'),
      t('cov.withBackup'),
      t('cov.fullyCompliant'),
      t('cov.requirements'),
    ],
    [
      ...TIERS.map((tier) => row(t(`tier.${tier}`), m.tiers[tier])),
      [t('cov.overall'), m.overall.sites, '', '', m.overall.noData, '', m.overall.fullyCompliant, m.overall.meetingRequirements],
    ],
  );
}

/** One row per county-level unit: its own uplink, then its townships' figures. */
export function countiesCsv(m: CoverageModel): string {
  return csvTable(
    [
      t('covx.csv.code'),
      t('cov.county'),
      t('cov.connected'),
      t('cov.meetingTarget'),
      t('cov.withBackup'),
      `${t('cov.townships')} ${t('cov.total')}`,
      `${t('cov.townships')} ${t('cov.connected')}`,
      `${t('cov.townships')} ${t('cov.meetingTarget')}`,
      `${t('cov.townships')} ${t('status.not-polled')}`,
      `${t('cov.townships')} ${t('cov.withBackup')}`,
      `${t('cov.townships')} ${t('cov.fullyCompliant')}`,
    ],
    m.counties.map((c) => [
      c.code,
      c.name,
      yesNo(c.connected),
      c.noData ? t('status.not-polled') : yesNo(c.meetsTarget),
      yesNo(c.hasBackup),
      c.townships.total,
      c.townships.connected,
      c.townships.meetingTarget,
      c.townships.noData,
      c.townships.withBackup,
      c.townships.fullyCompliant,
    ]),
  );
}

/** Every site with a gap: its gap classes and the failing links of its path. */
export function gapsCsv(m: CoverageModel): string {
  return csvTable(
    [t('covx.csv.code'), t('covx.csv.site'), t('covx.csv.tier'), t('cov.county'), t('cov.gaps'), t('covx.csv.failingLinks')],
    m.gaps.map((g) => [
      g.code,
      g.name,
      t(`tier.${g.tier}`),
      g.county ?? '',
      g.gaps.join(' '),
      g.failingLinks.map((f) => `${f.linkId}:${f.reason}`).join(' '),
    ]),
  );
}

/** One row per day: the overall figures and each tier's, as stored in the snapshot. */
export function trendCsv(days: readonly CoverageSnapshot[]): string {
  const tierHeads = TIERS.flatMap((tier) =>
    [t('cov.total'), t('cov.connected'), t('cov.meetingTarget'), t('status.not-polled'), t('cov.withBackup'), t('cov.fullyCompliant')].map(
      (k) => `${t(`tier.${tier}`)} ${k}`,
    ),
  );
  return csvTable(
    [
      t('covx.csv.day'),
      t('cov.total'),
      t('cov.fullyCompliant'),
      `${t('cov.fullyCompliant')} %`,
      t('cov.requirements'),
      `${t('cov.requirements')} %`,
      t('status.not-polled'),
      ...tierHeads,
    ],
    days.map((d) => [
      d.day,
      d.overall.sites,
      d.overall.fullyCompliant,
      pct1(d.overall.fullyCompliant, d.overall.sites),
      d.overall.meetingRequirements,
      pct1(d.overall.meetingRequirements, d.overall.sites),
      d.overall.noData,
      ...TIERS.flatMap((tier) => {
        const c = d.tiers[tier];
        return [c.total, c.connected, c.meetingTarget, c.noData, c.withBackup, c.fullyCompliant];
      }),
    ]),
  );
}

/** Offers `csv` as a file download (UTF-8 with BOM). */
export function downloadCsv(name: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([BOM + csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
