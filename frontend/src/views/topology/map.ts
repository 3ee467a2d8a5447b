import { select, zoom, zoomIdentity, zoomTransform, symbol, symbolDiamond, type Selection, type ZoomBehavior } from 'd3';
import type { Topology, TopologyLink, TopologyNode } from '../../api/types';
import type { SiteStatus } from '../../coverage/model';
import { SITE_STATUS_COLOURS } from '../../coverage/model';
import { t } from '../../i18n/i18n';
import type { LinkLook } from '../../topology/colour';
import { linkPath } from '../../topology/geometry';
import { radialLabel, showTownshipLabels } from '../../topology/labels';
import { polar, radialLayout, type NodePosition } from '../../topology/layout';

/**
 * The SVG map: nodes and links placed once by the radial layout, then only
 * restyled (live link colours, coverage node colours, selection) — never laid
 * out again. d3.zoom pans and zooms one transform group; link strokes keep
 * their on-screen width (non-scaling-stroke) and township labels appear from
 * a zoom threshold on.
 */
export interface TopologyMap {
  /** Colours nodes by coverage class; `undefined` leaves a node neutral. */
  setNodeStatus(statusOf: (id: string) => SiteStatus | undefined, titleOf: (id: string) => string): void;
  /** Restyles links (all, or the given ids) — colour and dash only. */
  setLinkLooks(lookOf: (link: TopologyLink) => LinkLook, ids?: readonly string[]): void;
  select(target: { site: string } | { link: string } | null): void;
  /** Pans (keeping the zoom) so the node lies in the part of the map not covered on the right by `rightInset` px. */
  reveal(nodeId: string, rightInset: number): void;
  /** Re-reads the translated texts (tier ring labels, tooltips). */
  retranslate(): void;
  fit(): void;
  destroy(): void;
}

export interface MapOptions {
  topology: Topology;
  onSite: (code: string) => void;
  onLink: (id: string) => void;
  /** A click on empty map (not after a drag). */
  onBackground: () => void;
}

/** Link width by tier, screen px. */
const LINK_WIDTH: Record<string, number> = { 'city-internet': 5, 'city-county': 3.2, 'county-township': 1.6 };
const NODE_RADIUS: Record<string, number> = { city: 13, county: 8.5, township: 4.6, internet: 10 };
const INNER = 210;
const CITY_LABEL_RADIUS = 40;
const OUTER = 440;

export function createMap(container: HTMLElement, opts: MapOptions): TopologyMap {
  const { nodes, links } = opts.topology;
  const layout = radialLayout(nodes, { innerRadius: INNER, outerRadius: OUTER });
  const pos = (id: string): NodePosition => layout.positions.get(id) ?? { x: 0, y: 0, angle: 0, radius: 0, depth: 0 };
  const drawable = links.filter((l) => layout.positions.has(l.source) && layout.positions.has(l.target));

  const svg = select(container).append('svg').attr('class', 'topology-map').attr('role', 'img');
  const viewport = svg.append('g').attr('class', 'viewport');

  const rings = viewport.append('g').attr('class', 'rings');
  rings.selectAll('circle').data(layout.rings).join('circle').attr('r', (d) => d.radius).attr('class', 'ring');
  const linkSel = viewport
    .append('g')
    .attr('class', 'links')
    .selectAll<SVGPathElement, TopologyLink>('path')
    .data(drawable, (d) => d.id)
    .join('path')
    .attr('class', (d) => `link link-${d.kind}`)
    .attr('data-link', (d) => d.id)
    .attr('d', (d) => linkPath(d.kind, pos(d.source), pos(d.target)))
    .attr('stroke-width', (d) => (LINK_WIDTH[d.tier] ?? 1.5) * (d.kind === 'backup' ? 0.8 : 1));
  linkSel.append('title');

  viewport
    .append('g')
    .attr('class', 'link-hits')
    .selectAll<SVGPathElement, TopologyLink>('path')
    .data(drawable, (d) => d.id)
    .join('path')
    .attr('class', 'link-hit')
    .attr('data-link-hit', (d) => d.id)
    .attr('d', (d) => linkPath(d.kind, pos(d.source), pos(d.target)))
    .on('click', (e: MouseEvent, d) => {
      e.stopPropagation();
      opts.onLink(d.id);
    });

  /** A site opens its panel; the internet exit opens the panel of its link. */
  const activate = (d: TopologyNode) => {
    if (d.tier !== 'internet') return opts.onSite(d.id);
    const exit = drawable.find((l) => l.target === d.id || l.source === d.id);
    if (exit) opts.onLink(exit.id);
  };
  const nodeSel = viewport
    .append('g')
    .attr('class', 'nodes')
    .selectAll<SVGGElement, TopologyNode>('g')
    .data(nodes.filter((n) => layout.positions.has(n.id)), (d) => d.id)
    .join('g')
    .attr('class', (d) => `node node-${d.tier}`)
    .attr('data-node', (d) => d.id)
    .attr('data-site', (d) => (d.tier === 'internet' ? null : d.id))
    .attr('transform', (d) => `translate(${pos(d.id).x.toFixed(2)},${pos(d.id).y.toFixed(2)})`)
    .attr('tabindex', 0)
    .attr('role', 'button')
    .attr('aria-label', (d) => d.name)
    .on('click', (e: MouseEvent, d) => {
      e.stopPropagation();
      activate(d);
    })
    .on('keydown', (e: KeyboardEvent, d) => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      e.preventDefault();
      activate(d);
    });
  nodeSel.filter((d) => d.tier !== 'internet').append('circle').attr('class', 'node-shape').attr('r', (d) => NODE_RADIUS[d.tier] ?? 5);
  nodeSel
    .filter((d) => d.tier === 'internet')
    .append('path')
    .attr('class', 'node-shape')
    .attr('d', symbol(symbolDiamond, 2.2 * NODE_RADIUS.internet! ** 2)());
  nodeSel.append('title');

  const labels = viewport.append('g').attr('class', 'labels');
  const labelSel = labels
    .selectAll<SVGTextElement, TopologyNode>('text')
    .data(nodes.filter((n) => layout.positions.has(n.id)), (d) => d.id)
    .join('text')
    .attr('class', (d) => `label label-${d.tier}`)
    .attr('data-label', (d) => d.id)
    .text((d) => d.name)
    .each(function (d) {
      const p = pos(d.id);
      const el = select(this);
      if (d.tier === 'township') {
        const l = radialLabel(p.angle, NODE_RADIUS.township! + 3);
        el.attr('transform', `translate(${p.x.toFixed(2)},${p.y.toFixed(2)}) rotate(${l.rotate.toFixed(2)})`)
          .attr('x', l.dx).attr('dy', '0.35em').attr('text-anchor', l.anchor);
      } else {
        el.attr('x', p.x).attr('y', p.y + (NODE_RADIUS[d.tier] ?? 6) + 13).attr('text-anchor', 'middle');
      }
    });

  // The city's tier label goes opposite the internet exit when the exit sits in the same gap.
  const exitAngle = nodes.filter((n) => n.tier === 'internet').map((n) => pos(n.id).angle)[0];
  const clash = exitAngle !== undefined && Math.abs(Math.atan2(Math.sin(exitAngle - layout.labelAngle), Math.cos(exitAngle - layout.labelAngle))) < 0.6;
  const cityLabel = polar(layout.labelAngle + (clash ? Math.PI : 0), CITY_LABEL_RADIUS);
  const ringLabels = viewport
    .append('g')
    .attr('class', 'ring-labels')
    .selectAll<SVGTextElement, (typeof layout.rings)[number]>('text')
    .data([{ tier: 'city' as const, radius: 0 }, ...layout.rings])
    .join('text')
    .attr('class', (d) => `ring-label ring-label-${d.tier}`)
    .attr('data-tier', (d) => d.tier)
    .attr('text-anchor', 'middle')
    .attr('dy', '0.35em')
    // In the gap between two fans: the city's label just off the centre, the rings' on their ring.
    .attr('x', (d) => (d.radius ? polar(layout.labelAngle, d.radius) : cityLabel).x)
    .attr('y', (d) => (d.radius ? polar(layout.labelAngle, d.radius) : cityLabel).y);

  const applyZoomClasses = (k: number) => svg.classed('show-township-labels', showTownshipLabels(k));
  const zoomer: ZoomBehavior<SVGSVGElement, unknown> = zoom<SVGSVGElement, unknown>()
    .scaleExtent([0.3, 8])
    .on('zoom', (e: { transform: { k: number; toString(): string } }) => {
      viewport.attr('transform', e.transform.toString());
      applyZoomClasses(e.transform.k);
    });
  (svg as unknown as Selection<SVGSVGElement, unknown, null, undefined>).call(zoomer).on('dblclick.zoom', null);
  svg.on('click', () => opts.onBackground());

  const fit = () => {
    const w = container.clientWidth || 1000;
    const hgt = container.clientHeight || 700;
    const extent = OUTER + 30;
    const k = Math.max(0.3, Math.min(w, hgt) / (2 * extent));
    const transform = zoomIdentity.translate(w / 2, hgt / 2).scale(k);
    (svg as unknown as Selection<SVGSVGElement, unknown, null, undefined>).call(zoomer.transform, transform);
  };

  const retranslate = () => {
    ringLabels.text((d) => t(d.tier === 'city' ? 'tier.city' : d.tier === 'county' ? 'tier.county' : 'tier.township'));
    // Site names are official and stay Chinese; the internet exit is ours to name.
    labelSel.filter((d) => d.tier === 'internet').text(t('tier.internet'));
    svg.attr('aria-label', t('topo.title'));
    linkSel.select('title').text((d) => `${d.id} · ${t(`linkKind.${d.kind}`)} · ${t(`linkTier.${d.tier}`)}`);
  };
  retranslate();
  fit();

  return {
    setNodeStatus(statusOf, titleOf) {
      nodeSel.attr('data-status', (d) => statusOf(d.id) ?? null);
      nodeSel.select('.node-shape').attr('fill', (d) => {
        const s = statusOf(d.id);
        return s ? SITE_STATUS_COLOURS[s] : d.tier === 'internet' ? '#4dabf7' : '#dee2e6';
      });
      nodeSel.select('title').text((d) => titleOf(d.id));
    },
    setLinkLooks(lookOf, ids) {
      const only = ids ? new Set(ids) : undefined;
      linkSel
        .filter((d) => !only || only.has(d.id))
        .each(function (d) {
          const look = lookOf(d);
          select(this).attr('stroke', look.stroke).attr('stroke-dasharray', look.dash).attr('data-look', look.kind);
        });
    },
    select(target) {
      nodeSel.classed('selected', (d) => target !== null && 'site' in target && target.site === d.id);
      linkSel.classed('selected', (d) => target !== null && 'link' in target && target.link === d.id);
    },
    reveal(nodeId, rightInset) {
      const p = layout.positions.get(nodeId);
      const el = svg.node();
      if (!p || !el) return;
      const w = container.clientWidth;
      const hgt = container.clientHeight;
      const tr = zoomTransform(el);
      const [sx, sy] = tr.apply([p.x, p.y]);
      // The smallest pan that brings it `room` px inside the free part: the rest of the map stays where it was.
      const margin = 40;
      const room = 120;
      const right = w - rightInset;
      if (sx >= margin && sx <= right - margin && sy >= margin && sy <= hgt - margin) return;
      const dx = sx > right - margin ? right - room - sx : sx < margin ? room - sx : 0;
      const dy = sy > hgt - margin ? hgt - room - sy : sy < margin ? room - sy : 0;
      (svg as unknown as Selection<SVGSVGElement, unknown, null, undefined>)
        .transition()
        .duration(300)
        .call(zoomer.transform, zoomIdentity.translate(tr.x + dx, tr.y + dy).scale(tr.k));
    },
    retranslate,
    fit,
    destroy() {
      svg.on('.zoom', null);
      svg.remove();
    },
  };
}
