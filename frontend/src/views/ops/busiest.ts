import type { LinkUpdate } from '../../api/types';
import { busierPct } from '../../topology/colour';

/**
 * The busiest links of the latest poll cycle: links that are up with a known
 * utilization, by their busier direction (percent of capacity), highest first;
 * ties by link id, so the order is stable between cycles. Pure.
 *
 * @example busiestLinks([{ id: 'a', state: 'up', inPct: 12, outPct: 80 }, …], 10)[0] // → { link: { id: 'a', … }, pct: 80 }
 */
export function busiestLinks(
  states: Iterable<Pick<LinkUpdate, 'id' | 'state' | 'inPct' | 'outPct'>>,
  n: number,
): Array<{ id: string; pct: number }> {
  const ranked: Array<{ id: string; pct: number }> = [];
  for (const l of states) {
    const pct = l.state === 'up' ? busierPct(l.inPct, l.outPct) : null;
    if (pct !== null) ranked.push({ id: l.id, pct });
  }
  ranked.sort((a, b) => b.pct - a.pct || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return ranked.slice(0, Math.max(0, n));
}

/** The windows the operations chart offers, ms. */
export const OPS_RANGES = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
export type OpsRange = keyof typeof OPS_RANGES;

export function opsRange(value: string | undefined): OpsRange {
  return value !== undefined && value in OPS_RANGES ? (value as OpsRange) : '24h';
}
