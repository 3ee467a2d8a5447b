import { describe, expect, it } from 'vitest';
import { speedMismatch } from './speed-mismatch';

describe('speedMismatch', () => {
  it.each([
    [1000, 100, { planMbps: 1000, reportedMbps: 100, direction: 'slower' }],
    [100, 1000, { planMbps: 100, reportedMbps: 1000, direction: 'faster' }],
    [1000, 1000, undefined],
    [1000, 0, undefined],
    [null, 100, undefined],
    [1000, undefined, undefined],
  ])('plan %s Mbps, reported %s Mbps', (plan, reported, expected) => {
    expect(speedMismatch(plan, reported)).toEqual(expected);
  });
});
