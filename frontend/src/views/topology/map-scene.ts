import type { Topology, TopologyLink, TopologyNode } from '../../api/types';
import { radialLayout, type NodePosition, type RadialLayout } from '../../topology/layout';
import { ringSpacing } from '../../topology/lod';

/**
 * The map's scene: the topology placed once by the radial layout (layout px;
 * the zoom scales them), with what drawing, hit-testing, the level of detail
 * and the filters need per site. Nothing moves after; live states only recolour.
 */
export interface SceneNode extends TopologyNode {
  x: number;
  y: number;
  angle: number;
  /** Glyph radius, layout px: the tier's, or less where neighbours are closer. */
  r: number;
  /** The county-level unit it belongs to (itself for one); null for the city and the internet exit. */
  county: string | null;
}

export interface SceneLink extends TopologyLink {
  a: SceneNode;
  b: SceneNode;
  /** Stroke width, screen px. */
  width: number;
}

export interface Scene {
  layout: RadialLayout;
  nodes: SceneNode[];
  byId: Map<string, SceneNode>;
  links: SceneLink[];
  /** Mean distance between neighbours on each ring, layout px. */
  spacing: { township: number; county: number };
  /** Half the side of the square that holds the whole map, layout px. */
  extent: number;
  /** The county-level units, by code. */
  counties: SceneNode[];
  /** Number of sites (every node but the internet exit). */
  siteCount: number;
}

/** Radius of the county-level ring, layout px. */
const INNER = 210;
/** Radius of the township ring, layout px; `fit` frames this ring. */
export const OUTER = 440;
/** Room around the township ring, layout px (names and aggregate bands). */
export const FIT_PADDING = 30;
/** Node radius by tier, layout px, where there is room. */
export const NODE_RADIUS: Record<string, number> = { city: 13, county: 8.5, township: 4.6, internet: 10 };
/** Link width by tier, screen px. */
const LINK_WIDTH: Record<string, number> = { 'city-internet': 5, 'city-county': 3.2, 'county-township': 1.6 };

export function placeTopology(topology: Topology): Scene {
  const layout = radialLayout(topology.nodes, { innerRadius: INNER, outerRadius: OUTER });
  const tierCount = (tier: string) => topology.nodes.filter((n) => n.tier === tier).length;
  const spacing = { township: ringSpacing(OUTER, tierCount('township')), county: ringSpacing(INNER, tierCount('county')) };
  const radius = (tier: string) => {
    const room = tier === 'township' ? spacing.township : tier === 'county' ? spacing.county : Infinity;
    return Math.min(NODE_RADIUS[tier] ?? 5, room * 0.42);
  };
  const raw = new Map(topology.nodes.map((n) => [n.id, n]));
  /** The county-level unit above a site (a short walk up its parents; a cycle in a partial plan stops it). */
  const countyOf = (n: TopologyNode): string | null => {
    let at: TopologyNode | undefined = n;
    for (let hops = 0; at && hops < 8; hops++, at = at.parent ? raw.get(at.parent) : undefined) if (at.tier === 'county') return at.id;
    return null;
  };
  const nodes: SceneNode[] = [];
  for (const n of topology.nodes) {
    const p: NodePosition | undefined = layout.positions.get(n.id);
    if (!p) continue;
    nodes.push({ ...n, x: p.x, y: p.y, angle: p.angle, r: radius(n.tier), county: countyOf(n) });
  }
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const links: SceneLink[] = [];
  for (const l of topology.links) {
    const a = byId.get(l.source);
    const b = byId.get(l.target);
    if (!a || !b) continue;
    const base = LINK_WIDTH[l.tier] ?? 1.5;
    links.push({ ...l, a, b, width: base * (l.kind === 'backup' ? 0.8 : 1) });
  }
  return {
    layout,
    nodes,
    byId,
    links,
    spacing,
    extent: OUTER + FIT_PADDING,
    counties: nodes.filter((n) => n.tier === 'county').sort((a, b) => (a.id < b.id ? -1 : 1)),
    siteCount: nodes.filter((n) => n.tier !== 'internet').length,
  };
}
