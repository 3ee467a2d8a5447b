import { api } from '../../api/client';
import type { CoverageModel } from '../../coverage/model';
import type { PlanData } from '../../data/plan';
import { h, replace } from '../../dom';
import { formatMbps } from '../../format/format';
import { t } from '../../i18n/i18n';
import { hrefOf } from '../../router';
import { failureName } from '../failure-name';

/**
 * The gap lists of the coverage dashboard: sites unconnected, below target
 * (with the failing links and why) and without backup — grouped by county-level
 * unit — and the single points of failure, each naming the failing element
 * (link or device) and the sites it would cut off.
 */
export function gapLists(m: CoverageModel, plan: PlanData): HTMLElement {
  const siteA = (code: string) => h('a', { href: hrefOf('topology', { site: code }), 'data-gap-site': code }, plan.nameOf(code));
  const planned = (code: string) => (plan.site(code)?.status === 'planned' ? h('span', { class: 'tag' }, t('status.planned')) : null);
  const byGap = (gap: 'unconnected' | 'below-target' | 'no-data' | 'no-backup') => m.gaps.filter((g) => g.gaps.includes(gap));

  const grouped = (entries: CoverageModel['gaps'], detail?: (e: CoverageModel['gaps'][number]) => HTMLElement | null) => {
    if (entries.length === 0) return h('p', { class: 'muted' }, t('cov.noGaps'));
    const groups = new Map<string, CoverageModel['gaps']>();
    for (const e of entries) {
      const key = e.tier === 'township' ? (e.county ?? '') : '';
      groups.set(key, [...(groups.get(key) ?? []), e]);
    }
    return h(
      'ul',
      { class: 'gap-groups' },
      ...[...groups].map(([county, list]) =>
        h(
          'li',
          {},
          county ? h('span', { class: 'gap-county' }, t('cov.groupCount', { name: plan.nameOf(county), count: list.length })) : null,
          h('ul', { class: 'gap-sites' }, ...list.map((e) => h('li', {}, siteA(e.code), planned(e.code), detail?.(e) ?? null))),
        ),
      ),
    );
  };

  const failing = (e: CoverageModel['gaps'][number]) =>
    e.failingLinks.length
      ? h('span', { class: 'muted small' }, ` — ${e.failingLinks.map((f) => `${f.linkId} ${t(`reason.${f.reason}`)}`).join('；')}`)
      : null;

  const spofs = m.singlePointsOfFailure;
  const measuredShort = byGap('below-target');
  const noData = byGap('no-data');
  return h(
    'div',
    { class: 'gaps', 'data-testid': 'gaps' },
    card('unconnected', t('cov.gap.unconnected'), byGap('unconnected').length, grouped(byGap('unconnected'))),
    card('below-target', t('cov.gap.belowTarget'), measuredShort.length, grouped(measuredShort, failing)),
    card('no-backup', t('cov.gap.noBackup'), byGap('no-backup').length, grouped(byGap('no-backup'))),
    card(
      'spof',
      t('cov.gap.spof'),
      spofs.length,
      spofs.length === 0
        ? h('p', { class: 'muted' }, t('cov.noGaps'))
        : h(
            'ul',
            { class: 'spofs' },
            ...spofs.map((s) =>
              h(
                'li',
                { 'data-spof': s.element.kind === 'link' ? s.element.id : s.element.hostname },
                h('b', { class: 'mono' }, failureName(s.element)),
                h('span', { class: 'muted' }, ` · ${t('cov.spofCuts', { count: s.sites.length })}`),
                h(
                  'details',
                  {},
                  h('summary', {}, s.sites.slice(0, 3).map(plan.nameOf).join('、') + (s.sites.length > 3 ? '…' : '')),
                  h('div', { class: 'small' }, ...s.sites.map((c, i) => [i ? '、' : '', siteA(c)])),
                ),
              ),
            ),
          ),
    ),
    speedMismatchCard(siteA),
    noData.length > 0 &&
      card(
        'not-polled',
        t('status.not-polled'),
        noData.length,
        h(
          'details',
          {},
          h(
            'summary',
            {},
            noData
              .slice(0, 4)
              .map((e) => plan.nameOf(e.code))
              .join('、') + (noData.length > 4 ? '…' : ''),
          ),
          grouped(noData),
        ),
      ),
  );
}

function card(kind: string, title: string, count: number, content: HTMLElement): HTMLElement {
  return h(
    'section',
    { class: `gap-card gap-${kind}`, 'data-gap': kind },
    h('h3', {}, title, h('span', { class: `count ${count ? 'bad' : 'good'}` }, String(count))),
    content,
  );
}

/**
 * Ports whose plan speed differs from the reported ifHighSpeed (`GET /api/speed-mismatches`),
 * grouped by site; filled when the answer comes, hidden without monitoring.
 */
function speedMismatchCard(siteA: (code: string) => HTMLElement): HTMLElement {
  const el = h('section', { class: 'gap-card gap-speed-mismatch', 'data-gap': 'speed-mismatch', hidden: true });
  const port = (i: SpeedMismatchRow) =>
    h(
      'div',
      { class: 'small', 'data-speed-mismatch': `${i.hostname}|${i.ifName}` },
      h('span', { class: 'mono' }, `${i.hostname} ${i.ifName}`),
      ' ',
      t('speed.planReported', { plan: formatMbps(i.planSpeedMbps), reported: formatMbps(i.ifHighSpeedMbps) }),
      i.links.length ? h('span', { class: 'muted' }, ` · ${i.links.join(', ')}`) : null,
    );
  void api.speedMismatches().then(
    (r) => {
      const bySite = new Map<string, SpeedMismatchRow[]>();
      for (const i of r.interfaces) bySite.set(i.site, [...(bySite.get(i.site) ?? []), i]);
      const count = r.interfaces.length;
      const list =
        count === 0
          ? h('p', { class: 'muted' }, t('cov.noGaps'))
          : h('ul', { class: 'gap-sites' }, ...[...bySite].map(([site, ports]) => h('li', {}, siteA(site), ...ports.map(port))));
      replace(el, h('h3', {}, t('cov.gap.speedMismatch'), h('span', { class: `count ${count ? 'bad' : 'good'}` }, String(count))), list);
      el.hidden = false;
    },
    () => undefined,
  );
  return el;
}

type SpeedMismatchRow = Awaited<ReturnType<typeof api.speedMismatches>>['interfaces'][number];
