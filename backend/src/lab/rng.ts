/**
 * Seeded randomness for the lab, so a seed reproduces a run exactly
 * (d3's `lcg.js` habit). Two tools:
 * - `seededRandom` (topology's, shared with the plan generator): a sequence, for one-off choices at start;
 * - {@link noise}: a pure function of its key, for values that must not depend
 *   on how often or in which order they are asked for (per-minute traffic).
 */

import { seededRandom } from '@extranet/topology';

export { seededRandom, shuffled } from '@extranet/topology';

/** FNV-1a over the parts' text, 32-bit unsigned. Stable across runs and platforms. */
export function hash32(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join('\u0000')) {
    h ^= ch.codePointAt(0) as number;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A uniform float in [0, 1) determined only by the key parts. */
export function noise(...parts: (string | number)[]): number {
  return seededRandom(hash32(...parts))();
}
