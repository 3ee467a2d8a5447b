import { describe, expect, it } from 'vitest';
import {
  busierPct,
  DOWN_COLOUR,
  linkLook,
  NOT_POLLED_COLOUR,
  PLANNED_COLOUR,
  readingAgeParts,
  STALE_COLOUR,
  STALE_DASH,
  utilizationColour,
  UTILIZATION_STOPS,
} from './colour';

describe('utilizationColour', () => {
  it.each(UTILIZATION_STOPS.map(([pct, colour]) => [pct, colour] as const))('is the stop colour at %s %%', (pct, colour) => {
    expect(utilizationColour(pct)).toBe(colour);
  });

  it.each([
    [-5, '#1a9641'],
    [400, '#7b3294'],
    [Number.NaN, '#1a9641'],
  ])('clamps %s to the ends', (pct, colour) => expect(utilizationColour(pct)).toBe(colour));

  it('interpolates between stops (25 % lies between green and yellow)', () => {
    const c = utilizationColour(25);
    expect(c).toMatch(/^#[0-9a-f]{6}$/);
    expect(c).not.toBe('#1a9641');
    expect(c).not.toBe('#f2d024');
  });

  it('grows redder as the link fills (red channel rises, green falls from 50 % on)', () => {
    const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    const at = [50, 60, 75, 90, 100].map((p) => rgb(utilizationColour(p)));
    for (let i = 1; i < at.length; i++) expect(at[i]![1]!).toBeLessThanOrEqual(at[i - 1]![1]!);
  });
});

describe('linkLook', () => {
  it.each([
    [{ status: 'planned' }, 'planned', PLANNED_COLOUR, true],
    [{ status: 'built', state: 'not-built' }, 'planned', PLANNED_COLOUR, true],
    [{ status: 'built', state: 'down', pct: 40 }, 'down', DOWN_COLOUR, true],
    [{ status: 'built' }, 'not-polled', NOT_POLLED_COLOUR, false],
    [{ status: 'built', state: 'unknown', pct: 40 }, 'not-polled', NOT_POLLED_COLOUR, false],
    [{ status: 'built', state: 'up', pct: null }, 'not-polled', NOT_POLLED_COLOUR, false],
    [{ status: 'built', state: 'up', pct: 100 }, 'utilization', '#d7191c', false],
    [{ status: 'built', state: 'up', pct: 0.5 }, 'utilization', utilizationColour(0.5), false],
  ] as const)('%j → %s', (input, kind, stroke, dashed) => {
    const look = linkLook(input);
    expect(look.kind).toBe(kind);
    expect(look.stroke).toBe(stroke);
    expect(look.dash !== null).toBe(dashed);
  });
});

describe('busierPct', () => {
  it.each([
    [10, 30, 30],
    [null, 30, 30],
    [undefined, null, null],
    [Number.NaN, 5, 5],
  ])('(%s, %s) → %s', (a, b, expected) => expect(busierPct(a, b)).toBe(expected));
});

describe('linkLook of a stale reading', () => {
  it.each([
    [{ status: 'built', state: 'up', pct: 95, staleSince: '2025-03-04T02:00:00.000Z' }, 'stale'],
    [{ status: 'built', state: 'down', pct: 0, staleSince: 0 }, 'stale'],
    [{ status: 'built', state: 'up', pct: 95, staleSince: null }, 'utilization'],
    [{ status: 'planned', state: 'up', pct: 95, staleSince: 0 }, 'planned'],
  ] as const)('%j → %s', (input, kind) => {
    const look = linkLook(input);
    expect(look.kind).toBe(kind);
    if (kind === 'stale') expect(look).toEqual({ kind: 'stale', stroke: STALE_COLOUR, dash: STALE_DASH });
  });

  it('never shows a stale utilization in a utilization colour', () => {
    for (const pct of [0, 50, 100, 150]) {
      expect(UTILIZATION_STOPS.map((s) => s[1])).not.toContain(linkLook({ status: 'built', state: 'up', pct, staleSince: 1 }).stroke);
    }
  });
});

describe('readingAgeParts', () => {
  it.each([
    [0, { value: 0, unit: 's' }],
    [-5_000, { value: 0, unit: 's' }],
    [119_000, { value: 119, unit: 's' }],
    [125_000, { value: 2, unit: 'min' }],
    [5_400_000, { value: 90, unit: 'min' }],
    [7_200_000, { value: 2, unit: 'h' }],
    [3 * 86_400_000, { value: 3, unit: 'd' }],
  ])('%s ms → %j', (ms, parts) => expect(readingAgeParts(0, ms)).toEqual(parts));
});
