import { select, zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from 'd3';
import type { Topology, TopologyLink } from '../../api/types';
import type { SiteStatus } from '../../coverage/model';
import { SITE_STATUS_COLOURS } from '../../coverage/model';
import { t } from '../../i18n/i18n';
import type { Aggregate } from '../../topology/aggregate';
import type { LinkLook } from '../../topology/colour';
import { hitIndex, hitTest, type Hit, type HitIndex } from '../../topology/hit';
import { zoomForSpacing } from '../../topology/lod';
import { aggregatesOf, BACKGROUND, drawScene, type DrawState, type Drawn, type Frame } from './map-draw';
import { mapSvg } from './map-export';
import { placeTopology, type Scene, type SceneNode } from './map-scene';
import { revealPan } from './map-zoom';

/**
 * The map, drawn on a canvas (Canvas 2D; D3 lays it out, scales and zooms it).
 * What is static at a zoom — rings, links, sites or county-level aggregates,
 * names — is drawn once into a cached bitmap larger than the view; panning
 * only blits it, and it is drawn again when the zoom, a state, a filter or the
 * language changes (or a pan leaves its margin). Selection and hover are drawn
 * over it each frame. Sites and links are found under the pointer through
 * quadtrees. The host element gets `data-state="ready"` and `data-sites="N"`
 * once the first frame is drawn, and a `mapProbe` for tests and benchmarks.
 */
export interface TopologyMap {
  /** Colours nodes by coverage class; `undefined` leaves a node neutral. */
  setNodeStatus(statusOf: (id: string) => SiteStatus | undefined, titleOf: (id: string) => string): void;
  /** Restyles links (all, or the given ids) — colour and dash only. */
  setLinkLooks(lookOf: (link: TopologyLink) => LinkLook, ids?: readonly string[]): void;
  select(target: { site: string } | { link: string } | null): void;
  /** Pans (keeping the zoom) so the node lies in the part of the map not covered on the right by `rightInset` px. */
  reveal(nodeId: string, rightInset: number): void;
  /** Zooms in until the site's neighbours have room and centres it in the part not covered by `rightInset` px. */
  flyTo(nodeId: string, rightInset: number): void;
  setFilter(filter: MapFilter): void;
  /** The whole map (what the filters show) as an SVG document. */
  exportSvg(): string;
  /** The whole map as a PNG, `size` css px square at 2× density. */
  exportPng(size?: number): Promise<Blob>;
  /** Re-reads the translated texts (tier ring labels, tooltips). */
  retranslate(): void;
  fit(): void;
  destroy(): void;
}

export interface MapFilter {
  /** Only this county-level unit (and the city). */
  county?: string | undefined;
  /** Only this tier (and the city). */
  tier?: 'county' | 'township' | undefined;
  /** Only sites in this coverage class (and the city). */
  status?: SiteStatus | undefined;
}

export interface MapOptions {
  topology: Topology;
  onSite: (code: string) => void;
  onLink: (id: string) => void;
  /** A click on empty map (not after a drag). */
  onBackground: () => void;
}

/** What the map exposes to tests and benchmarks on its host element (`mapProbe`). */
export interface MapProbe {
  /** Every site and the exit: where it is now (client px), its class, whether it is drawn. */
  sites(): Array<{
    id: string;
    tier: string;
    name: string;
    x: number;
    y: number;
    layout: { x: number; y: number };
    status: string | null;
    drawn: boolean;
  }>;
  links(): Array<{ id: string; look: string | null; stroke: string | null; dash: string | null; drawn: boolean }>;
  /** The names drawn, after collision avoidance. */
  labels(): Array<{ id: string; text: string }>;
  selected(): { site: string } | { link: string } | null;
  /** What a click at a client point would open. */
  hit(clientX: number, clientY: number): Hit;
  /** A point on a link (client px), where a click opens it. */
  linkPoint(id: string): { x: number; y: number } | null;
  zoom(): number;
  /** Zooms to `k` (`'townships'`: where neighbouring townships are 24 px apart, at least 2.5× the fitted zoom) centred on a site, at once. */
  view(k: number | 'townships', centre?: string): void;
  /** Pans by screen px, as a drag does. */
  panBy(dx: number, dy: number): void;
  /** Frames shown, cache redraws and the time they took (ms). */
  counters(): { frames: number; redraws: number; redrawMs: number };
}

const SCALE_MIN_FACTOR = 0.5;
const REVEAL_MS = 300;
const FLY_MS = 600;
/** Hover and click reach, screen px. */
const HIT_PX = 6;
const ACCENT = '#1c7ed6';
/** A zoom at rest this long (ms) gets its cache with margins. */
const SETTLE_MS = 200;

export function createMap(container: HTMLElement, opts: MapOptions): TopologyMap {
  const scene = placeTopology(opts.topology);
  const canvas = document.createElement('canvas');
  canvas.className = 'topology-map';
  canvas.setAttribute('role', 'img');
  container.append(canvas);
  const ctx = canvas.getContext('2d')!;
  const cacheCanvas = document.createElement('canvas');
  const cacheCtx = cacheCanvas.getContext('2d')!;

  const status = new Map<string, SiteStatus>();
  const titles = new Map<string, string>();
  const looks = new Map<string, LinkLook>();
  let filter: MapFilter = {};
  let selected: { site: string } | { link: string } | null = null;
  let hover: Hit = null;
  let aggregates: Map<string, Aggregate> | undefined;
  let index: HitIndex | undefined;
  let drawn: Drawn | undefined;
  let frames = 0;
  let redraws = 0;
  let redrawMs = 0;

  const shown = (n: SceneNode): boolean => {
    if (n.tier === 'city' || n.tier === 'internet') return true;
    if (filter.county && n.county !== filter.county) return false;
    if (filter.tier && n.tier !== filter.tier) return false;
    if (filter.status && status.get(n.id) !== filter.status) return false;
    return true;
  };
  const fill = (n: SceneNode, s: SiteStatus | undefined) => (s ? SITE_STATUS_COLOURS[s] : n.tier === 'internet' ? '#4dabf7' : '#dee2e6');
  const drawState: DrawState = {
    status,
    looks,
    fill,
    shown,
    texts: { city: '', county: '', township: '', internet: '' },
    aggregates: () => (aggregates ??= aggregatesOf(scene, status, shown)),
  };

  // Size and density.
  let width = 0;
  let height = 0;
  let dpr = 1;
  const resize = () => {
    width = container.clientWidth || 1000;
    height = container.clientHeight || 700;
    dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    invalidate();
  };

  // The cache: the view plus a margin on each side, drawn at one zoom.
  let cache: { x: number; y: number; k: number; margin: number } | undefined;
  let dirty = true;
  function invalidate(): void {
    dirty = true;
    schedule();
  }
  let transform: ZoomTransform = zoomIdentity;
  let pending = 0;
  function schedule(): void {
    if (!pending) pending = requestAnimationFrame(frame);
  }
  let settle = 0;
  function renderCache(tr: ZoomTransform): void {
    const t0 = performance.now();
    const margin = Math.round(Math.max(width, height) / 2);
    const w = Math.round((width + 2 * margin) * dpr);
    const h = Math.round((height + 2 * margin) * dpr);
    if (cacheCanvas.width !== w || cacheCanvas.height !== h) {
      cacheCanvas.width = w;
      cacheCanvas.height = h;
    }
    cacheCtx.setTransform(dpr, 0, 0, dpr, dpr * margin, dpr * margin);
    const f: Frame = { x: tr.x, y: tr.y, k: tr.k, left: -margin, top: -margin, width: width + 2 * margin, height: height + 2 * margin };
    drawn = drawScene(cacheCtx, scene, drawState, f);
    cache = { x: tr.x, y: tr.y, k: tr.k, margin };
    dirty = false;
    redraws++;
    redrawMs += performance.now() - t0;
  }
  function frame(): void {
    pending = 0;
    const tr = transform;
    const c = cache;
    // While the zoom changes, the cached bitmap is scaled (as a map's tiles are); it is drawn
    // again at the new zoom once the zoom rests, or at once if scaled past a factor of two.
    const zooming = !!c && c.k !== tr.k;
    if (zooming) {
      clearTimeout(settle);
      settle = window.setTimeout(invalidate, SETTLE_MS);
    }
    const ratio = c ? tr.k / c.k : 1;
    const scaledOk = zooming && !dirty && ratio >= 0.5 && ratio <= 2;
    if (!scaledOk && (dirty || !c || zooming || Math.abs(tr.x - c.x) > c.margin || Math.abs(tr.y - c.y) > c.margin)) renderCache(tr);
    const m = cache!;
    const s = tr.k / m.k;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (s !== 1) {
      ctx.fillStyle = BACKGROUND;
      ctx.fillRect(0, 0, canvas.width, canvas.height);
    }
    const dx = (tr.x - s * (m.x + m.margin)) * dpr;
    const dy = (tr.y - s * (m.y + m.margin)) * dpr;
    if (s === 1) ctx.drawImage(cacheCanvas, Math.round(dx), Math.round(dy));
    else ctx.drawImage(cacheCanvas, dx, dy, cacheCanvas.width * s, cacheCanvas.height * s);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    overlay(tr);
    frames++;
    if (container.dataset.state !== 'ready') {
      container.dataset.sites = String(scene.siteCount);
      container.dataset.state = 'ready';
    }
  }
  function overlay(tr: ZoomTransform): void {
    const mark = (target: Hit, colour: string, widthPx: number) => {
      if (!target) return;
      ctx.strokeStyle = colour;
      ctx.lineWidth = widthPx;
      ctx.setLineDash([]);
      ctx.beginPath();
      if ('site' in target) {
        const n = scene.byId.get(target.site);
        if (!n) return;
        ctx.arc(tr.x + n.x * tr.k, tr.y + n.y * tr.k, Math.max(1.5, n.r * tr.k) + widthPx / 2 + 1, 0, 2 * Math.PI);
      } else {
        const l = scene.links.find((x) => x.id === target.link);
        if (!l) return;
        ctx.moveTo(tr.x + l.a.x * tr.k, tr.y + l.a.y * tr.k);
        ctx.lineTo(tr.x + l.b.x * tr.k, tr.y + l.b.y * tr.k);
      }
      ctx.stroke();
    };
    ctx.globalAlpha = 0.35;
    mark(hover, ACCENT, 6);
    ctx.globalAlpha = 1;
    mark(selected, ACCENT, 3.5);
  }

  // Zoom.
  const fitScale = () => Math.min(width, height) / (2 * scene.extent);
  const maxScale = () => Math.max(8, zoomForSpacing(scene.spacing.township, 60));
  const zoomer: ZoomBehavior<HTMLCanvasElement, unknown> = zoom<HTMLCanvasElement, unknown>().on(
    'zoom',
    (e: { transform: ZoomTransform }) => {
      transform = e.transform;
      schedule();
    },
  );
  const sel = select(canvas);
  sel.call(zoomer).on('dblclick.zoom', null);
  const setExtent = () => zoomer.scaleExtent([Math.min(0.3, fitScale() * SCALE_MIN_FACTOR), maxScale()]);

  // Hit-testing (the quadtrees are built on first use).
  const hitAt = (clientX: number, clientY: number): Hit => {
    const rect = canvas.getBoundingClientRect();
    const tr = transform;
    const p = { x: (clientX - rect.left - tr.x) / tr.k, y: (clientY - rect.top - tr.y) / tr.k };
    index ??= hitIndex(
      scene.nodes.map((n) => ({ id: n.id, x: n.x, y: n.y, r: n.r })),
      scene.links.map((l) => ({ id: l.id, kind: l.kind, a: l.a, b: l.b })),
    );
    // Only what is drawn is hit: the sites and links of the last frame (a site at least as large as its dot).
    const lastDrawn = drawn;
    return hitTest(index, p, HIT_PX / tr.k, (id) => !!lastDrawn && (lastDrawn.sites.has(id) || lastDrawn.links.has(id)));
  };
  const open = (hit: Hit) => {
    if (!hit) return opts.onBackground();
    if ('link' in hit) return opts.onLink(hit.link);
    const n = scene.byId.get(hit.site);
    if (n?.tier !== 'internet') return opts.onSite(hit.site);
    const exit = scene.links.find((l) => l.target === hit.site || l.source === hit.site);
    if (exit) opts.onLink(exit.id);
  };
  sel.on('click', (e: MouseEvent) => open(hitAt(e.clientX, e.clientY)));
  sel.on('pointermove', (e: PointerEvent) => {
    if (e.buttons) return;
    const h = hitAt(e.clientX, e.clientY);
    const same = JSON.stringify(h) === JSON.stringify(hover);
    hover = h;
    canvas.style.cursor = h ? 'pointer' : '';
    canvas.title = !h ? '' : 'site' in h ? (titles.get(h.site) ?? scene.byId.get(h.site)?.name ?? '') : linkTitle(h.link);
    if (!same) schedule();
  });
  sel.on('pointerleave', () => {
    hover = null;
    schedule();
  });
  const linkTitle = (id: string) => {
    const l = scene.links.find((x) => x.id === id);
    return l ? `${l.id} · ${t(`linkKind.${l.kind}`)} · ${t(`linkTier.${l.tier}`)}` : id;
  };

  const toClient = (x: number, y: number) => {
    const rect = canvas.getBoundingClientRect();
    return { x: rect.left + transform.x + x * transform.k, y: rect.top + transform.y + y * transform.k };
  };
  const probe: MapProbe = {
    sites: () =>
      scene.nodes.map((n) => ({
        id: n.id,
        tier: n.tier,
        name: n.name,
        ...toClient(n.x, n.y),
        layout: { x: n.x, y: n.y },
        status: status.get(n.id) ?? null,
        drawn: !!drawn?.sites.has(n.id),
      })),
    links: () =>
      scene.links.map((l) => ({
        id: l.id,
        look: looks.get(l.id)?.kind ?? null,
        stroke: looks.get(l.id)?.stroke ?? null,
        dash: looks.get(l.id)?.dash ?? null,
        drawn: !!drawn?.links.has(l.id),
      })),
    labels: () => drawn?.labels ?? [],
    selected: () => selected,
    hit: hitAt,
    linkPoint(id) {
      const l = scene.links.find((x) => x.id === id);
      return l ? toClient(l.a.x + (l.b.x - l.a.x) * 0.6, l.a.y + (l.b.y - l.a.y) * 0.6) : null;
    },
    zoom: () => transform.k,
    view(k, centre) {
      const kk = k === 'townships' ? Math.min(maxScale(), Math.max(2.5 * fitScale(), zoomForSpacing(scene.spacing.township, 24))) : k;
      const n = centre ? scene.byId.get(centre) : undefined;
      sel.call((s) => zoomer.transform(s, zoomIdentity.translate(width / 2 - (n?.x ?? 0) * kk, height / 2 - (n?.y ?? 0) * kk).scale(kk)));
    },
    panBy: (dx, dy) => sel.call((s) => zoomer.translateBy(s, dx / transform.k, dy / transform.k)),
    counters: () => ({ frames, redraws, redrawMs: Math.round(redrawMs) }),
  };
  (container as HTMLElement & { mapProbe?: MapProbe }).mapProbe = probe;

  const retranslate = () => {
    drawState.texts = { city: t('tier.city'), county: t('tier.county'), township: t('tier.township'), internet: t('tier.internet') };
    canvas.setAttribute('aria-label', t('topo.title'));
    invalidate();
  };
  const fit = () => {
    setExtent();
    sel.call((s) => zoomer.transform(s, zoomIdentity.translate(width / 2, height / 2).scale(fitScale())));
  };
  const observer = new ResizeObserver(() => {
    const before = { width, height };
    resize();
    if (before.width === 0) fit();
    else setExtent();
  });
  resize();
  retranslate();
  fit();
  observer.observe(container);
  // The first frame is drawn now, not at the next animation frame: what the page does next
  // (colouring, coverage) must not hold the map back.
  if (pending) cancelAnimationFrame(pending);
  frame();

  return {
    setNodeStatus(statusOf, titleOf) {
      for (const n of scene.nodes) {
        const s = statusOf(n.id);
        if (s) status.set(n.id, s);
        else status.delete(n.id);
        titles.set(n.id, titleOf(n.id));
      }
      aggregates = undefined;
      invalidate();
    },
    setLinkLooks(lookOf, ids) {
      const only = ids ? new Set(ids) : undefined;
      for (const l of scene.links) if (!only || only.has(l.id)) looks.set(l.id, lookOf(l));
      invalidate();
    },
    select(target) {
      selected = target;
      const focus = target && 'site' in target ? target.site : undefined;
      if (focus !== drawState.focus) {
        drawState.focus = focus;
        invalidate();
      } else schedule();
    },
    reveal(nodeId, rightInset) {
      const n = scene.byId.get(nodeId);
      if (!n) return;
      const tr = transform;
      const pan = revealPan(tr.apply([n.x, n.y]), { width, height, rightInset });
      if (!pan) return;
      sel
        .transition()
        .duration(REVEAL_MS)
        .call((tt) => zoomer.transform(tt, zoomIdentity.translate(tr.x + pan.dx, tr.y + pan.dy).scale(tr.k)));
    },
    flyTo(nodeId, rightInset) {
      const n = scene.byId.get(nodeId);
      if (!n) return;
      const k = Math.min(maxScale(), Math.max(transform.k, zoomForSpacing(scene.spacing.township, 24)));
      const cx = (width - rightInset) / 2;
      sel
        .transition()
        .duration(FLY_MS)
        .call((tt) => zoomer.transform(tt, zoomIdentity.translate(cx - n.x * k, height / 2 - n.y * k).scale(k)));
    },
    setFilter(f) {
      filter = { ...f };
      aggregates = undefined;
      invalidate();
    },
    exportSvg: () => mapSvg(scene, drawState, t('topo.title')),
    exportPng(size = 2400) {
      const out = document.createElement('canvas');
      const density = 2;
      out.width = size * density;
      out.height = size * density;
      const c = out.getContext('2d')!;
      c.setTransform(density, 0, 0, density, 0, 0);
      const k = size / (2 * scene.extent);
      drawScene(c, scene, drawState, { x: size / 2, y: size / 2, k, left: 0, top: 0, width: size, height: size });
      return new Promise((resolve, reject) => out.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG export failed'))), 'image/png'));
    },
    retranslate,
    fit,
    destroy() {
      observer.disconnect();
      if (pending) cancelAnimationFrame(pending);
      clearTimeout(settle);
      sel.on('.zoom', null).on('click', null).on('pointermove', null).on('pointerleave', null);
      canvas.remove();
      delete (container as HTMLElement & { mapProbe?: MapProbe }).mapProbe;
      delete container.dataset.state;
    },
  };
}

export type { Scene };
