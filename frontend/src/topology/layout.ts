import { hierarchy, tree, type HierarchyPointNode } from 'd3';

/**
 * Deterministic radial layout of the three tiers: the city at the centre,
 * county-level units on the inner ring, townships on the outer ring, placed by
 * d3.tree (Reingold–Tilford) on the primary-uplink hierarchy (`parent` = the
 * site a site uplinks to). Backup links are not part of the tree; the map draws
 * them as curves over it. The internet exit sits beside the city, in the widest
 * gap between county-level units, so no uplink crosses it.
 *
 * No randomness and no dependence on input order: children are ordered by site
 * code, so the same network always lands in the same place.
 * Angles are radians clockwise from 12 o'clock; y grows downwards (SVG).
 */

export interface LayoutInput {
  id: string;
  tier: string;
  parent: string | null;
}

export interface LayoutOptions {
  /** Radius of the county-level ring, px. Default 210. */
  innerRadius?: number;
  /** Radius of the township ring, px. Default 440. */
  outerRadius?: number;
}

export interface NodePosition {
  x: number;
  y: number;
  /** Radians clockwise from 12 o'clock, in [0, 2π). */
  angle: number;
  radius: number;
  /** Ring: 0 city (centre), 1 county-level, 2 township; -1 for the internet exit. */
  depth: number;
}

export interface RadialLayout {
  positions: Map<string, NodePosition>;
  /** One ring per tier that has sites, for guides and tier labels. */
  rings: Array<{ tier: 'county' | 'township'; radius: number }>;
  /** Middle of the widest gap between two county-level units' fans of townships: free room for the ring labels. */
  labelAngle: number;
}

export const INTERNET_TIER = 'internet';
const VIRTUAL_ROOT = '\u0000root';

interface TreeDatum {
  id: string;
  children: TreeDatum[];
}

/** Polar (clockwise from 12 o'clock) to SVG cartesian. */
export function polar(angle: number, radius: number): { x: number; y: number } {
  return { x: radius * Math.sin(angle) + 0, y: -radius * Math.cos(angle) + 0 }; // + 0: no -0 at the centre
}

/**
 * @example
 * const { positions } = radialLayout(topology.nodes)
 * positions.get('4413')    // → { x: 0, y: 0, radius: 0, depth: 0, … }
 * positions.get('441302')  // → on the 210 px ring
 */
export function radialLayout(nodes: readonly LayoutInput[], opts: LayoutOptions = {}): RadialLayout {
  const inner = opts.innerRadius ?? 210;
  const outer = opts.outerRadius ?? 440;
  const ringOf = (depth: number) => (depth <= 0 ? 0 : depth === 1 ? inner : outer + (depth - 2) * (outer - inner));

  const sites = nodes.filter((n) => n.tier !== INTERNET_TIER);
  const root = buildTree(sites);
  const h = hierarchy(root, (d) => d.children);
  // nodeSize keeps x in separation units, so the wrap-around gap can be added below.
  const laid = tree<TreeDatum>()
    .nodeSize([1, 1])
    .separation((a, b) => (a.parent === b.parent ? 1 : 2) / Math.max(1, a.depth))(h);

  const all = laid.descendants();
  const leaves = laid.leaves();
  const minX = Math.min(...all.map((d) => d.x));
  const maxX = Math.max(...all.map((d) => d.x));
  const first = leaves[0]!;
  const last = leaves[leaves.length - 1]!;
  const wrap = leaves.length > 1 ? (first.parent === last.parent ? 1 : 2) / Math.max(1, first.depth) : 1;
  const span = maxX - minX + wrap;
  const angleOf = (d: HierarchyPointNode<TreeDatum>) => ((d.x - minX) / span) * 2 * Math.PI;

  // A site's ring is its tier's (an orphan township still lands on the township
  // ring); only without a single city does the depth under the virtual root decide.
  const virtual = root.id === VIRTUAL_ROOT;
  const tierOf = new Map(sites.map((s) => [s.id, s.tier]));
  const tierRing: Record<string, number> = { city: 0, county: 1, township: 2 };
  const positions = new Map<string, NodePosition>();
  for (const d of all) {
    if (d.data.id === VIRTUAL_ROOT) continue;
    const depth = virtual ? d.depth : (tierRing[tierOf.get(d.data.id) ?? ''] ?? d.depth);
    const radius = ringOf(depth);
    const angle = radius === 0 ? 0 : angleOf(d);
    positions.set(d.data.id, { ...polar(angle, radius), angle, radius, depth });
  }

  for (const n of nodes.filter((x) => x.tier === INTERNET_TIER).sort((a, b) => cmp(a.id, b.id))) {
    const angle = widestGap([...positions.values()].filter((p) => p.depth === 1).map((p) => p.angle));
    const radius = inner * 0.42;
    positions.set(n.id, { ...polar(angle, radius), angle, radius, depth: -1 });
  }

  const parentOf = new Map(all.map((d) => [d.data.id, d.parent?.data.id]));
  const outerRing = sites
    .filter((n) => positions.get(n.id)?.depth === 2)
    .map((n) => ({ angle: positions.get(n.id)!.angle, group: parentOf.get(n.id) }));
  const labelAngle =
    outerRing.length > 1
      ? widestGap(
          outerRing.map((o) => o.angle),
          outerRing.map((o) => o.group),
        )
      : widestGap([...positions.values()].filter((p) => p.depth === 1).map((p) => p.angle));

  const depths = new Set([...positions.values()].map((p) => p.depth));
  const rings: RadialLayout['rings'] = [];
  if (depths.has(1)) rings.push({ tier: 'county', radius: inner });
  if (depths.has(2)) rings.push({ tier: 'township', radius: outer });
  return { positions, rings, labelAngle };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The tree of primary uplinks, children sorted by code. The city is the root;
 * without exactly one city (a partial plan), a virtual root holds every site
 * whose parent is unknown. Cycles in `parent` cannot hang it: a site is placed
 * once, under the first parent that reaches the root.
 */
function buildTree(sites: readonly LayoutInput[]): TreeDatum {
  const byId = new Map<string, TreeDatum>();
  for (const s of [...sites].sort((a, b) => cmp(a.id, b.id))) byId.set(s.id, { id: s.id, children: [] });
  const cities = sites.filter((s) => s.tier === 'city');
  const root: TreeDatum = cities.length === 1 ? byId.get(cities[0]!.id)! : { id: VIRTUAL_ROOT, children: [] };

  const parentOf = new Map(sites.map((s) => [s.id, s.parent]));
  const placed = new Set<string>([root.id]);
  const place = (id: string, trail: Set<string>): void => {
    if (placed.has(id)) return;
    const p = parentOf.get(id) ?? null;
    let parent = root;
    if (p !== null && byId.has(p) && !trail.has(p) && p !== id) {
      place(p, new Set([...trail, id]));
      if (placed.has(p)) parent = byId.get(p)!;
    }
    parent.children.push(byId.get(id)!);
    placed.add(id);
  };
  for (const id of byId.keys()) place(id, new Set());
  const sortDeep = (d: TreeDatum) => {
    d.children.sort((a, b) => cmp(a.id, b.id));
    d.children.forEach(sortDeep);
  };
  sortDeep(root);
  return root;
}

/**
 * Middle of the widest angular gap between the given angles (the opposite of
 * 12 o'clock when there are none). With `groups`, only gaps between two angles
 * of different groups count (gaps between fans, not inside one); ties go to the
 * first gap clockwise from 12 o'clock.
 */
export function widestGap(angles: readonly number[], groups?: ReadonlyArray<string | undefined>): number {
  const twoPi = 2 * Math.PI;
  if (angles.length === 0) return Math.PI;
  const order = angles.map((a, i) => ({ a, g: groups?.[i] })).sort((x, y) => x.a - y.a);
  let best = { width: -1, mid: Math.PI };
  order.forEach((cur, i) => {
    const nextItem = order[(i + 1) % order.length]!;
    if (groups && order.length > 1 && cur.g === nextItem.g) return;
    const next = i + 1 < order.length ? nextItem.a : nextItem.a + twoPi;
    const width = next - cur.a;
    if (width > best.width + 1e-9) best = { width, mid: (cur.a + width / 2) % twoPi };
  });
  return best.mid;
}
