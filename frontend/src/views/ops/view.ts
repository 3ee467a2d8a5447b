import { api } from '../../api/client';
import type { LinkUtilization } from '../../api/types';
import { monitoring } from '../../data/monitoring';
import { h, replace } from '../../dom';
import { formatBps, formatMbps, formatPercent, formatTime } from '../../format/format';
import { t } from '../../i18n/i18n';
import { hrefOf } from '../../router';
import { utilizationChart } from '../topology/utilization-chart';
import { mountAlerts } from '../alerts/view';
import type { View } from '../view';
import { busiestLinks, OPS_RANGES, opsRange, type OpsRange } from './busiest';

/**
 * 运维 — for the operations staff: the busiest links of the latest poll cycle
 * (live, from the socket.io `links` events) and one link's utilization over
 * 24 h / 7 d / 30 d with in, out and the 95th percentile (the history API,
 * extended live by each cycle's reading). `#/ops?link=ID&range=7d`.
 *
 * The active alerts (with acknowledge and silence for the roles allowed) sit in
 * the `[data-slot=alerts]` section at the top, drawn by the alerts view.
 */
export const BUSIEST_N = 10;

export const opsView: View = {
  mount(root, params) {
    const alertsSlot = h('section', { class: 'ops-alerts', 'data-slot': 'alerts', 'data-testid': 'alerts-slot' });
    const busiestHost = h('div', { class: 'ops-busiest', 'data-testid': 'busiest' }, h('p', { class: 'muted' }, t('common.loading')));
    const chartHost = h('section', { class: 'ops-chart', 'data-testid': 'ops-chart' });
    replace(
      root,
      h(
        'div',
        { class: 'ops-view' },
        h('h1', { class: 'view-title' }, t('ops.title')),
        alertsSlot,
        h('div', { class: 'ops-grid' }, h('section', {}, h('h2', {}, t('ops.busiest', { n: BUSIEST_N })), busiestHost), chartHost),
      ),
    );

    const alerts = mountAlerts(alertsSlot, { history: false });

    let current = { link: params.link, range: opsRange(params.range) };
    let data: LinkUtilization | undefined;
    let abort: AbortController | undefined;

    const selected = () => current.link ?? busiestLinks(allStates(), 1)[0]?.id;

    const renderBusiest = () => {
      const top = busiestLinks(allStates(), BUSIEST_N);
      if (top.length === 0) return replace(busiestHost, h('p', { class: 'muted', 'data-testid': 'busiest-empty' }, t('ops.noReadings')));
      const sel = selected();
      replace(
        busiestHost,
        h(
          'table',
          { class: 'grid ops-table' },
          h(
            'thead',
            {},
            h('tr', {}, ...['ops.link', 'ops.tier', 'panel.in', 'panel.out', 'ops.capacity'].map((k) => h('th', {}, t(k as 'ops.link')))),
          ),
          h(
            'tbody',
            {},
            ...top.map(({ id, pct }) => {
              const l = monitoring.link(id)!;
              return h(
                'tr',
                { 'data-link': id, 'data-pct': pct.toFixed(3), class: id === sel ? 'selected' : '' },
                h('td', {}, h('a', { href: hrefOf('ops', { link: id, range: current.range }), class: 'mono' }, id)),
                h('td', {}, t(`linkTier.${l.tier}`)),
                h('td', { class: 'num' }, formatPercent(l.inPct), h('div', { class: 'muted small' }, formatBps(l.inBps))),
                h('td', { class: 'num' }, formatPercent(l.outPct), h('div', { class: 'muted small' }, formatBps(l.outBps))),
                h('td', { class: 'num' }, formatMbps(l.capacityMbps)),
              );
            }),
          ),
        ),
      );
    };

    const renderChart = () => {
      const id = selected();
      if (!id) return replace(chartHost, h('p', { class: 'muted' }, t('ops.pickLink')));
      const buttons = (Object.keys(OPS_RANGES) as OpsRange[]).map((r) =>
        h(
          'a',
          { href: hrefOf('ops', { link: id, range: r }), class: r === current.range ? 'range active' : 'range', 'data-range': r },
          t(`ops.range.${r}`),
        ),
      );
      const head = h(
        'h2',
        {},
        h('a', { href: hrefOf('topology', { link: id }), class: 'mono' }, id),
        h('span', { class: 'ops-ranges' }, ...buttons),
      );
      if (!data || data.link.id !== id) return replace(chartHost, head, h('p', { class: 'muted' }, t('common.loading')));
      const to = new Date(data.to);
      const from = new Date(data.from);
      const svg = utilizationChart(data.samples, 640, [from, to], 240, { p95: true });
      replace(
        chartHost,
        head,
        h(
          'div',
          { class: 'ops-chart-host', 'data-link': id, 'data-range': current.range, 'data-samples': String(data.samples.length) },
          svg,
        ),
        h('p', { class: 'muted small' }, t('ops.chartNote', { from: formatTime(data.from), to: formatTime(data.to) })),
      );
    };

    const load = () => {
      const id = selected();
      abort?.abort();
      data = undefined;
      renderChart();
      if (!id) return;
      abort = new AbortController();
      // The server's time (the lab may run on another clock): the end of the latest cycle, else the browser's.
      const last = monitoring.lastLinksAt();
      // The range's end is exclusive: a minute past the latest cycle, so its sample is in.
      const to = (last ? Date.parse(last) : Date.now()) + 60_000;
      const range = { from: new Date(to - OPS_RANGES[current.range]).toISOString(), to: new Date(to).toISOString() };
      api
        .utilization(id, abort.signal, range)
        .then((u) => {
          data = u;
          renderChart();
        })
        .catch((e: Error) => {
          if (e.name !== 'AbortError') replace(chartHost, h('p', { class: 'error' }, t('common.error', { message: e.message })));
        });
    };

    /** A cycle's reading of the link shown extends its chart (no refetch). */
    const extend = (ids: string[]) => {
      const id = selected();
      if (!data || !id || !ids.includes(id)) return;
      const l = monitoring.link(id);
      const at = monitoring.lastLinksAt();
      if (!l || !at || l.inBps === null || l.outBps === null || at <= (data.samples.at(-1)?.at ?? '')) return;
      data = {
        ...data,
        to: at > data.to ? at : data.to,
        samples: [
          ...data.samples,
          { at, inBps: l.inBps, outBps: l.outBps, capacityMbps: l.capacityMbps, inPct: l.inPct, outPct: l.outPct },
        ],
      };
      renderChart();
    };

    const off = monitoring.on((e) => {
      if (e.kind !== 'links') return;
      const before = selected();
      renderBusiest();
      if (before === undefined && selected() !== undefined) load();
      else extend(e.ids);
    });
    void monitoring.ready().then(() => {
      renderBusiest();
      load();
    });

    return {
      update(next) {
        const changed = next.link !== current.link || opsRange(next.range) !== current.range;
        current = { link: next.link, range: opsRange(next.range) };
        renderBusiest();
        if (changed) load();
      },
      unmount() {
        off();
        abort?.abort();
        alerts.unmount();
      },
    };
  },
};

const allStates = () => monitoring.links();
