import { zoom, zoomIdentity, zoomTransform, type Selection, type ZoomBehavior } from 'd3';
import { showTownshipLabels } from '../../topology/labels';
import { OUTER, type Layer } from './map-scene';

/**
 * Pan and zoom: d3.zoom moves the one viewport group (wheel, drag, pinch; no
 * double-click zoom) and shows township labels from a zoom threshold on.
 */
export interface MapZoom {
  /** Centres the map and frames the township ring in the container. */
  fit(): void;
  /** Pans (keeping the zoom) so the layout point lies in the part of the map not covered on the right by `rightInset` px. */
  reveal(point: { x: number; y: number }, rightInset: number): void;
  /** Removes the zoom listeners. */
  detach(): void;
}

type Svg = Selection<SVGSVGElement, unknown, null, undefined>;

const SCALE_EXTENT: [number, number] = [0.3, 8];
/** Room around the township ring when fitting, layout px (its labels). */
const FIT_PADDING = 30;
/** How long `reveal` pans, ms. */
const REVEAL_MS = 300;

export function attachZoom(svg: Svg, viewport: Layer, container: HTMLElement): MapZoom {
  const zoomer: ZoomBehavior<SVGSVGElement, unknown> = zoom<SVGSVGElement, unknown>()
    .scaleExtent(SCALE_EXTENT)
    .on('zoom', (e: { transform: { k: number; toString(): string } }) => {
      viewport.attr('transform', e.transform.toString());
      svg.classed('show-township-labels', showTownshipLabels(e.transform.k));
    });
  svg.call(zoomer).on('dblclick.zoom', null);

  return {
    fit() {
      const w = container.clientWidth || 1000;
      const hgt = container.clientHeight || 700;
      const k = Math.max(SCALE_EXTENT[0], Math.min(w, hgt) / (2 * (OUTER + FIT_PADDING)));
      svg.call((s) => zoomer.transform(s, zoomIdentity.translate(w / 2, hgt / 2).scale(k)));
    },
    reveal(point, rightInset) {
      const el = svg.node();
      if (!el) return;
      const tr = zoomTransform(el);
      const pan = revealPan(tr.apply([point.x, point.y]), { width: container.clientWidth, height: container.clientHeight, rightInset });
      if (!pan) return;
      svg
        .transition()
        .duration(REVEAL_MS)
        .call((t) => zoomer.transform(t, zoomIdentity.translate(tr.x + pan.dx, tr.y + pan.dy).scale(tr.k)));
    },
    detach() {
      svg.on('.zoom', null);
    },
  };
}

/** Closer than this to an edge of the free part (screen px), a point counts as hidden. */
const REVEAL_MARGIN = 40;
/** A hidden point is brought this far inside the free part, screen px. */
const REVEAL_ROOM = 120;

/**
 * The smallest pan that brings a screen point `REVEAL_ROOM` px inside the free part
 * of the map (the width less `rightInset`), or `null` when it is well inside already;
 * the rest of the map stays where it was.
 *
 * @example revealPan([990, 300], { width: 1000, height: 700, rightInset: 0 }) // → { dx: -110, dy: 0 }
 */
export function revealPan(
  [sx, sy]: readonly [number, number],
  view: { width: number; height: number; rightInset: number },
): { dx: number; dy: number } | null {
  const right = view.width - view.rightInset;
  const bottom = view.height;
  if (sx >= REVEAL_MARGIN && sx <= right - REVEAL_MARGIN && sy >= REVEAL_MARGIN && sy <= bottom - REVEAL_MARGIN) return null;
  const dx = sx > right - REVEAL_MARGIN ? right - REVEAL_ROOM - sx : sx < REVEAL_MARGIN ? REVEAL_ROOM - sx : 0;
  const dy = sy > bottom - REVEAL_MARGIN ? bottom - REVEAL_ROOM - sy : sy < REVEAL_MARGIN ? REVEAL_ROOM - sy : 0;
  return { dx, dy };
}
