import { describe, expect, it } from 'vitest';
import { labelDiscs, placeLabels, type LabelCandidate } from './label-placement';

const label = (id: string, x: number, y: number, extra: Partial<LabelCandidate> = {}): LabelCandidate => ({
  id,
  x,
  y,
  rotate: 0,
  dx: 0,
  anchor: 'middle',
  width: 40,
  height: 12,
  priority: 1,
  ...extra,
});

describe('placeLabels', () => {
  it('keeps labels that do not overlap', () => {
    expect(placeLabels([label('a', 0, 0), label('b', 100, 0), label('c', 0, 30)]).map((l) => l.id)).toEqual(['a', 'b', 'c']);
  });

  it('drops the lower-priority one of two overlapping labels, whatever the input order', () => {
    const county = label('county', 0, 0, { priority: 2 });
    const city = label('city', 10, 4, { priority: 1 });
    expect(placeLabels([county, city]).map((l) => l.id)).toEqual(['city']);
    expect(placeLabels([city, county]).map((l) => l.id)).toEqual(['city']);
  });

  it('treats rotated labels by their real extent: two parallel rays apart do not collide, crossing ones do', () => {
    const up = -Math.PI / 2;
    const a = label('a', 0, 0, { rotate: up, anchor: 'start', dx: 5, width: 60 });
    const b = label('b', 14, 0, { rotate: up, anchor: 'start', dx: 5, width: 60 });
    expect(placeLabels([a, b])).toHaveLength(2); // side by side, 14 px apart, 12 px high
    const across = label('c', -20, -35, { width: 60, anchor: 'start' }); // horizontal, through a's ray
    expect(placeLabels([a, across]).map((l) => l.id)).toEqual(['a']);
  });

  it('thins a dense ring of radial labels to what fits', () => {
    const ring = Array.from({ length: 400 }, (_, i) => {
      const angle = (i / 400) * 2 * Math.PI;
      return label(`t${i}`, 300 * Math.cos(angle), 300 * Math.sin(angle), { rotate: angle, anchor: 'start', dx: 4, width: 50, height: 11 });
    });
    const placed = placeLabels(ring);
    // 2π·300 px of ring and 11 px per name: at most ~171 fit side by side.
    expect(placed.length).toBeGreaterThan(80);
    expect(placed.length).toBeLessThanOrEqual(172);
    let overlaps = 0;
    const discs = placed.map(labelDiscs);
    discs.forEach((ds, i) =>
      discs.slice(i + 1).forEach((es) => {
        if (ds.some((d) => es.some((e) => Math.hypot(d.x - e.x, d.y - e.y) < d.r + e.r - 1e-9))) overlaps++;
      }),
    );
    expect(overlaps).toBe(0);
  });
});
