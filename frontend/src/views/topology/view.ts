import type { TopologyLink } from '../../api/types';
import { gapsBySite, siteStatus } from '../../coverage/model';
import { monitoring } from '../../data/monitoring';
import { loadPlan, type PlanData } from '../../data/plan';
import { h, replace } from '../../dom';
import { formatPercent, formatTime } from '../../format/format';
import { t } from '../../i18n/i18n';
import { busierPct, linkLook } from '../../topology/colour';
import type { View } from '../view';
import { legend } from './legend';
import { renderLinkPanel } from './link-panel';
import { createMap, type TopologyMap } from './map';
import { mapTools } from './map-tools';
import { renderSitePanel } from './site-panel';

/**
 * 拓扑 — the map, its key, and the side panel of the selected site or link.
 * Route parameters: `?site=CODE` or `?link=ID` open the panel.
 * Live `links` events restyle only the links they name; `coverage` events recolour the nodes.
 */
export const topologyView: View = {
  mount(root, params, navigate) {
    const mapHost = h('div', { class: 'map-host', 'data-testid': 'map' });
    const note = h('div', { class: 'map-note', 'data-testid': 'map-note' });
    const panelBody = h('div', { class: 'panel-body' });
    const panel = h(
      'aside',
      { class: 'panel', hidden: true, 'data-testid': 'panel' },
      h(
        'button',
        { type: 'button', class: 'panel-close', title: t('common.close'), 'aria-label': t('common.close'), onclick: () => navigate({}) },
        '×',
      ),
      panelBody,
    );
    const fitButton = h('button', { type: 'button', class: 'map-fit', onclick: () => map?.fit() }, t('topo.fit'));
    const tools = h('div', { class: 'map-tools-host' });
    replace(
      root,
      h(
        'div',
        { class: 'topology-view' },
        h('h1', { class: 'view-title' }, t('topo.title')),
        mapHost,
        fitButton,
        note,
        tools,
        legend(),
        panel,
      ),
    );

    let map: TopologyMap | undefined;
    let plan: PlanData | undefined;
    let panelAbort: AbortController | undefined;
    let disposed = false;
    /** A site chosen in the search: its panel opens with a flight to it rather than a pan. */
    let flying: string | undefined;
    let current = params;

    const lookOf = (l: TopologyLink) => {
      const live = monitoring.link(l.id);
      return linkLook({
        status: l.status,
        state: live?.state,
        pct: live ? busierPct(live.inPct, live.outPct) : null,
        staleSince: live?.staleSince,
      });
    };
    const colourNodes = () => {
      const model = monitoring.coverage();
      if (!map || !plan || !model) return;
      const gaps = gapsBySite(model);
      const p = plan;
      map.setNodeStatus(
        (id) => (p.site(id) ? siteStatus(p.site(id)!.status, gaps.get(id)) : undefined),
        (id) => {
          const s = p.site(id);
          return s ? `${s.name} (${s.code}) · ${t(`status.${siteStatus(s.status, gaps.get(id))}`)}` : t('tier.internet');
        },
      );
    };
    const updateNote = () => {
      const status = monitoring.status();
      const model = monitoring.coverage();
      const at = monitoring.lastLinksAt();
      const overall = model ? `${t('cov.fullyCompliant')} ${formatPercent(model.overall.fullyCompliantPct)}` : '';
      const built = plan ? plan.topology.links.filter((l) => l.status === 'built') : [];
      const received = built.filter((l) => monitoring.link(l.id)).length;
      const state =
        status === 'plan-only'
          ? t('topo.planOnly')
          : status === 'rest'
            ? t('topo.noLive')
            : at
              ? [
                  t('topo.updated', { time: formatTime(at) }),
                  received < built.length ? t('topo.received', { count: received, total: built.length }) : '',
                ]
              : t('topo.waiting');
      replace(note, [state, overall].flat().filter(Boolean).join(' · '));
      note.dataset.mode = status;
    };

    const openPanel = async (p: Record<string, string>) => {
      current = p;
      panelAbort?.abort();
      map?.select(p.site ? { site: p.site } : p.link ? { link: p.link } : null);
      if (!plan || (!p.site && !p.link)) {
        panel.hidden = true;
        return;
      }
      panel.hidden = false;
      const node = p.site ?? plan.topology.links.find((l) => l.id === p.link)?.target;
      if (node && flying === node) map?.flyTo(node, panel.offsetWidth);
      else if (node) map?.reveal(node, panel.offsetWidth);
      flying = undefined;
      const abort = (panelAbort = new AbortController());
      const ctx = {
        plan,
        signal: abort.signal,
        onSite: (code: string) => navigate({ site: code }),
        onLink: (id: string) => navigate({ link: id }),
      };
      try {
        const link = p.link ? plan.topology.links.find((l) => l.id === p.link) : undefined;
        if (p.site) await renderSitePanel(panelBody, p.site, ctx);
        else if (link) await renderLinkPanel(panelBody, link, ctx);
        else replace(panelBody, h('p', { class: 'error' }, t('common.error', { message: p.link ?? '' })));
      } catch (e) {
        if (!abort.signal.aborted) replace(panelBody, h('p', { class: 'error' }, t('common.error', { message: (e as Error).message })));
      }
    };

    const off = monitoring.on((e) => {
      if (!map) return;
      if (e.kind === 'links') map.setLinkLooks(lookOf, e.ids);
      if (e.kind === 'coverage') colourNodes();
      updateNote();
    });

    void (async () => {
      try {
        plan = await loadPlan();
      } catch (e) {
        replace(mapHost, h('p', { class: 'error' }, t('common.error', { message: (e as Error).message })));
        return;
      }
      if (disposed) return;
      map = createMap(mapHost, {
        topology: plan.topology,
        onSite: (code) => navigate({ site: code }),
        onLink: (id) => navigate({ link: id }),
        onBackground: () => navigate({}),
      });
      map.setLinkLooks(lookOf);
      replace(
        tools,
        mapTools({
          nodes: plan.topology.nodes,
          map: () => map,
          onPick: (code) => {
            flying = code;
            if (current.site === code) void openPanel(current);
            else navigate({ site: code });
          },
        }),
      );
      colourNodes();
      updateNote();
      void openPanel(params);
      await monitoring.ready().catch(() => undefined);
      if (!disposed) {
        colourNodes();
        updateNote();
        mapHost.dataset.ready = 'true';
      }
    })();

    return {
      update: (p) => void openPanel(p),
      unmount() {
        disposed = true;
        off();
        panelAbort?.abort();
        map?.destroy();
      },
    };
  },
};
