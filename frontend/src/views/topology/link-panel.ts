import { INTERNET_NODE } from '../../../../topology/src/plan/views'; // by path: see coverage/plan-coverage.ts
import { api } from '../../api/client';
import type { LinkRow, TopologyLink } from '../../api/types';
import { monitoring } from '../../data/monitoring';
import type { PlanData } from '../../data/plan';
import { h, replace } from '../../dom';
import { formatBps, formatMbps, formatPercent, formatPps, formatTime } from '../../format/format';
import { t } from '../../i18n/i18n';
import { staleLine } from './staleness';
import { utilizationChart } from './utilization-chart';

/**
 * The side panel of a link: plan facts (kind, tier, ends, carrier, target,
 * contract), its live state, and a chart of the last 24 h
 * (`GET /api/links/:id/utilization`) with current, peak and daily p95.
 */
export async function renderLinkPanel(
  el: HTMLElement,
  link: TopologyLink,
  ctx: { plan: PlanData; onSite: (code: string) => void; signal: AbortSignal },
): Promise<void> {
  const live = monitoring.link(link.id);
  const end = (code: string) =>
    code === INTERNET_NODE
      ? t('tier.internet')
      : h('a', { href: '#', onclick: (e: Event) => (e.preventDefault(), ctx.onSite(code)) }, ctx.plan.nameOf(code));
  const chartBox = h('div', { class: 'chart-box', 'data-testid': 'utilization' }, h('p', { class: 'muted' }, t('common.loading')));
  const errorsBox = h('section', { 'data-testid': 'link-errors' });
  replace(
    el,
    h(
      'header',
      { class: 'panel-head' },
      h('h2', { class: 'mono', 'data-testid': 'panel-title' }, link.id),
      h('div', { class: 'panel-sub' }, `${t(`linkKind.${link.kind}`)} · ${t(`linkTier.${link.tier}`)}`),
    ),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, t('panel.ends')),
      h('dd', {}, end(link.source), ' — ', end(link.target)),
      h('dt', {}, t('panel.status')),
      h(
        'dd',
        {},
        t(`linkStatus.${link.status}`),
        live ? ` · ${t(`state.${live.state}`)}` : '',
        staleLine(live?.staleSince, live?.polledAt),
      ),
      h('dt', {}, t('panel.target')),
      h('dd', {}, formatMbps(link.targetMbps)),
      h('dt', {}, t('panel.contracted')),
      h('dd', {}, formatMbps(link.contractedMbps)),
      live && [
        h('dt', {}, t('panel.capacity')),
        h('dd', { class: live.capacityMbps !== null && live.capacityMbps < link.targetMbps ? 'bad' : '' }, formatMbps(live.capacityMbps)),
      ],
      live?.reason && [
        h('dt', {}, t('panel.coverage')),
        h('dd', { class: 'bad' }, t(`reason.${live.reason}`), live.detail ? h('div', { class: 'muted small' }, live.detail) : null),
      ],
      h('dt', {}, t('panel.carrier')),
      h('dd', {}, link.carrier ?? '—'),
    ),
    h('section', {}, h('h3', {}, t('panel.utilization')), chartBox),
    errorsBox,
  );

  // Plan-only: the monitoring API is not mounted, so do not ask it (a 404 per click).
  await monitoring.ready().catch(() => undefined);
  if (ctx.signal.aborted) return;
  if (monitoring.status() === 'plan-only') return replace(chartBox, h('p', { class: 'muted' }, t('panel.noMonitoring')));
  const ends = ctx.plan.links.find((l) => l.id === link.id);
  if (ends) void fillErrors(errorsBox, ends, ctx);
  const u = await api.utilization(link.id, ctx.signal).catch((e: Error) => e);
  if (ctx.signal.aborted) return;
  if (u instanceof Error) return replace(chartBox, h('p', { class: 'error' }, t('common.error', { message: u.message })));
  if (!u) return replace(chartBox, h('p', { class: 'muted' }, t('panel.noMonitoring')));
  const measured = live
    ? null
    : h(
        'dl',
        { class: 'facts measured' },
        h('dt', {}, t('panel.capacity')),
        h(
          'dd',
          { class: u.link.capacityMbps !== null && u.link.capacityMbps < link.targetMbps ? 'bad' : '' },
          formatMbps(u.link.capacityMbps),
        ),
        u.link.reason && [h('dt', {}, t('panel.coverage')), h('dd', { class: 'bad' }, t(`reason.${u.link.reason}`))],
      );
  if (u.samples.length === 0) return replace(chartBox, measured, h('p', { class: 'muted' }, t('panel.noSamples')));
  const p95 = u.daily[u.daily.length - 1];
  const cap = u.link.capacityMbps;
  const pctOf = (bps: number) => (cap ? (bps / (cap * 1e6)) * 100 : null);
  replace(
    chartBox,
    measured,
    utilizationChart(u.samples, Math.max(300, Math.min(560, chartBox.clientWidth || 400)), [new Date(u.from), new Date(u.to)]),
    h(
      'table',
      { class: 'grid compact stats' },
      h('thead', {}, h('tr', {}, h('th', {}), h('th', { class: 'num' }, t('panel.in')), h('th', { class: 'num' }, t('panel.out')))),
      h(
        'tbody',
        {},
        u.current &&
          h(
            'tr',
            {},
            h('td', {}, t('panel.current'), h('div', { class: 'muted small' }, formatTime(u.current.at))),
            h('td', { class: 'num' }, formatBps(u.current.inBps), h('div', { class: 'muted small' }, formatPercent(u.current.inPct))),
            h('td', { class: 'num' }, formatBps(u.current.outBps), h('div', { class: 'muted small' }, formatPercent(u.current.outPct))),
          ),
        u.peak &&
          h(
            'tr',
            {},
            h('td', {}, t('panel.peak')),
            h(
              'td',
              { class: 'num' },
              formatBps(u.peak.in.bps),
              h('div', { class: 'muted small' }, `${formatPercent(u.peak.in.pct)} · ${formatTime(u.peak.in.at, false)}`),
            ),
            h(
              'td',
              { class: 'num' },
              formatBps(u.peak.out.bps),
              h('div', { class: 'muted small' }, `${formatPercent(u.peak.out.pct)} · ${formatTime(u.peak.out.at, false)}`),
            ),
          ),
        p95 &&
          h(
            'tr',
            {},
            h('td', {}, t('panel.p95'), h('div', { class: 'muted small' }, p95.day)),
            h('td', { class: 'num' }, formatBps(p95.in.p95), h('div', { class: 'muted small' }, formatPercent(pctOf(p95.in.p95)))),
            h('td', { class: 'num' }, formatBps(p95.out.p95), h('div', { class: 'muted small' }, formatPercent(pctOf(p95.out.p95)))),
          ),
      ),
    ),
  );
}

/**
 * Errors and discards per second at both ends of the link, from each end
 * device's poll status (the same accepted interval as the rates): a link can
 * meet its bandwidth target and still drop packets.
 */
async function fillErrors(el: HTMLElement, link: LinkRow, ctx: { plan: PlanData; signal: AbortSignal }): Promise<void> {
  const rows = await Promise.all(
    [link.a, link.b].map(async (end) => {
      const status = await api.deviceStatus(end.device, ctx.signal).catch(() => undefined);
      return { end, status, itf: status?.interfaces.find((i) => i.ifName === end.interface) };
    }),
  );
  if (ctx.signal.aborted || rows.every((r) => !r.itf || r.itf.lastPolled === null)) return; // nothing measured yet: no empty table
  replace(
    el,
    h('h3', {}, t('panel.errors')),
    h(
      'table',
      { class: 'grid compact stats' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, t('panel.end')),
          h('th', { class: 'num' }, t('panel.inErrors')),
          h('th', { class: 'num' }, t('panel.outErrors')),
          h('th', { class: 'num' }, t('panel.inDiscards')),
        ),
      ),
      h(
        'tbody',
        {},
        ...rows.map(({ end, status, itf }) =>
          h(
            'tr',
            { 'data-device': end.device },
            h('td', {}, ctx.plan.nameOf(end.site), h('div', { class: 'muted small mono' }, `${end.device} ${end.interface}`)),
            ...(status && !status.managed
              ? [h('td', { class: 'muted small', colspan: '3' }, t('panel.unmanaged'))]
              : [itf?.inErrorsPerSec, itf?.outErrorsPerSec, itf?.inDiscardsPerSec].map((v) =>
                  h('td', { class: v ? 'num bad' : 'num' }, formatPps(v)),
                )),
          ),
        ),
      ),
    ),
  );
}
