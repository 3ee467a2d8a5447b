import { describe, expect, it } from 'vitest';
import { hitIndex, hitTest, linkDistance } from './hit';

describe('hitTest', () => {
  const sites = [
    { id: 'city', x: 0, y: 0, r: 13 },
    { id: 'c1', x: 0, y: -210, r: 8.5 },
    { id: 't1', x: 0, y: -440, r: 4.6 },
    { id: 't2', x: 30, y: -439, r: 4.6 },
  ];
  const at = (id: string) => sites.find((s) => s.id === id)!;
  const links = [
    { id: 'L-city-c1', kind: 'primary', a: at('city'), b: at('c1') },
    { id: 'L-c1-t1', kind: 'primary', a: at('c1'), b: at('t1') },
    { id: 'B-c1-t1', kind: 'backup', a: at('c1'), b: at('t1') },
  ];
  const index = hitIndex(sites, links);

  it('finds the site under the point, within its radius and the tolerance', () => {
    expect(hitTest(index, { x: 2, y: -438 }, 1)).toEqual({ site: 't1' });
    expect(hitTest(index, { x: 28, y: -437 }, 1)).toEqual({ site: 't2' });
    expect(hitTest(index, { x: 15, y: -440 }, 1)).toBeNull(); // between two townships, on nothing
  });

  it('prefers a site over the links that end at it', () => {
    expect(hitTest(index, { x: 0, y: -205 }, 3)).toEqual({ site: 'c1' });
  });

  it('finds a straight link along its length and a backup on its curve', () => {
    expect(hitTest(index, { x: 1, y: -100 }, 3)).toEqual({ link: 'L-city-c1' });
    expect(hitTest(index, { x: -2, y: -330 }, 3)).toEqual({ link: 'L-c1-t1' });
    // The backup bows to the right of c1→t1 (heading up: the +x side); its control point sits min(16 % · 230, 46) = 36.8 px
    // off the middle, so the curve passes 18.4 px off it.
    expect(hitTest(index, { x: 18.4, y: -325 }, 3)).toEqual({ link: 'B-c1-t1' });
  });

  it('ignores what is not drawn', () => {
    expect(hitTest(index, { x: 2, y: -438 }, 1, (id) => id !== 't1')).toBeNull();
    expect(hitTest(index, { x: 1, y: -100 }, 3, (id) => id !== 'L-city-c1')).toBeNull();
  });

  it('scales: 40,000 sites answer in well under a millisecond each', () => {
    const many = Array.from({ length: 40_000 }, (_, i) => {
      const a = (i / 40_000) * 2 * Math.PI;
      return { id: `t${i}`, x: 440 * Math.sin(a), y: -440 * Math.cos(a), r: 0.03 };
    });
    const big = hitIndex(many, []);
    const t0 = performance.now();
    for (let i = 0; i < 1000; i++) {
      const s = many[(i * 37) % many.length]!;
      expect(hitTest(big, { x: s.x, y: s.y }, 0.01)).toEqual({ site: s.id });
    }
    expect((performance.now() - t0) / 1000).toBeLessThan(1);
  });

  it('measures distance to a link as drawn', () => {
    const l = { id: 'x', kind: 'primary', a: { x: 0, y: 0 }, b: { x: 10, y: 0 } };
    expect(linkDistance({ x: 5, y: 3 }, l)).toBe(3);
    expect(linkDistance({ x: 14, y: 3 }, l)).toBe(5);
  });
});
