/**
 * Label collision avoidance: labels are placed greedily in priority order and a
 * label that would overlap one already placed is left out. A label is a run of
 * text along a baseline at any angle (township names run along their ray), so
 * it is covered by a chain of discs along its centre line; two labels collide
 * when any of their discs overlap. A grid of cells one label-height wide keeps
 * each test local, so placing n labels costs O(n).
 */

export interface LabelCandidate {
  id: string;
  /** Anchor point, screen px. */
  x: number;
  y: number;
  /** Direction of the baseline, radians (0 = left to right). */
  rotate: number;
  /** Offset of the text from the anchor along the baseline, px. */
  dx: number;
  anchor: 'start' | 'middle' | 'end';
  width: number;
  height: number;
  /** Lower first: placed before others. */
  priority: number;
}

interface Disc {
  x: number;
  y: number;
  r: number;
}

/** The discs covering a label's text box, centres along its baseline. */
export function labelDiscs(l: LabelCandidate): Disc[] {
  const r = l.height / 2;
  const from = l.anchor === 'start' ? l.dx : l.anchor === 'end' ? l.dx - l.width : l.dx - l.width / 2;
  const n = Math.max(1, Math.ceil(l.width / l.height));
  const step = l.width / n;
  const cos = Math.cos(l.rotate);
  const sin = Math.sin(l.rotate);
  const discs: Disc[] = [];
  for (let i = 0; i < n; i++) {
    const along = from + step * (i + 0.5);
    discs.push({ x: l.x + along * cos, y: l.y + along * sin, r: Math.max(r, step / 2) });
  }
  return discs;
}

/**
 * The labels that can be shown without overlapping, higher priority first
 * (then input order).
 *
 * @example placeLabels([a, b]) // → [a] when b overlaps a and a.priority <= b.priority
 */
export function placeLabels<T extends LabelCandidate>(labels: readonly T[]): T[] {
  const order = labels.map((l, i) => ({ l, i })).sort((a, b) => a.l.priority - b.l.priority || a.i - b.i);
  const cell = Math.max(4, ...labels.map((l) => l.height));
  const grid = new Map<string, Disc[]>();
  const key = (cx: number, cy: number) => `${cx},${cy}`;
  const placed: T[] = [];
  for (const { l } of order) {
    const discs = labelDiscs(l);
    const clash = discs.some((d) => {
      const cx = Math.floor(d.x / cell);
      const cy = Math.floor(d.y / cell);
      const reach = Math.ceil((d.r * 2) / cell);
      for (let gx = cx - reach; gx <= cx + reach; gx++) {
        for (let gy = cy - reach; gy <= cy + reach; gy++) {
          for (const o of grid.get(key(gx, gy)) ?? []) if (Math.hypot(o.x - d.x, o.y - d.y) < o.r + d.r) return true;
        }
      }
      return false;
    });
    if (clash) continue;
    placed.push(l);
    for (const d of discs) {
      const k = key(Math.floor(d.x / cell), Math.floor(d.y / cell));
      const bucket = grid.get(k);
      if (bucket) bucket.push(d);
      else grid.set(k, [d]);
    }
  }
  return placed;
}
