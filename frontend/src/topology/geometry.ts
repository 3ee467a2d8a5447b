/**
 * SVG paths of the map's links. A primary uplink is the straight spoke of the
 * radial tree; a backup link (备份网) usually joins the same two sites, so it is
 * drawn as a quadratic curve bowed to one side of the spoke — always the same
 * side (clockwise from a to b), so the picture never changes between renders.
 */

export interface Pt {
  x: number;
  y: number;
}

/** How far a backup curve bows out, as a fraction of the link's length, and at most. */
export const BOW_FRACTION = 0.16;
export const BOW_MAX = 46;

const r = (v: number) => Math.round(v * 100) / 100;

export function straightPath(a: Pt, b: Pt): string {
  return `M${r(a.x)},${r(a.y)}L${r(b.x)},${r(b.y)}`;
}

/** The control point of a backup curve: off the middle of a→b, perpendicular, to the right of the direction a→b. */
export function bowControl(a: Pt, b: Pt, bow = BOW_FRACTION, max = BOW_MAX): Pt {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy);
  if (len === 0) return { x: a.x, y: a.y };
  const off = Math.min(len * bow, max);
  // In SVG's y-down frame (−dy, dx) / len is the normal to the right of a→b.
  return { x: (a.x + b.x) / 2 - (dy / len) * off, y: (a.y + b.y) / 2 + (dx / len) * off };
}

export function curvedPath(a: Pt, b: Pt): string {
  const c = bowControl(a, b);
  return `M${r(a.x)},${r(a.y)}Q${r(c.x)},${r(c.y)} ${r(b.x)},${r(b.y)}`;
}

/** The path of a link by kind: backups curve, everything else is straight. */
export function linkPath(kind: string, a: Pt, b: Pt): string {
  return kind === 'backup' ? curvedPath(a, b) : straightPath(a, b);
}
