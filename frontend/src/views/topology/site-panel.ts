import { DEVICE_STATUSES } from '../../../../topology/src/monitor/device-status'; // by path: see coverage/plan-coverage.ts
import { api } from '../../api/client';
import type { PrefixRow, SiteDetail } from '../../api/types';
import { gapsBySite, siteStatus, SITE_STATUS_COLOURS } from '../../coverage/model';
import { monitoring } from '../../data/monitoring';
import type { PlanData } from '../../data/plan';
import { h, replace } from '../../dom';
import { formatMbps, formatTime } from '../../format/format';
import { t } from '../../i18n/i18n';
import { failureName } from '../failure-name';
import { staleLine } from './staleness';

/**
 * The side panel of a site: what it is, its coverage class and why, its
 * devices (with their last poll when monitoring is up), its links with
 * capacity against target, and its prefixes (`/api/ipam/prefixes?site=`).
 */
export interface SitePanelContext {
  plan: PlanData;
  onSite: (code: string) => void;
  onLink: (id: string) => void;
  signal: AbortSignal;
}

export async function renderSitePanel(el: HTMLElement, code: string, ctx: SitePanelContext): Promise<void> {
  replace(el, h('p', { class: 'muted' }, t('common.loading')));
  const [site, prefixes] = await Promise.all([api.site(code, ctx.signal), api.prefixes({ site: code }, ctx.signal).catch(() => undefined)]);
  if (ctx.signal.aborted) return;
  const model = monitoring.coverage();
  const gapEntry = model?.gaps.find((g) => g.code === code);
  const status = siteStatus(site.status, model ? gapsBySite(model).get(code) : undefined);
  const siteLink = (c: string | null) =>
    c ? h('a', { href: '#', 'data-site-link': c, onclick: (e: Event) => (e.preventDefault(), ctx.onSite(c)) }, ctx.plan.nameOf(c)) : '—';

  replace(
    el,
    h(
      'header',
      { class: 'panel-head' },
      h('h2', { 'data-testid': 'panel-title' }, site.name),
      h('div', { class: 'panel-sub' }, `${site.code} · ${site.kind} · ${t(`tier.${site.tier}Long`)}`),
      model && h('span', { class: `badge status-${status}`, style: `--dot:${SITE_STATUS_COLOURS[status]}` }, t(`status.${status}`)),
    ),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, t('panel.parent')),
      h('dd', {}, siteLink(site.parent)),
      site.legalCounty && [h('dt', {}, t('panel.legalCounty')), h('dd', {}, siteLink(site.legalCounty))],
      h('dt', {}, t('panel.status')),
      h('dd', {}, t(`linkStatus.${site.status}`)),
      site.childSites.length > 0 && [h('dt', {}, t('panel.childCount')), h('dd', {}, String(site.childSites.length))],
    ),
    gapEntry &&
      gapEntry.singlePointsOfFailure.length > 0 &&
      h(
        'section',
        {},
        h('h3', {}, t('panel.spof')),
        h('ul', { class: 'plain' }, ...gapEntry.singlePointsOfFailure.map((f) => h('li', {}, failureName(f)))),
      ),
    h('section', {}, h('h3', {}, t('panel.devices')), devicesTable(site)),
    h('section', { 'data-testid': 'speed-mismatches', hidden: true }, h('h3', {}, t('speed.mismatches')), h('ul', { class: 'plain' })),
    h('section', {}, h('h3', {}, t('panel.links')), linksTable(site, ctx)),
    h('section', {}, h('h3', {}, t('panel.prefixes')), prefixesBlock(code, prefixes?.items ?? [])),
  );
  await monitoring.ready().catch(() => undefined);
  if (monitoring.status() !== 'plan-only' && !ctx.signal.aborted) void fillPollStatus(el, site, ctx.signal);
}

function devicesTable(site: SiteDetail): HTMLElement {
  return h(
    'table',
    { class: 'grid compact', 'data-testid': 'devices' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, t('panel.hostname')),
        h('th', {}, t('panel.role')),
        h('th', {}, t('panel.mgmt')),
        h('th', {}, t('panel.poll')),
      ),
    ),
    h(
      'tbody',
      {},
      ...site.deviceList.map((d) =>
        h(
          'tr',
          { 'data-device': d.hostname },
          h('td', { class: 'mono nowrap' }, d.hostname),
          h('td', {}, d.role, h('div', { class: 'muted small' }, [d.vendor, d.model].filter(Boolean).join(' ') || '')),
          h('td', { class: 'mono' }, d.mgmtAddress ?? '—'),
          h('td', { class: 'poll', 'data-poll': d.hostname }, '—'),
        ),
      ),
    ),
  );
}

function linksTable(site: SiteDetail, ctx: SitePanelContext): HTMLElement {
  const byContract = site.links.some((l) => !monitoring.link(l.id) && l.contractedMbps !== null);
  return h(
    'table',
    { class: 'grid compact' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, t('panel.link')),
        h('th', {}, t('panel.peer')),
        h('th', { class: 'num' }, t('panel.capacity')),
        h('th', { class: 'num' }, t('panel.target')),
      ),
    ),
    h(
      'tbody',
      {},
      ...ordered(site).map((l) => {
        const live = monitoring.link(l.id);
        const capacity = live?.capacityMbps ?? null;
        const short = capacity !== null ? capacity < l.targetMbps : l.contractedMbps !== null && l.contractedMbps < l.targetMbps;
        return h(
          'tr',
          { class: l.status === 'planned' ? 'planned' : '' },
          h(
            'td',
            {},
            h('a', { href: '#', class: 'mono', onclick: (e: Event) => (e.preventDefault(), ctx.onLink(l.id)) }, l.id),
            h('div', { class: 'muted small' }, `${t(`linkKind.${l.kind}`)} · ${t(`linkStatus.${l.status}`)}`),
          ),
          h('td', {}, l.peer ? ctx.plan.nameOf(l.peer) : '—'),
          h(
            'td',
            { class: `num ${short ? 'bad' : ''}` },
            capacity !== null ? formatMbps(capacity) : l.contractedMbps !== null ? `${formatMbps(l.contractedMbps)}*` : '—',
          ),
          h('td', { class: 'num' }, formatMbps(l.targetMbps)),
        );
      }),
    ),
    byContract && h('caption', { class: 'muted small' }, `* ${t('panel.contracted')}`),
  );
}

/** Its own links toward the core first (uplink, then backup), then its child sites' by site code. */
function ordered(site: SiteDetail): SiteDetail['links'] {
  const kindRank: Record<string, number> = { 'internet-exit': 0, uplink: 1, backup: 2 };
  const key = (l: SiteDetail['links'][number]) => [l.peer === site.parent ? 0 : 1, l.peer ?? '', kindRank[l.kind] ?? 3] as const;
  return [...site.links].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    return x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0) || x[2] - y[2];
  });
}

function prefixesBlock(code: string, prefixes: PrefixRow[]): HTMLElement {
  if (prefixes.length === 0) return h('p', { class: 'muted' }, t('panel.noPrefixes'));
  const own = prefixes.filter((p) => p.owner?.kind === 'site' && p.owner.id === code);
  const rest = prefixes.filter((p) => !own.includes(p));
  const table = (rows: PrefixRow[]) =>
    h(
      'table',
      { class: 'grid compact' },
      h(
        'tbody',
        {},
        ...rows.map((p) =>
          h(
            'tr',
            {},
            h('td', { class: 'mono' }, p.cidr),
            h('td', {}, p.vrf),
            h('td', {}, p.role),
            h('td', { class: 'muted small' }, p.description),
          ),
        ),
      ),
    );
  return h(
    'div',
    { 'data-testid': 'prefixes' },
    own.length > 0 && [h('h4', {}, t('panel.sitePrefixes')), table(own)],
    rest.length > 0 && h('details', {}, h('summary', {}, t('panel.linkPrefixes', { count: rest.length })), table(rest)),
  );
}

/** The poller's closed set of device statuses, plus not-polled. */
const POLL_STATUSES = [...DEVICE_STATUSES, 'not-polled'] as const;

async function fillPollStatus(el: HTMLElement, site: SiteDetail, signal: AbortSignal): Promise<void> {
  const mismatches: HTMLElement[] = [];
  await Promise.all(
    site.deviceList.map(async (d) => {
      const s = await api.deviceStatus(d.hostname, signal).catch(() => undefined);
      const cell = el.querySelector(`[data-poll="${CSS.escape(d.hostname)}"]`);
      if (!s || !cell || signal.aborted) return;
      const known = POLL_STATUSES.find((x) => x === s.status);
      const tone = s.status === 'ok' ? 'ok' : s.status === 'not-polled' ? 'none' : 'bad';
      replace(
        cell,
        h(
          'span',
          { class: `poll-${tone}`, 'data-status': s.status, title: s.lastError?.message ?? '' },
          known ? t(`poll.${known}`) : s.status,
        ),
        h('div', { class: 'muted small' }, formatTime(s.lastSuccessAt, false)),
        staleLine(s.interfaces.find((i) => i.stale)?.staleSince, s.lastSuccessAt),
      );
      for (const i of s.interfaces.filter((x) => x.speedMismatch)) {
        mismatches.push(
          h(
            'li',
            { 'data-speed-mismatch': `${d.hostname}|${i.ifName}` },
            h('span', { class: 'mono' }, `${d.hostname} ${i.ifName}`),
            ' ',
            h(
              'span',
              { class: 'bad' },
              t('speed.planReported', { plan: formatMbps(i.planSpeedMbps), reported: formatMbps(i.ifHighSpeedMbps) }),
            ),
            i.links.length ? h('span', { class: 'muted small' }, ` · ${i.links.join(', ')}`) : null,
          ),
        );
      }
    }),
  );
  const box = el.querySelector<HTMLElement>('[data-testid="speed-mismatches"]');
  if (!box || signal.aborted || mismatches.length === 0) return;
  box.querySelector('ul')?.append(...mismatches);
  box.hidden = false;
}
