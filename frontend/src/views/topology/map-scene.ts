import type { Selection } from 'd3';
import type { Topology, TopologyLink, TopologyNode } from '../../api/types';
import { radialLayout, type NodePosition, type RadialLayout } from '../../topology/layout';

/**
 * The map's scene: the topology placed once by the radial layout, in layout
 * px (the zoom scales them all). The drawing steps read it; nothing moves after.
 */
export interface Scene {
  layout: RadialLayout;
  /** Where a node sits; the centre for a node the layout did not place. */
  pos(id: string): NodePosition;
  /** The nodes the layout placed. */
  nodes: TopologyNode[];
  /** The links both of whose ends are placed. */
  links: TopologyLink[];
}

/** One `<g>` of the map; the drawing steps append their elements to it. */
export type Layer = Selection<SVGGElement, unknown, null, undefined>;

/** Radius of the county-level ring, layout px. */
const INNER = 210;
/** Radius of the township ring, layout px; `fit` frames this ring. */
export const OUTER = 440;
/** Node radius by tier, layout px. */
export const NODE_RADIUS: Record<string, number> = { city: 13, county: 8.5, township: 4.6, internet: 10 };

export function placeTopology(topology: Topology): Scene {
  const layout = radialLayout(topology.nodes, { innerRadius: INNER, outerRadius: OUTER });
  const pos = (id: string): NodePosition => layout.positions.get(id) ?? { x: 0, y: 0, angle: 0, radius: 0, depth: 0 };
  return {
    layout,
    pos,
    nodes: topology.nodes.filter((n) => layout.positions.has(n.id)),
    links: topology.links.filter((l) => layout.positions.has(l.source) && layout.positions.has(l.target)),
  };
}
