import { describe, expect, it } from 'vitest';
import { radialLabel, showTownshipLabels } from './labels';
import { radialLayout, widestGap, type LayoutInput } from './layout';

/** A plan shaped like Huizhou: one city, county-level units, townships under them, the internet exit. */
function network(): LayoutInput[] {
  const nodes: LayoutInput[] = [{ id: '4413', tier: 'city', parent: null }];
  const counties: Array<[string, number]> = [
    ['441302', 14],
    ['441303', 9],
    ['441322', 18],
    ['441323', 21],
    ['441324', 12],
    ['4413DYW', 3],
    ['4413ZK', 7],
  ];
  for (const [code, n] of counties) {
    nodes.push({ id: code, tier: 'county', parent: '4413' });
    for (let i = 0; i < n; i++) nodes.push({ id: `${code}${String(i + 1).padStart(3, '0')}`, tier: 'township', parent: code });
  }
  nodes.push({ id: 'INTERNET', tier: 'internet', parent: null });
  return nodes;
}

const dist = (p: { x: number; y: number }) => Math.hypot(p.x, p.y);

describe('radialLayout', () => {
  const nodes = network();
  const { positions, rings } = radialLayout(nodes, { innerRadius: 200, outerRadius: 400 });

  it('places every node, the 84 townships and the internet exit included', () => {
    expect(positions.size).toBe(nodes.length);
    expect(nodes.length).toBe(1 + 7 + 84 + 1);
  });

  it('puts the city at the centre, county-level units on the inner ring, townships on the outer ring', () => {
    expect(positions.get('4413')).toMatchObject({ x: 0, y: 0, depth: 0 });
    for (const n of nodes) {
      const p = positions.get(n.id)!;
      if (n.tier === 'county') expect(dist(p)).toBeCloseTo(200, 6);
      if (n.tier === 'township') expect(dist(p)).toBeCloseTo(400, 6);
    }
    expect(rings).toEqual([
      { tier: 'county', radius: 200 },
      { tier: 'township', radius: 400 },
    ]);
  });

  it('is deterministic: the same positions every time and whatever the input order', () => {
    const again = radialLayout(nodes, { innerRadius: 200, outerRadius: 400 }).positions;
    const reversed = radialLayout([...nodes].reverse(), { innerRadius: 200, outerRadius: 400 }).positions;
    for (const n of nodes) {
      expect(again.get(n.id)).toEqual(positions.get(n.id));
      expect(reversed.get(n.id)).toEqual(positions.get(n.id));
    }
  });

  it('gives townships distinct angles, spread over the whole circle with no overlap at the seam', () => {
    const angles = nodes
      .filter((n) => n.tier === 'township')
      .map((n) => positions.get(n.id)!.angle)
      .sort((a, b) => a - b);
    const gaps = angles.slice(1).map((a, i) => a - angles[i]!);
    gaps.push(angles[0]! + 2 * Math.PI - angles[angles.length - 1]!);
    expect(Math.min(...gaps)).toBeGreaterThan((2 * Math.PI) / 84 / 3);
    expect(Math.max(...angles)).toBeLessThan(2 * Math.PI);
  });

  it('keeps a county-level unit within the angular span of its townships', () => {
    for (const county of nodes.filter((n) => n.tier === 'county')) {
      const own = nodes.filter((n) => n.parent === county.id).map((n) => positions.get(n.id)!.angle);
      const a = positions.get(county.id)!.angle;
      expect(a).toBeGreaterThanOrEqual(Math.min(...own) - 1e-9);
      expect(a).toBeLessThanOrEqual(Math.max(...own) + 1e-9);
    }
  });

  it('puts the internet exit beside the city, clear of every county-level uplink', () => {
    const p = positions.get('INTERNET')!;
    expect(p.depth).toBe(-1);
    expect(dist(p)).toBeGreaterThan(0);
    expect(dist(p)).toBeLessThan(200);
    for (const n of nodes.filter((x) => x.tier === 'county')) {
      const diff = Math.abs(((positions.get(n.id)!.angle - p.angle + 3 * Math.PI) % (2 * Math.PI)) - Math.PI);
      expect(diff).toBeGreaterThan(0.2);
    }
  });

  it('places orphans and cycles without hanging, townships still on their ring', () => {
    const odd: LayoutInput[] = [
      { id: 'C', tier: 'city', parent: null },
      { id: 'T1', tier: 'township', parent: 'MISSING' },
      { id: 'A', tier: 'county', parent: 'B' },
      { id: 'B', tier: 'county', parent: 'A' },
    ];
    const r = radialLayout(odd, { innerRadius: 100, outerRadius: 300 }).positions;
    expect(r.size).toBe(4);
    expect(dist(r.get('T1')!)).toBeCloseTo(300, 6);
    expect(dist(r.get('A')!)).toBeCloseTo(100, 6);
  });

  it('uses a virtual root when there is no single city', () => {
    const r = radialLayout(
      [
        { id: 'A', tier: 'county', parent: null },
        { id: 'A1', tier: 'township', parent: 'A' },
      ],
      { innerRadius: 100, outerRadius: 300 },
    );
    expect(dist(r.positions.get('A')!)).toBeCloseTo(100, 6);
    expect(dist(r.positions.get('A1')!)).toBeCloseTo(300, 6);
  });

  it('handles an empty network', () => {
    expect(radialLayout([]).positions.size).toBe(0);
  });
});

describe('widestGap', () => {
  it.each([
    [[], Math.PI],
    [[0], Math.PI],
    [[0, Math.PI / 2], (5 * Math.PI) / 4],
    [[(3 * Math.PI) / 4, (5 * Math.PI) / 4], 0],
    [[Math.PI / 4, (7 * Math.PI) / 4], Math.PI],
  ])('%j → %s', (angles, expected) => expect(widestGap(angles)).toBeCloseTo(expected, 9));
});

describe('widestGap with groups', () => {
  it('only counts gaps between two groups, not inside one', () => {
    const angles = [0, 3.5, 4, 6];
    expect(widestGap(angles)).toBeCloseTo(1.75, 9);
    expect(widestGap(angles, ['x', 'x', 'y', 'y'])).toBeCloseTo(3.75, 9);
  });

  it('gives the ring labels a gap between two fans in the Huizhou-like network', () => {
    const nodes = network();
    const { labelAngle, positions } = radialLayout(nodes);
    const townships = nodes
      .filter((n) => n.tier === 'township')
      .map((n) => ({ a: positions.get(n.id)!.angle, p: n.parent }))
      .sort((x, y) => x.a - y.a);
    const i = townships.findIndex((t) => t.a > labelAngle);
    const before = townships[(i - 1 + townships.length) % townships.length]!;
    const after = townships[i === -1 ? 0 : i]!;
    expect(before.p).not.toBe(after.p);
  });
});

describe('labels', () => {
  it.each([
    [0, -90, 'start'],
    [Math.PI / 2, 0, 'start'],
    [Math.PI, 90, 'start'],
    [(3 * Math.PI) / 2, 360, 'end'],
  ])('angle %s → rotate %s°, anchor %s', (angle, rotate, anchor) => {
    const l = radialLabel(angle, 8);
    expect(l.rotate).toBeCloseTo(rotate, 9);
    expect(l.anchor).toBe(anchor);
    expect(l.dx).toBe(anchor === 'start' ? 8 : -8);
  });

  it('shows township labels only from the zoom threshold on', () => {
    expect(showTownshipLabels(0.7)).toBe(false);
    expect(showTownshipLabels(1.5)).toBe(true);
  });
});
