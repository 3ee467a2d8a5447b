import { quadtree, type Quadtree } from 'd3';
import { bowControl, type Pt } from './geometry';

/**
 * Hit-testing of the map through quadtrees (d3-quadtree): the site nearest a
 * point within reach, else the link nearest it. Links are indexed by their
 * middle; a query visits the links whose middle lies within half the longest
 * link of the point and measures the exact distance to each (backup curves as
 * a polyline of their quadratic). Coordinates are layout px; the caller turns
 * its on-screen tolerance into layout px (divides by the zoom).
 */

export interface HitSite {
  id: string;
  x: number;
  y: number;
  /** Drawn radius, layout px (added to the tolerance). */
  r: number;
}

export interface HitLink {
  id: string;
  kind: string;
  a: Pt;
  b: Pt;
}

interface IndexedLink extends HitLink {
  mx: number;
  my: number;
}

export interface HitIndex {
  sites: Quadtree<HitSite>;
  links: Quadtree<IndexedLink>;
  maxSiteR: number;
  maxHalf: number;
}

export type Hit = { site: string } | { link: string } | null;

export function hitIndex(sites: readonly HitSite[], links: readonly HitLink[]): HitIndex {
  const indexed = links.map((l) => ({ ...l, mx: (l.a.x + l.b.x) / 2, my: (l.a.y + l.b.y) / 2 }));
  return {
    sites: quadtree<HitSite>()
      .x((d) => d.x)
      .y((d) => d.y)
      .addAll([...sites]),
    links: quadtree<IndexedLink>()
      .x((d) => d.mx)
      .y((d) => d.my)
      .addAll(indexed),
    maxSiteR: Math.max(0, ...sites.map((s) => s.r)),
    maxHalf: indexed.reduce((m, l) => Math.max(m, Math.hypot(l.b.x - l.a.x, l.b.y - l.a.y) / 2 + (l.kind === 'backup' ? 46 : 0)), 0),
  };
}

/** Distance from p to the segment a–b. */
export function segmentDistance(p: Pt, a: Pt, b: Pt): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** Distance from p to a link as drawn: a straight spoke, or a backup's quadratic curve (16 pieces). */
export function linkDistance(p: Pt, l: HitLink): number {
  if (l.kind !== 'backup') return segmentDistance(p, l.a, l.b);
  const c = bowControl(l.a, l.b);
  let best = Infinity;
  let prev = l.a;
  for (let i = 1; i <= 16; i++) {
    const t = i / 16;
    const u = 1 - t;
    const q = { x: u * u * l.a.x + 2 * u * t * c.x + t * t * l.b.x, y: u * u * l.a.y + 2 * u * t * c.y + t * t * l.b.y };
    best = Math.min(best, segmentDistance(p, prev, q));
    prev = q;
  }
  return best;
}

/**
 * The site under a point (within its radius plus `tolerance`), else the link
 * within `tolerance`; only what `shown` accepts counts (what is drawn).
 */
export function hitTest(index: HitIndex, p: Pt, tolerance: number, shown: (id: string) => boolean = () => true): Hit {
  let site: HitSite | undefined;
  let siteD = Infinity;
  const sr = index.maxSiteR + tolerance;
  index.sites.visit((node, x0, y0, x1, y1) => {
    if (!node.length) {
      for (let leaf: typeof node | undefined = node; leaf; leaf = (leaf as { next?: typeof node }).next) {
        const d = (leaf as { data: HitSite }).data;
        const dist = Math.hypot(d.x - p.x, d.y - p.y);
        if (dist <= d.r + tolerance && dist - d.r < siteD && shown(d.id)) {
          site = d;
          siteD = dist - d.r;
        }
      }
    }
    return x0 > p.x + sr || x1 < p.x - sr || y0 > p.y + sr || y1 < p.y - sr;
  });
  if (site) return { site: site.id };

  let link: IndexedLink | undefined;
  let linkD = Infinity;
  const lr = index.maxHalf + tolerance;
  index.links.visit((node, x0, y0, x1, y1) => {
    if (!node.length) {
      for (let leaf: typeof node | undefined = node; leaf; leaf = (leaf as { next?: typeof node }).next) {
        const d = (leaf as { data: IndexedLink }).data;
        if (Math.abs(d.mx - p.x) > lr || Math.abs(d.my - p.y) > lr) continue;
        const dist = linkDistance(p, d);
        if (dist <= tolerance && dist < linkD && shown(d.id)) {
          link = d;
          linkD = dist;
        }
      }
    }
    return x0 > p.x + lr || x1 < p.x - lr || y0 > p.y + lr || y1 < p.y - lr;
  });
  return link ? { link: link.id } : null;
}
