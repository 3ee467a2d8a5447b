import { select } from 'd3';
import type { Topology, TopologyLink } from '../../api/types';
import type { SiteStatus } from '../../coverage/model';
import { t } from '../../i18n/i18n';
import type { LinkLook } from '../../topology/colour';
import { drawNodeLabels, retranslateNodeLabels } from './map-labels';
import { applyLinkLooks, drawLinkHits, drawLinks, retitleLinks, type LinkSelection } from './map-links';
import { colourNodes, drawNodes, type NodeSelection } from './map-nodes';
import { drawRingLabels, drawRings, retranslateRingLabels } from './map-rings';
import { placeTopology } from './map-scene';
import { attachZoom } from './map-zoom';

/**
 * The SVG map: nodes and links placed once by the radial layout, then only
 * restyled (live link colours, coverage node colours, selection) — never laid
 * out again. d3.zoom pans and zooms one transform group; link strokes keep
 * their on-screen width (non-scaling-stroke) and township labels appear from
 * a zoom threshold on. One file per step: map-scene (placement), map-rings,
 * map-links, map-nodes, map-labels, map-zoom.
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

export function createMap(container: HTMLElement, opts: MapOptions): TopologyMap {
  const scene = placeTopology(opts.topology);
  const svg = select(container).append('svg').attr('class', 'topology-map').attr('role', 'img');
  const viewport = svg.append('g').attr('class', 'viewport');

  // Layers bottom to top: ring guides, links, their click targets, nodes, names, tier labels.
  drawRings(viewport, scene);
  const links = drawLinks(viewport, scene);
  drawLinkHits(viewport, scene, opts.onLink);
  const nodes = drawNodes(viewport, scene, opts);
  const nodeLabels = drawNodeLabels(viewport, scene);
  const ringLabels = drawRingLabels(viewport, scene);

  const panZoom = attachZoom(svg, viewport, container);
  svg.on('click', () => opts.onBackground());

  const retranslate = () => {
    retranslateRingLabels(ringLabels);
    retranslateNodeLabels(nodeLabels);
    svg.attr('aria-label', t('topo.title'));
    retitleLinks(links);
  };
  retranslate();
  panZoom.fit();

  return {
    setNodeStatus: (statusOf, titleOf) => colourNodes(nodes, statusOf, titleOf),
    setLinkLooks: (lookOf, ids) => applyLinkLooks(links, lookOf, ids),
    select: (target) => markSelected(nodes, links, target),
    reveal(nodeId, rightInset) {
      const p = scene.layout.positions.get(nodeId);
      if (p) panZoom.reveal(p, rightInset);
    },
    retranslate,
    fit: () => panZoom.fit(),
    destroy() {
      panZoom.detach();
      svg.remove();
    },
  };
}

/** Marks the selected site or link; `null` clears the mark. */
function markSelected(nodes: NodeSelection, links: LinkSelection, target: { site: string } | { link: string } | null): void {
  nodes.classed('selected', (d) => target !== null && 'site' in target && target.site === d.id);
  links.classed('selected', (d) => target !== null && 'link' in target && target.link === d.id);
}
