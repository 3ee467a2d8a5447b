/**
 * Where the map's labels go. Township labels point outwards along their ray
 * (read left-to-right on both halves of the circle) and appear only once the
 * map is zoomed in far enough for 84 names to be legible; county and city
 * labels are always shown.
 */

/** Zoom factor from which township labels are shown. */
export const TOWNSHIP_LABEL_MIN_ZOOM = 1.15;

/** Township labels are legible (≥ ~11 px on screen) from this zoom on. */
export function showTownshipLabels(zoom: number): boolean {
  return zoom >= TOWNSHIP_LABEL_MIN_ZOOM;
}

export interface RadialLabel {
  /** Degrees to rotate the label about its node. */
  rotate: number;
  /** Text anchor after rotation. */
  anchor: 'start' | 'end';
  /** Offset along the (rotated) x axis, px: away from the node. */
  dx: number;
}

/**
 * Orientation of a label on the ray at `angle` (radians clockwise from
 * 12 o'clock): on the right half the text runs outwards; on the left half it is
 * turned 180° so it is not upside down, and anchored at its end.
 *
 * @example radialLabel(Math.PI / 2, 8) // → { rotate: 0, anchor: 'start', dx: 8 } (3 o'clock: plain text to the right)
 */
export function radialLabel(angle: number, gap: number): RadialLabel {
  const deg = (angle * 180) / Math.PI - 90;
  const normalized = ((angle % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
  const left = normalized > Math.PI;
  return left ? { rotate: deg + 180, anchor: 'end', dx: -gap } : { rotate: deg, anchor: 'start', dx: gap };
}
