import { describe, expect, it } from 'vitest';
import { bowControl, BOW_MAX, linkPath } from './geometry';

describe('linkPath', () => {
  it('draws uplinks and the internet exit straight', () => {
    expect(linkPath('uplink', { x: 0, y: 0 }, { x: 100, y: 0 })).toBe('M0,0L100,0');
    expect(linkPath('internet-exit', { x: 0, y: 0 }, { x: 10.123, y: -5 })).toBe('M0,0L10.12,-5');
  });

  it('bows backups to the right of a→b, by a share of the length', () => {
    expect(linkPath('backup', { x: 0, y: 0 }, { x: 100, y: 0 })).toBe('M0,0Q50,16 100,0');
    expect(bowControl({ x: 0, y: 0 }, { x: 0, y: 100 })).toEqual({ x: -16, y: 50 });
  });

  it('caps the bow of long links and survives a zero-length one', () => {
    expect(bowControl({ x: 0, y: 0 }, { x: 1000, y: 0 }).y).toBe(BOW_MAX);
    expect(bowControl({ x: 5, y: 5 }, { x: 5, y: 5 })).toEqual({ x: 5, y: 5 });
  });
});
