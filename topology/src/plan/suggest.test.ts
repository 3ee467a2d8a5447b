import { describe, expect, it } from 'vitest';
import { closestMatch, didYouMean, editDistance } from './suggest';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['GigabitEthernet0/0/1', 'GigabitEthernet0/0/0', 1],
    ['441320', '441302', 1], // a swapped pair is one edit
    ['桥东街道', '桥西街道', 1], // one edit per Chinese character, not per UTF-16 unit
    ['hz-4413-core-1', 'hz-4413-core-01', 1],
  ])('counts %j → %j as %i edits', (a, b, n) => {
    expect(editDistance(a, b)).toBe(n);
    expect(editDistance(b, a)).toBe(n);
  });
});

describe('closestMatch', () => {
  it('suggests the nearest candidate when it is a plausible typo', () => {
    expect(closestMatch('441320', ['4413', '441302', '441303'])).toBe('441302');
    expect(closestMatch('Parent', ['parent', 'name'])).toBe('parent');
  });

  it('suggests nothing when every candidate is far away', () => {
    expect(closestMatch('uplink', ['441302', '4413'])).toBeUndefined();
    expect(didYouMean('x', [])).toBeUndefined();
  });

  it('breaks ties by sorted order, so the hint never depends on input order', () => {
    expect(closestMatch('v3', ['v4', 'v2'])).toBe('v2');
    expect(didYouMean('v3', ['v2', 'v4'])).toBe('did you mean v2?');
  });
});
