/**
 * County-level aggregates for the zoomed-out map: per county-level unit, how
 * many of its townships are in each coverage class, and the angular span its
 * townships take on the ring — drawn as a band split by class.
 */

export interface AggregateInput {
  id: string;
  /** The county-level unit the township hangs under. */
  county: string;
  angle: number;
  /** Coverage class, or undefined while unknown. */
  status: string | undefined;
}

export interface Aggregate {
  county: string;
  /** Townships per class, in the given class order; unknown ones under `unknown`. */
  counts: Map<string, number>;
  total: number;
  /** Angular span of its townships, radians clockwise from 12 o'clock, padded by half a spacing each side. */
  start: number;
  end: number;
}

export function countyAggregates(townships: readonly AggregateInput[], pad = 0): Map<string, Aggregate> {
  const out = new Map<string, Aggregate>();
  for (const t of townships) {
    let a = out.get(t.county);
    if (!a) out.set(t.county, (a = { county: t.county, counts: new Map(), total: 0, start: t.angle, end: t.angle }));
    const cls = t.status ?? 'unknown';
    a.counts.set(cls, (a.counts.get(cls) ?? 0) + 1);
    a.total++;
    a.start = Math.min(a.start, t.angle);
    a.end = Math.max(a.end, t.angle);
  }
  for (const a of out.values()) {
    a.start -= pad;
    a.end += pad;
  }
  return out;
}

/**
 * An aggregate cut into slices in class order: each class's share of the span.
 *
 * @example slices(agg, ['compliant', 'unconnected']) // → [{ cls: 'compliant', start, end }, …]
 */
export function slices(a: Aggregate, order: readonly string[]): Array<{ cls: string; count: number; start: number; end: number }> {
  const out: Array<{ cls: string; count: number; start: number; end: number }> = [];
  let at = a.start;
  const span = a.end - a.start;
  for (const cls of [...order, 'unknown']) {
    const count = a.counts.get(cls) ?? 0;
    if (!count) continue;
    const end = at + (span * count) / a.total;
    out.push({ cls, count, start: at, end });
    at = end;
  }
  return out;
}
