import type { SiteStatus } from '../../coverage/model';
import { SITE_STATUSES } from '../../coverage/model';
import type { LinkLook } from '../../topology/colour';
import { countyAggregates, slices, type Aggregate } from '../../topology/aggregate';
import { placeLabels, type LabelCandidate } from '../../topology/label-placement';
import { radialLabel } from '../../topology/labels';
import { polar } from '../../topology/layout';
import { levelOfDetail, type Lod } from '../../topology/lod';
import { OUTER, type Scene, type SceneLink, type SceneNode } from './map-scene';

/**
 * Canvas 2D drawing of the map at one zoom: ring guides, links batched by
 * look, county-level aggregates or township glyphs by level of detail, and the
 * names that fit without overlapping. Everything is drawn in screen px from
 * layout px through the zoom (x, y, k), only what falls in the frame. Colours
 * of states come from the caller (colour.ts link looks, coverage classes).
 */

export interface DrawState {
  status: ReadonlyMap<string, SiteStatus>;
  looks: ReadonlyMap<string, LinkLook>;
  /** Fill of a site by its class (undefined: no class yet). */
  fill: (node: SceneNode, status: SiteStatus | undefined) => string;
  /** Passes the filters. */
  shown: (node: SceneNode) => boolean;
  texts: { city: string; county: string; township: string; internet: string };
  /** The selected site: its name goes before others. */
  focus?: string | undefined;
  /** Aggregates of the shown townships, recomputed when states or filters change. */
  aggregates: () => Map<string, Aggregate>;
}

/** The zoom (screen = layout × k + x, y) and the screen rectangle to draw, css px. */
export interface Frame {
  x: number;
  y: number;
  k: number;
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Drawn {
  lod: Lod;
  sites: Set<string>;
  links: Set<string>;
  labels: Array<{ id: string; text: string }>;
}

export const FONT_FAMILY = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif';
export const BACKGROUND = '#fbfcfd';
const RING = '#e3e8ee';
const NODE_STROKE = '#34404d';
const PLANNED_STROKE = '#868e96';
const INTERNET_STROKE = '#1864ab';
const LABEL = '#25313d';
const TIER_LABEL = '#6b7a8b';
/** Aggregate band around the township ring, layout px each side, and at least this many screen px. */
const BAND = 16;
const BAND_MIN_PX = 5;

const dashOf = (dash: string | null): number[] => (dash ? dash.split(/[\s,]+/).map(Number) : []);

export function aggregatesOf(
  scene: Scene,
  status: ReadonlyMap<string, SiteStatus>,
  shown: (n: SceneNode) => boolean,
): Map<string, Aggregate> {
  const townships = scene.nodes
    .filter((n) => n.tier === 'township' && n.county && shown(n))
    .map((n) => ({ id: n.id, county: n.county!, angle: n.angle, status: status.get(n.id) }));
  return countyAggregates(townships, Math.min(scene.spacing.township / OUTER / 2, 0.02));
}

export function drawScene(ctx: CanvasRenderingContext2D, scene: Scene, state: DrawState, f: Frame): Drawn {
  const { k } = f;
  const sx = (x: number) => f.x + x * k;
  const sy = (y: number) => f.y + y * k;
  const lod = levelOfDetail(k, scene.spacing);
  const drawn: Drawn = { lod, sites: new Set(), links: new Set(), labels: [] };

  ctx.fillStyle = BACKGROUND;
  ctx.fillRect(f.left, f.top, f.width, f.height);

  // The frame in layout px, with room for glyphs on its edges.
  const pad = 20 / k;
  const lx0 = (f.left - f.x) / k - pad;
  const lx1 = (f.left + f.width - f.x) / k + pad;
  const ly0 = (f.top - f.y) / k - pad;
  const ly1 = (f.top + f.height - f.y) / k + pad;
  const inView = (x: number, y: number) => x >= lx0 && x <= lx1 && y >= ly0 && y <= ly1;

  // Ring guides.
  ctx.save();
  ctx.strokeStyle = RING;
  ctx.lineWidth = 1;
  ctx.setLineDash([2, 4]);
  for (const ring of scene.layout.rings) {
    ctx.beginPath();
    ctx.arc(f.x, f.y, ring.radius * k, 0, 2 * Math.PI);
    ctx.stroke();
  }
  ctx.restore();

  const nodeShown = (n: SceneNode) => state.shown(n) && (n.tier !== 'township' || lod.townships);

  // Links, batched by look and width.
  const groups = new Map<string, { look: LinkLook | undefined; width: number; links: SceneLink[] }>();
  for (const l of scene.links) {
    if (!nodeShown(l.a) || !nodeShown(l.b)) continue;
    if (Math.max(l.a.x, l.b.x) < lx0 || Math.min(l.a.x, l.b.x) > lx1 || Math.max(l.a.y, l.b.y) < ly0 || Math.min(l.a.y, l.b.y) > ly1) {
      if (l.kind !== 'backup') continue;
    }
    const fine = l.a.tier === 'township' || l.b.tier === 'township' ? scene.spacing.township : scene.spacing.county;
    const width = Math.max(0.35, Math.min(l.width, fine * k * 0.45));
    const look = state.looks.get(l.id);
    const key = `${look?.stroke ?? ''}|${look?.dash ?? ''}|${width.toFixed(2)}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { look, width, links: [] }));
    g.links.push(l);
    drawn.links.add(l.id);
  }
  ctx.save();
  ctx.lineCap = 'round';
  // Spokes closer than a few px on screen fade, so thousands of them read as a shade, not a solid disc;
  // a link's look (a black dashed down link) still shows through.
  ctx.globalAlpha = Math.max(0.18, Math.min(1, (scene.spacing.county * k) / 4));
  for (const g of groups.values()) {
    ctx.strokeStyle = g.look?.stroke ?? RING;
    ctx.lineWidth = g.width;
    ctx.setLineDash(dashOf(g.look?.dash ?? null));
    ctx.beginPath();
    for (const l of g.links) linkPath(ctx, l, sx, sy);
    ctx.stroke();
  }
  ctx.restore();

  // Aggregates: each county-level unit's townships as a band split by class.
  if (lod.aggregates) {
    const mid = OUTER * k;
    const half = Math.max(BAND_MIN_PX, BAND * k);
    const byFill = new Map<string, Array<[number, number]>>();
    for (const a of state.aggregates().values()) {
      for (const s of slices(a, SITE_STATUSES)) {
        const fill = state.fill(scene.byId.get(a.county)!, s.cls === 'unknown' ? undefined : (s.cls as SiteStatus));
        const list = byFill.get(fill) ?? [];
        list.push([s.start, s.end]);
        byFill.set(fill, list);
      }
    }
    for (const [fill, spans] of byFill) {
      ctx.fillStyle = fill;
      ctx.beginPath();
      for (const [a0, a1] of spans) {
        ctx.moveTo(f.x + (mid + half) * Math.sin(a0), f.y - (mid + half) * Math.cos(a0));
        ctx.arc(f.x, f.y, mid + half, a0 - Math.PI / 2, a1 - Math.PI / 2);
        ctx.arc(f.x, f.y, mid - half, a1 - Math.PI / 2, a0 - Math.PI / 2, true);
        ctx.closePath();
      }
      ctx.fill();
    }
    ctx.strokeStyle = NODE_STROKE;
    ctx.lineWidth = 0.5;
    ctx.beginPath();
    ctx.arc(f.x, f.y, mid + half, 0, 2 * Math.PI);
    ctx.moveTo(f.x + mid - half, f.y);
    ctx.arc(f.x, f.y, mid - half, 0, 2 * Math.PI);
    ctx.stroke();
  }

  // Sites, batched by fill.
  const visible: SceneNode[] = [];
  for (const n of scene.nodes) if (nodeShown(n) && inView(n.x, n.y)) visible.push(n);
  const screenR = (n: SceneNode) => Math.max(1.5, n.r * k);
  const fills = new Map<string, SceneNode[]>();
  for (const n of visible) {
    drawn.sites.add(n.id);
    if (n.tier === 'internet') continue;
    const fill = state.fill(n, state.status.get(n.id));
    const list = fills.get(fill) ?? [];
    list.push(n);
    fills.set(fill, list);
  }
  for (const [fill, list] of fills) {
    ctx.fillStyle = fill;
    ctx.beginPath();
    for (const n of list) {
      const r = screenR(n);
      ctx.moveTo(sx(n.x) + r, sy(n.y));
      ctx.arc(sx(n.x), sy(n.y), r, 0, 2 * Math.PI);
    }
    ctx.fill();
  }
  const outline = (list: SceneNode[], colour: string, width: number, dash: number[]) => {
    if (!list.length) return;
    ctx.strokeStyle = colour;
    ctx.lineWidth = width;
    ctx.setLineDash(dash);
    ctx.beginPath();
    for (const n of list) {
      const r = screenR(n);
      ctx.moveTo(sx(n.x) + r, sy(n.y));
      ctx.arc(sx(n.x), sy(n.y), r, 0, 2 * Math.PI);
    }
    ctx.stroke();
  };
  const outlined = visible.filter((n) => n.tier !== 'internet' && screenR(n) >= 2.5);
  const planned = (n: SceneNode) => state.status.get(n.id) === 'planned';
  outline(
    outlined.filter((n) => !planned(n) && n.tier !== 'city'),
    NODE_STROKE,
    1,
    [],
  );
  outline(
    outlined.filter((n) => !planned(n) && n.tier === 'city'),
    NODE_STROKE,
    2.5,
    [],
  );
  outline(outlined.filter(planned), PLANNED_STROKE, 1, [2, 2]);
  ctx.setLineDash([]);
  for (const n of visible.filter((v) => v.tier === 'internet')) {
    const r = Math.max(4, n.r * k) * 1.3;
    ctx.fillStyle = state.fill(n, state.status.get(n.id));
    ctx.strokeStyle = INTERNET_STROKE;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(sx(n.x), sy(n.y) - r);
    ctx.lineTo(sx(n.x) + r, sy(n.y));
    ctx.lineTo(sx(n.x), sy(n.y) + r);
    ctx.lineTo(sx(n.x) - r, sy(n.y));
    ctx.closePath();
    ctx.fill();
    ctx.stroke();
  }

  drawn.labels = drawLabels(ctx, scene, state, f, visible, lod, screenR);
  return drawn;
}

function linkPath(ctx: CanvasRenderingContext2D, l: SceneLink, sx: (x: number) => number, sy: (y: number) => number): void {
  ctx.moveTo(sx(l.a.x), sy(l.a.y));
  if (l.kind === 'backup') {
    const dx = l.b.x - l.a.x;
    const dy = l.b.y - l.a.y;
    const len = Math.hypot(dx, dy);
    const off = Math.min(len * 0.16, 46);
    const cx = len ? (l.a.x + l.b.x) / 2 - (dy / len) * off : l.a.x;
    const cy = len ? (l.a.y + l.b.y) / 2 + (dx / len) * off : l.a.y;
    ctx.quadraticCurveTo(sx(cx), sy(cy), sx(l.b.x), sy(l.b.y));
  } else {
    ctx.lineTo(sx(l.b.x), sy(l.b.y));
  }
}

interface Label extends LabelCandidate {
  text: string;
  font: string;
  colour: string;
}

const FONTS = {
  tier: `600 13px ${FONT_FAMILY}`,
  city: `700 15px ${FONT_FAMILY}`,
  internet: `400 12px ${FONT_FAMILY}`,
  county: `600 12.5px ${FONT_FAMILY}`,
  township: `400 11px ${FONT_FAMILY}`,
};

const widths = new Map<string, number>();
function measure(ctx: CanvasRenderingContext2D, font: string, text: string): number {
  const key = `${font}|${text}`;
  let w = widths.get(key);
  if (w === undefined) {
    ctx.font = font;
    w = ctx.measureText(text).width;
    widths.set(key, w);
  }
  return w;
}

function drawLabels(
  ctx: CanvasRenderingContext2D,
  scene: Scene,
  state: DrawState,
  f: Frame,
  visible: readonly SceneNode[],
  lod: Lod,
  screenR: (n: SceneNode) => number,
): Array<{ id: string; text: string }> {
  const { k } = f;
  const cands: Label[] = [];
  const add = (
    id: string,
    text: string,
    font: keyof typeof FONTS,
    at: { x: number; y: number },
    extra: Partial<Label>,
    priority: number,
  ) => {
    const size = font === 'township' ? 11 : font === 'city' ? 15 : 13;
    cands.push({
      id,
      text,
      font: FONTS[font],
      colour: font === 'tier' ? TIER_LABEL : font === 'internet' ? INTERNET_STROKE : LABEL,
      x: at.x,
      y: at.y,
      rotate: 0,
      dx: 0,
      anchor: 'middle',
      width: measure(ctx, FONTS[font], text),
      height: size + 2,
      priority,
      ...extra,
    });
  };
  // Tier names in the widest gap between fans; the city's just off the centre.
  const { labelAngle } = scene.layout;
  const exit = scene.nodes.find((n) => n.tier === 'internet');
  const clash = exit !== undefined && Math.abs(Math.atan2(Math.sin(exit.angle - labelAngle), Math.cos(exit.angle - labelAngle))) < 0.6;
  const cityAt = polar(labelAngle + (clash ? Math.PI : 0), 40 / Math.max(1, k));
  // The city's tier label gives way to the city's own name.
  add('tier:city', state.texts.city, 'tier', { x: f.x + cityAt.x * k, y: f.y + cityAt.y * k }, {}, 1.5);
  for (const ring of scene.layout.rings) {
    const p = polar(labelAngle, ring.radius);
    add(
      `tier:${ring.tier}`,
      ring.tier === 'county' ? state.texts.county : state.texts.township,
      'tier',
      { x: f.x + p.x * k, y: f.y + p.y * k },
      {},
      0,
    );
  }
  for (const n of visible) {
    const x = f.x + n.x * k;
    const y = f.y + n.y * k;
    if (n.tier === 'township') {
      if (!lod.townshipLabels) continue;
      const l = radialLabel(n.angle, screenR(n) + 3);
      add(
        n.id,
        n.name,
        'township',
        { x, y },
        { rotate: (l.rotate * Math.PI) / 180, dx: l.dx, anchor: l.anchor },
        n.id === state.focus ? 0.5 : 3,
      );
    } else if (n.tier === 'county') {
      if (!lod.countyLabels) continue;
      add(n.id, n.name, 'county', { x, y: y + screenR(n) + 11 }, {}, n.id === state.focus ? 0.5 : 2);
    } else if (n.tier === 'city') {
      add(n.id, n.name, 'city', { x, y: y + screenR(n) + 12 }, {}, 1);
    } else {
      add(n.id, state.texts.internet, 'internet', { x, y: y + screenR(n) * 1.3 + 10 }, {}, 1);
    }
  }
  const placed = placeLabels(cands);
  ctx.save();
  ctx.textBaseline = 'middle';
  ctx.lineJoin = 'round';
  ctx.strokeStyle = BACKGROUND;
  for (const l of placed) {
    ctx.save();
    ctx.translate(l.x, l.y);
    if (l.rotate) ctx.rotate(l.rotate);
    ctx.font = l.font;
    ctx.textAlign = l.anchor === 'middle' ? 'center' : l.anchor === 'start' ? 'left' : 'right';
    ctx.lineWidth = 3;
    ctx.strokeText(l.text, l.dx, 0);
    ctx.fillStyle = l.colour;
    ctx.fillText(l.text, l.dx, 0);
    ctx.restore();
  }
  ctx.restore();
  return placed.map((l) => ({ id: l.id, text: l.text }));
}
