import { describe, expect, it } from 'vitest';
import { revealPan } from './map-zoom';

describe('revealPan', () => {
  const view = { width: 1000, height: 700, rightInset: 0 };
  it.each([
    ['leaves a point well inside alone', [500, 350], view, null],
    ['leaves a point exactly on the margin alone', [40, 660], view, null],
    ['brings a point past the right edge 120 px inside', [990, 350], view, { dx: -110, dy: 0 }],
    ['brings a point near the left edge 120 px inside', [10, 350], view, { dx: 110, dy: 0 }],
    ['brings a point above the top 120 px inside', [500, -50], view, { dx: 0, dy: 170 }],
    ['brings a point near the bottom 120 px inside', [500, 690], view, { dx: 0, dy: -110 }],
    ['pans on both axes for a corner', [5, 695], view, { dx: 115, dy: -115 }],
    ['counts the panel on the right as hidden', [700, 350], { ...view, rightInset: 400 }, { dx: -220, dy: 0 }],
    ['leaves a point left of the panel alone', [500, 350], { ...view, rightInset: 400 }, null],
  ] as const)('%s', (_name, point, v, pan) => {
    expect(revealPan(point, v)).toEqual(pan);
  });
});
