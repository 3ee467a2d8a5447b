import { describe, expect, it } from 'vitest';
import { countyAggregates, slices } from './aggregate';

describe('countyAggregates', () => {
  const townships = [
    { id: 'a1', county: 'A', angle: 0.1, status: 'compliant' },
    { id: 'a2', county: 'A', angle: 0.2, status: 'compliant' },
    { id: 'a3', county: 'A', angle: 0.3, status: 'unconnected' },
    { id: 'a4', county: 'A', angle: 0.4, status: undefined },
    { id: 'b1', county: 'B', angle: 1.0, status: 'below-target' },
  ];
  const aggs = countyAggregates(townships, 0.05);

  it('counts each county-level unit’s townships by class, unknown apart', () => {
    const a = aggs.get('A')!;
    expect(a.total).toBe(4);
    expect(Object.fromEntries(a.counts)).toEqual({ compliant: 2, unconnected: 1, unknown: 1 });
    expect(aggs.get('B')!.total).toBe(1);
  });

  it('spans its townships’ angles, padded', () => {
    expect(aggs.get('A')!.start).toBeCloseTo(0.05);
    expect(aggs.get('A')!.end).toBeCloseTo(0.45);
  });

  it('cuts the span into slices proportional to the counts, in class order, unknown last', () => {
    const s = slices(aggs.get('A')!, ['compliant', 'below-target', 'unconnected']);
    expect(s.map((x) => [x.cls, x.count])).toEqual([
      ['compliant', 2],
      ['unconnected', 1],
      ['unknown', 1],
    ]);
    expect(s[0]!.start).toBeCloseTo(0.05);
    expect(s[0]!.end).toBeCloseTo(0.25);
    expect(s[2]!.end).toBeCloseTo(0.45);
  });
});
