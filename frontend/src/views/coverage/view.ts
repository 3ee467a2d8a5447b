import type { CoverageCounts, SiteTier } from '../../api/types';
import type { CoverageModel } from '../../coverage/model';
import type { CoverageSnapshot } from '../../../../topology/src/monitor/coverage-snapshot';
import { api } from '../../api/client';
import { monitoring } from '../../data/monitoring';
import { loadPlan, type PlanData } from '../../data/plan';
import { bar, h, replace } from '../../dom';
import { formatMbps, formatPercent, formatTime, ratioPercent } from '../../format/format';
import { t } from '../../i18n/i18n';
import { hrefOf } from '../../router';
import type { View } from '../view';
import { countiesCsv, downloadCsv, gapsCsv, tiersCsv, trendCsv } from './csv';
import { gapLists } from './gaps';
import { trendChart } from './trend';

/**
 * 覆盖 — for leadership: per tier (市 / 县区 / 乡镇街道) how many sites are
 * connected, meet their bandwidth target and have a backup; the internet exit;
 * one row per county-level unit; and the gap lists (gaps.ts). From
 * `/api/coverage` (live), or from the plan when monitoring is not there.
 */
export const coverageView: View = {
  mount(root) {
    const body = h('div', { class: 'coverage-view' }, h('p', { class: 'muted' }, t('common.loading')));
    replace(root, body);
    let plan: PlanData | undefined;
    /** The daily snapshots; an Error when they could not be read. */
    let history: CoverageSnapshot[] | Error | undefined;
    const render = () => {
      const model = monitoring.coverage();
      if (plan && model) replace(body, ...dashboard(model, plan, history));
    };
    api
      .coverageHistory()
      .then((r) => (history = r.days))
      .catch((e: Error) => (history = e))
      .finally(render);
    const off = monitoring.on((e) => e.kind === 'coverage' && render());
    void Promise.all([loadPlan(), monitoring.ready()])
      .then(([p]) => {
        plan = p;
        render();
      })
      .catch((e: Error) => replace(body, h('p', { class: 'error' }, t('common.error', { message: e.message }))));
    return { update() {}, unmount: off };
  },
};

const TIERS: Array<{ tier: SiteTier; key: 'tier.city' | 'tier.county' | 'tier.township' }> = [
  { tier: 'city', key: 'tier.city' },
  { tier: 'county', key: 'tier.county' },
  { tier: 'township', key: 'tier.township' },
];

/** A button that downloads one table as CSV (`data-csv` names the table). */
function csvButton(table: string, csv: () => string): HTMLElement {
  const b = h('button', { type: 'button', class: 'csv-button no-print', 'data-csv': table }, t('covx.csv'));
  b.addEventListener('click', () => downloadCsv(`coverage-${table}-${new Date().toISOString().slice(0, 10)}.csv`, csv()));
  return b;
}

function trendSection(history: CoverageSnapshot[] | Error | undefined): HTMLElement {
  const content =
    history === undefined
      ? h('p', { class: 'muted' }, t('common.loading'))
      : history instanceof Error
        ? h('p', { class: 'muted' }, t('common.error', { message: history.message }))
        : history.length === 0
          ? h('p', { class: 'muted', 'data-testid': 'trend-empty' }, t('covx.trendEmpty'))
          : h('div', { class: 'trend-host' }, trendChart(history));
  return h(
    'section',
    { class: 'trend no-print', 'data-testid': 'trend', 'data-days': Array.isArray(history) ? String(history.length) : '' },
    h('h2', {}, t('covx.trend'), Array.isArray(history) && history.length > 0 ? csvButton('trend', () => trendCsv(history)) : null),
    content,
  );
}

function dashboard(m: CoverageModel, plan: PlanData, history: CoverageSnapshot[] | Error | undefined): HTMLElement[] {
  const print = h('button', { type: 'button', class: 'print-button no-print', 'data-testid': 'print' }, t('covx.print'));
  print.addEventListener('click', () => window.print());
  return [
    h(
      'div',
      { class: 'view-head' },
      h('h1', { class: 'view-title' }, t('cov.title')),
      h(
        'div',
        { class: 'view-actions no-print' },
        csvButton('tiers', () => tiersCsv(m)),
        print,
      ),
    ),
    m.source === 'plan'
      ? h('p', { class: 'banner', 'data-testid': 'plan-only' }, t('cov.planOnly'))
      : h('p', { class: 'muted' }, t('cov.asOf', { time: formatTime(m.at) })),
    h('div', { class: 'tiles' }, overallTile(m), ...TIERS.map(({ tier, key }) => tierTile(t(key), tier, m.tiers[tier])), exitTile(m)),
    h(
      'h2',
      {},
      t('cov.counties'),
      csvButton('counties', () => countiesCsv(m)),
    ),
    countyTable(m),
    trendSection(history),
    h(
      'h2',
      { class: 'no-print' },
      t('cov.gaps'),
      m.source === 'plan' ? h('span', { class: 'muted small' }, ` (${t('cov.estimated')})`) : null,
      csvButton('gaps', () => gapsCsv(m)),
    ),
    h('div', { class: 'no-print' }, gapLists(m, plan)),
  ];
}

function measure(label: string, n: number, total: number, note?: string): HTMLElement {
  const pct = ratioPercent(n, total);
  const colour = pct === null ? '#adb5bd' : pct >= 100 ? '#2f9e44' : pct >= 90 ? '#f59f00' : '#e8590c';
  return h(
    'div',
    { class: 'measure' },
    h('span', { class: 'measure-label' }, label),
    h('span', { class: 'measure-value' }, h('b', {}, String(n)), ` / ${total}`),
    h('span', { class: 'measure-pct' }, formatPercent(pct, 1)),
    bar(pct, colour),
    note ? h('span', { class: 'measure-note muted small' }, note) : null,
  );
}

function overallTile(m: CoverageModel): HTMLElement {
  return h(
    'section',
    { class: 'tile tile-overall', 'data-tier': 'overall' },
    h('h3', {}, t('cov.overall'), h('span', { class: 'tile-total' }, `${t('cov.total')} ${m.overall.sites}`)),
    measure(t('cov.fullyCompliant'), m.overall.fullyCompliant, m.overall.sites),
    measure(t('cov.requirements'), m.overall.meetingRequirements, m.overall.sites),
    h(
      'p',
      { class: `no-data-line ${m.overall.noData ? 'muted' : 'good'}`, 'data-testid': 'no-data', 'data-count': String(m.overall.noData) },
      m.overall.noData ? t('covx.noDataSites', { count: m.overall.noData }) : t('covx.allMeasured'),
    ),
  );
}

/** `c.noData`: sites of the tier whose target cannot be judged yet for want of readings (not counted below target). */
function tierTile(title: string, tier: SiteTier, c: CoverageCounts): HTMLElement {
  const noData = c.noData;
  return h(
    'section',
    { class: 'tile', 'data-tier': tier },
    h('h3', {}, h('span', { class: 'tier-name' }, title), h('span', { class: 'tile-total' }, `${t('cov.total')} ${c.total}`)),
    measure(t('cov.connected'), c.connected, c.total),
    measure(t('cov.meetingTarget'), c.meetingTarget, c.total, noData ? t('cov.notPolled', { count: noData }) : undefined),
    measure(t('cov.withBackup'), c.withBackup, c.total),
  );
}

function exitTile(m: CoverageModel): HTMLElement {
  const exit = m.internetExit;
  const target = Math.max(0, ...exit.links.map((l) => l.targetMbps));
  const ok = exit.meetsTarget;
  const noData = !ok && exit.links.length > 0 && exit.links.every((l) => l.reason === 'not-polled');
  const status = ok ? 'compliant' : noData ? 'not-polled' : 'below-target';
  return h(
    'section',
    { class: `tile tile-exit ${ok || noData ? 'ok' : 'bad'}`, 'data-testid': 'exit', 'data-status': status },
    h('h3', {}, t('cov.exit'), h('span', { class: `badge status-${status}` }, t(`status.${status}`))),
    h('p', {}, t('cov.exitUp', { up: exit.up, total: exit.links.length })),
    h('p', {}, t('cov.exitCapacity', { capacity: formatMbps(exit.capacityMbps), target: formatMbps(target || null) })),
    h(
      'p',
      {},
      `${t('cov.exitRedundant')}: `,
      h('b', { class: exit.redundant ? 'good' : 'bad' }, exit.redundant ? t('common.yes') : t('common.no')),
    ),
    h(
      'ul',
      { class: 'plain small' },
      ...exit.links.map((l) =>
        h(
          'li',
          {},
          h('a', { href: hrefOf('topology', { link: l.id }), class: 'mono' }, l.id),
          ` · ${t(`state.${l.state}`)} · ${formatMbps(l.capacityMbps)}`,
          l.reason ? h('span', { class: 'bad' }, ` · ${t(`reason.${l.reason}`)}`) : null,
        ),
      ),
    ),
  );
}

function countyTable(m: CoverageModel): HTMLElement {
  const yesNo = (v: boolean, unknown = false) =>
    unknown ? h('span', { class: 'muted', title: t('status.not-polled') }, '—') : h('span', { class: v ? 'good' : 'bad' }, v ? '✓' : '✗');
  const cell = (n: number, total: number) =>
    h(
      'td',
      { class: `num ${n < total ? 'short' : ''}` },
      String(n),
      h('span', { class: 'muted small' }, ` ${formatPercent(ratioPercent(n, total), 0)}`),
    );
  return h(
    'table',
    { class: 'grid county-table', 'data-testid': 'county-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { rowspan: 2 }, t('cov.county')),
        h('th', { colspan: 3 }, t('cov.uplink')),
        h('th', { colspan: 5 }, t('cov.townships')),
      ),
      h(
        'tr',
        {},
        h('th', {}, t('cov.connected')),
        h('th', {}, t('cov.meetingTarget')),
        h('th', {}, t('cov.withBackup')),
        h('th', { class: 'num' }, t('cov.total')),
        h('th', { class: 'num' }, t('cov.connected')),
        h('th', { class: 'num' }, t('cov.meetingTarget')),
        h('th', { class: 'num' }, t('cov.withBackup')),
        h('th', { class: 'num' }, t('cov.fullyCompliant')),
      ),
    ),
    h(
      'tbody',
      {},
      ...m.counties.map((c) =>
        h(
          'tr',
          { 'data-county': c.code },
          h('td', {}, h('a', { href: hrefOf('topology', { site: c.code }) }, c.name), h('div', { class: 'muted small mono' }, c.code)),
          h('td', { class: 'center' }, yesNo(c.connected)),
          h('td', { class: 'center' }, yesNo(c.meetsTarget, c.noData)),
          h('td', { class: 'center' }, yesNo(c.hasBackup)),
          h('td', { class: 'num' }, String(c.townships.total)),
          cell(c.townships.connected, c.townships.total),
          cell(c.townships.meetingTarget, c.townships.total),
          cell(c.townships.withBackup, c.townships.total),
          cell(c.townships.fullyCompliant, c.townships.total),
        ),
      ),
    ),
  );
}
