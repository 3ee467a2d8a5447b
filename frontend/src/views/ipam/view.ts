import { api } from '../../api/client';
import type { PrefixRow } from '../../api/types';
import { loadPlan, type PlanData } from '../../data/plan';
import { bar, h, replace } from '../../dom';
import { bigPercent, formatInteger, formatPercent } from '../../format/format';
import { t } from '../../i18n/i18n';
import { hrefOf } from '../../router';
import type { View } from '../view';
import { lookupBox } from './lookup';
import { writePanel } from './write';

/**
 * 地址 — for network engineers: the root blocks of each routing domain with
 * their utilization (`/api/ipam/prefixes?role=root`, `/api/ipam/utilization`),
 * a drill-down into any prefix's children (`?vrf=&cidr=` in the route), and the
 * address lookup box (lookup.ts), and for the roles that may write the
 * address space the allocate / reserve / release forms (write.ts).
 */
export const ipamView: View = {
  mount(root, params, navigate) {
    const content = h('div', { class: 'ipam-content' });
    let abort = new AbortController();
    let current = params;
    const show = (p: Record<string, string>) => {
      abort.abort();
      abort = new AbortController();
      const signal = abort.signal;
      replace(content, h('p', { class: 'muted' }, t('common.loading')));
      const work = p.vrf && p.cidr ? drill(p.vrf, p.cidr, signal) : roots(signal);
      work
        .then((els) => !signal.aborted && replace(content, ...els))
        .catch((e: Error) => !signal.aborted && replace(content, h('p', { class: 'error' }, t('common.error', { message: e.message }))));
    };
    // Only for the roles that may write; after a write the list is read again.
    const write = writePanel(() => show(current));
    replace(
      root,
      h(
        'div',
        { class: 'ipam-view' },
        h('h1', { class: 'view-title' }, t('ipam.title')),
        lookupBox((vrf, cidr) => navigate({ vrf, cidr })),
        write?.el,
        content,
      ),
    );
    const go = (p: Record<string, string>) => {
      current = p;
      write?.setContext(p);
      show(p);
    };
    go(params);
    return { update: go, unmount: () => abort.abort() };
  },
};

const VRF_NAMES: Record<string, 'ipam.vrf.public' | 'ipam.vrf.backup' | 'ipam.vrf.mgmt'> = {
  public: 'ipam.vrf.public',
  backup: 'ipam.vrf.backup',
  mgmt: 'ipam.vrf.mgmt',
};
const vrfName = (vrf: string) => (VRF_NAMES[vrf] ? `${t(VRF_NAMES[vrf])} (${vrf})` : vrf);
const usageColour = (pct: number | null) => (pct === null ? '#adb5bd' : pct >= 90 ? '#e03131' : pct >= 75 ? '#f08c00' : '#1c7ed6');

async function roots(signal: AbortSignal): Promise<HTMLElement[]> {
  const list = await api.prefixes({ role: 'root' }, signal);
  const usage = await Promise.all(list.items.map((p) => api.prefixUtilization(p.vrf, p.cidr, signal)));
  // The plan's domains in their usual order (public, backup, mgmt), any other after them.
  const rank = (vrf: string) => {
    const i = Object.keys(VRF_NAMES).indexOf(vrf);
    return i === -1 ? 99 : i;
  };
  const byVrf = new Map<string, number[]>();
  [...list.items.keys()]
    .sort((a, b) => rank(list.items[a]!.vrf) - rank(list.items[b]!.vrf))
    .forEach((i) => {
      const vrf = list.items[i]!.vrf;
      byVrf.set(vrf, [...(byVrf.get(vrf) ?? []), i]);
    });
  return [
    h('h2', {}, t('ipam.roots')),
    ...[...byVrf].map(([vrf, idx]) =>
      h(
        'section',
        { class: 'vrf', 'data-vrf': vrf },
        h('h3', {}, vrfName(vrf)),
        h(
          'table',
          { class: 'grid roots' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, t('ipam.prefix')),
              h('th', {}, t('ipam.role')),
              h('th', { class: 'usage' }, t('ipam.usage')),
              h('th', { class: 'num' }, t('ipam.children')),
              h('th', {}, t('ipam.description')),
            ),
          ),
          h(
            'tbody',
            {},
            ...idx.map((i) => {
              const p = list.items[i]!;
              const u = usage[i]!;
              return h(
                'tr',
                { 'data-prefix': p.cidr },
                h('td', {}, h('a', { class: 'mono', href: hrefOf('ipam', { vrf: p.vrf, cidr: p.cidr }) }, p.cidr)),
                h('td', {}, p.pool),
                h(
                  'td',
                  { class: 'usage' },
                  bar(u.percent, usageColour(u.percent)),
                  h('span', { class: 'pct' }, formatPercent(u.percent, 2)),
                  h(
                    'div',
                    { class: 'muted small' },
                    t('ipam.units', { used: formatInteger(u.usedUnits), total: formatInteger(u.totalUnits), unit: u.unit }),
                  ),
                ),
                h('td', { class: 'num' }, String(u.children)),
                h('td', { class: 'muted small' }, p.description),
              );
            }),
          ),
        ),
      ),
    ),
  ];
}

async function drill(vrf: string, cidr: string, signal: AbortSignal): Promise<HTMLElement[]> {
  const [self, usage, children, plan] = await Promise.all([
    api.prefix(vrf, cidr, signal),
    api.prefixUtilization(vrf, cidr, signal),
    api.prefixes({ vrf, parent: cidr }, signal),
    loadPlan().catch(() => undefined),
  ]);
  const chain = await ancestors(self, signal);
  return [
    h(
      'nav',
      { class: 'crumbs', 'aria-label': 'breadcrumb' },
      h('a', { href: hrefOf('ipam') }, t('ipam.allRoots')),
      ...chain.map((p) => [' › ', h('a', { class: 'mono', href: hrefOf('ipam', { vrf, cidr: p.cidr }) }, p.cidr)]),
      ' › ',
      h('b', { class: 'mono' }, self.cidr),
    ),
    h(
      'section',
      { class: 'prefix-head', 'data-prefix': self.cidr },
      h('h2', { class: 'mono' }, self.cidr, h('span', { class: 'muted small' }, ` ${vrfName(vrf)}`)),
      h(
        'p',
        {},
        `${self.role} · ${self.status}${self.owner ? ` · ${ownerName(self.owner, plan)}` : ''}`,
        self.description ? ` · ${self.description}` : '',
      ),
      h(
        'div',
        { class: 'usage' },
        bar(usage.percent, usageColour(usage.percent)),
        h('span', { class: 'pct' }, formatPercent(usage.percent, 2)),
        h(
          'span',
          { class: 'muted small' },
          ` ${t('ipam.units', { used: formatInteger(usage.usedUnits), total: formatInteger(usage.totalUnits), unit: usage.unit })}`,
        ),
      ),
    ),
    h('h3', {}, `${t('ipam.children')} (${children.total})`),
    children.items.length === 0
      ? h('p', { class: 'muted' }, t('ipam.noChildren'))
      : h(
          'table',
          { class: 'grid children', 'data-testid': 'children' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, t('ipam.prefix')),
              h('th', {}, t('ipam.role')),
              h('th', {}, t('ipam.status')),
              h('th', {}, t('ipam.owner')),
              h('th', { class: 'usage' }, t('ipam.usage')),
              h('th', {}, t('ipam.description')),
            ),
          ),
          h(
            'tbody',
            {},
            ...children.items.map((c) => {
              const pct = bigPercent(c.used, c.size);
              return h(
                'tr',
                { 'data-prefix': c.cidr, class: `status-${c.status}` },
                h('td', {}, h('a', { class: 'mono', href: hrefOf('ipam', { vrf, cidr: c.cidr }) }, c.cidr)),
                h('td', {}, c.role),
                h('td', {}, c.status),
                h('td', {}, c.owner ? ownerName(c.owner, plan) : '—'),
                h('td', { class: 'usage' }, bar(pct, usageColour(pct)), h('span', { class: 'pct' }, formatPercent(pct, 2))),
                h('td', { class: 'muted small' }, c.description),
              );
            }),
          ),
        ),
  ];
}

/** Root first; stops at 16 levels (prefixes nest a few deep at most). */
async function ancestors(p: PrefixRow, signal: AbortSignal): Promise<PrefixRow[]> {
  const out: PrefixRow[] = [];
  let cur = p;
  for (let i = 0; cur.parent && i < 16; i++) {
    cur = await api.prefix(p.vrf, cur.parent, signal);
    out.unshift(cur);
  }
  return out;
}

function ownerName(owner: NonNullable<PrefixRow['owner']>, plan: PlanData | undefined): string {
  return owner.kind === 'site' && plan ? `${plan.nameOf(owner.id)} (${owner.id})` : `${owner.kind} ${owner.id}`;
}
