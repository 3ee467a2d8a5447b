import { z } from 'zod';
import { LINK_KINDS, LINK_STATUSES, LINK_TIERS, SITE_TIERS } from './schema';
import type { TopologyLink, TopologyNode, TopologyView } from './views';

/**
 * Two more forms of the drawing view (`GET /api/topology`), pure, for maps of
 * a province or a country:
 * - per county-level unit: the unit, its townships and every link touching
 *   them, with the far end of its uplink and backup (the city) as a node;
 * - compact: the same content as columns (one array per field) instead of one
 *   object per node and link — the field names are written once, not 100,000
 *   times; {@link expandTopology} turns it back into the full form.
 */

const col = <T extends z.ZodType>(t: T) => z.array(t);

/** `GET /api/topology/compact`: the drawing view by columns; index i of every array is node (or link) i. */
export const topologyCompactSchema = z
  .object({
    nodes: z.object({
      id: col(z.string()),
      name: col(z.string()),
      tier: col(z.enum([...SITE_TIERS, 'internet'])),
      kind: col(z.string()),
      parent: col(z.string().nullable()),
      legalCounty: col(z.string().nullable()),
    }),
    links: z.object({
      id: col(z.string()),
      source: col(z.string()),
      target: col(z.string()),
      kind: col(z.enum(LINK_KINDS)),
      tier: col(z.enum(LINK_TIERS)),
      status: col(z.enum(LINK_STATUSES)),
      targetMbps: col(z.number()),
      contractedMbps: col(z.number().nullable()),
      carrier: col(z.string().nullable()),
    }),
  })
  .meta({ id: 'TopologyCompact' });
export type TopologyCompact = z.infer<typeof topologyCompactSchema>;

const NODE_FIELDS = ['id', 'name', 'tier', 'kind', 'parent', 'legalCounty'] as const;
const LINK_FIELDS = ['id', 'source', 'target', 'kind', 'tier', 'status', 'targetMbps', 'contractedMbps', 'carrier'] as const;

/** The view by columns. */
export function compactTopology(view: TopologyView): TopologyCompact {
  const columns = <R, K extends keyof R>(rows: readonly R[], fields: readonly K[]) =>
    Object.fromEntries(fields.map((f) => [f, rows.map((r) => r[f])])) as { [F in K]: R[F][] };
  return { nodes: columns(view.nodes, NODE_FIELDS), links: columns(view.links, LINK_FIELDS) };
}

/** The full form of a compact view: `expandTopology(compactTopology(v))` deep-equals `v`. */
export function expandTopology(c: TopologyCompact): TopologyView {
  const rows = <K extends string>(cols: Record<K, unknown[]>, fields: readonly K[]) =>
    (cols[fields[0]!] ?? []).map((_, i) => Object.fromEntries(fields.map((f) => [f, cols[f][i]])));
  return {
    nodes: rows(c.nodes, NODE_FIELDS) as TopologyNode[],
    links: rows(c.links, LINK_FIELDS) as TopologyLink[],
  };
}

/**
 * The part of the view for one county-level unit: the unit, the townships
 * under it, the links with an end at any of them, and the nodes at those
 * links' other ends (the city, for the unit's uplink and backup). Order is the
 * full view's. `undefined` when `county` is not a county-level node of the view.
 *
 * @example topologyOfCounty(view, '441302')?.nodes.map((n) => n.id) // ['4413', '441302', '441302001', …]
 */
export function topologyOfCounty(view: TopologyView, county: string): TopologyView | undefined {
  if (!view.nodes.some((n) => n.id === county && n.tier === 'county')) return undefined;
  const inUnit = new Set(view.nodes.filter((n) => n.id === county || (n.tier === 'township' && n.parent === county)).map((n) => n.id));
  const links = view.links.filter((l) => inUnit.has(l.source) || inUnit.has(l.target));
  const shown = new Set(inUnit);
  for (const l of links) shown.add(l.source).add(l.target);
  return { nodes: view.nodes.filter((n) => shown.has(n.id)), links };
}
