/**
 * Seeded randomness for the lab, so a seed reproduces a run exactly
 * (d3's `lcg.js` habit). Two tools:
 * - {@link seededRandom}: a sequence, for one-off choices at start;
 * - {@link noise}: a pure function of its key, for values that must not depend
 *   on how often or in which order they are asked for (per-minute traffic).
 */

/** FNV-1a over the parts' text, 32-bit unsigned. Stable across runs and platforms. */
export function hash32(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join('\u0000')) {
    h ^= ch.codePointAt(0) as number;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * mulberry32: a small, fast PRNG with a 32-bit state; returns floats in [0, 1).
 *
 * @example const rnd = seededRandom(42); rnd(); rnd();
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform float in [0, 1) determined only by the key parts. */
export function noise(...parts: (string | number)[]): number {
  return seededRandom(hash32(...parts))();
}

/** Fisher–Yates shuffle of a copy, driven by `rnd`. */
export function shuffled<T>(items: readonly T[], rnd: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
