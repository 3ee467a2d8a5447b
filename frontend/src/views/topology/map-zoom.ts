/**
 * Where a pan must go so a point is not hidden under the side panel.
 */

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
