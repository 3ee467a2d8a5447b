import { symbol, symbolDiamond, type Selection } from 'd3';
import type { TopologyLink, TopologyNode } from '../../api/types';
import type { SiteStatus } from '../../coverage/model';
import { SITE_STATUS_COLOURS } from '../../coverage/model';
import { NODE_RADIUS, type Layer, type Scene } from './map-scene';

/**
 * The map's nodes: a circle per site, a diamond for the internet exit, each a
 * focusable button (click, Enter or Space) coloured by its coverage class.
 */
export type NodeSelection = Selection<SVGGElement, TopologyNode, SVGGElement, unknown>;

/** What activating a node opens. */
export interface NodeTargets {
  onSite: (code: string) => void;
  onLink: (id: string) => void;
}

export function drawNodes(viewport: Layer, scene: Scene, open: NodeTargets): NodeSelection {
  const activate = nodeActivation(scene.links, open);
  const nodes = viewport
    .append('g')
    .attr('class', 'nodes')
    .selectAll<SVGGElement, TopologyNode>('g')
    .data(scene.nodes, (d) => d.id)
    .join('g')
    .attr('class', (d) => `node node-${d.tier}`)
    .attr('data-node', (d) => d.id)
    .attr('data-site', (d) => (d.tier === 'internet' ? null : d.id))
    .attr('transform', (d) => `translate(${scene.pos(d.id).x.toFixed(2)},${scene.pos(d.id).y.toFixed(2)})`)
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
  nodes
    .filter((d) => d.tier !== 'internet')
    .append('circle')
    .attr('class', 'node-shape')
    .attr('r', (d) => NODE_RADIUS[d.tier] ?? 5);
  nodes
    .filter((d) => d.tier === 'internet')
    .append('path')
    .attr('class', 'node-shape')
    .attr('d', symbol(symbolDiamond, 2.2 * NODE_RADIUS.internet! ** 2)());
  nodes.append('title');
  return nodes;
}

/** A site opens its panel; the internet exit opens the panel of its link. */
function nodeActivation(links: readonly TopologyLink[], open: NodeTargets): (node: TopologyNode) => void {
  return (d) => {
    if (d.tier !== 'internet') return open.onSite(d.id);
    const exit = links.find((l) => l.target === d.id || l.source === d.id);
    if (exit) open.onLink(exit.id);
  };
}

/** Colours nodes by coverage class (`undefined` leaves a node neutral) and sets their tooltips. */
export function colourNodes(nodes: NodeSelection, statusOf: (id: string) => SiteStatus | undefined, titleOf: (id: string) => string): void {
  nodes.attr('data-status', (d) => statusOf(d.id) ?? null);
  nodes.select('.node-shape').attr('fill', (d) => {
    const s = statusOf(d.id);
    return s ? SITE_STATUS_COLOURS[s] : d.tier === 'internet' ? '#4dabf7' : '#dee2e6';
  });
  nodes.select('title').text((d) => titleOf(d.id));
}
