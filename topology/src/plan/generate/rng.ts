/**
 * Seeded randomness for the plan generator (d3's `lcg.js` habit): the
 * generator never calls Math.random, it is handed a `Random`, so one seed
 * gives one plan, byte for byte, on every machine.
 */

/** A source of floats in [0, 1). */
export type Random = () => number;

/**
 * mulberry32: a small, fast PRNG with a 32-bit state.
 *
 * @example const rnd = seededRandom(42); rnd(); // 0.6011037519201636
 */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n). */
export function pickIndex(rnd: Random, n: number): number {
  return Math.floor(rnd() * n);
}

/** One item of a non-empty list. */
export function pick<T>(rnd: Random, items: readonly T[]): T {
  return items[pickIndex(rnd, items.length)] as T;
}

/** Fisher–Yates shuffle of a copy. */
export function shuffled<T>(items: readonly T[], rnd: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = pickIndex(rnd, i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
