import { interpolateRgb, scaleLinear } from 'd3';
import type { LinkOperState, LinkStatus } from '@extranet/topology';

/**
 * Colours of the map. Links follow the LibreNMS / PHP Weathermap convention
 * (green 0 % → yellow 50 % → orange 75 % → red 100 % → purple ≥ 150 %), with
 * grey when there is no fresh measurement, black dashed when down and grey
 * dashed while the link is only planned. A **stale** reading (its devices
 * missed a poll since: `staleSince` from the poller) is never drawn in a
 * utilization colour or as up/down — yesterday's load is not today's: it is
 * grey and finely dotted ("hatched"), and the panel shows its age.
 * Nodes are coloured by coverage class.
 */

/** Utilization stops, percent of capacity → colour. */
export const UTILIZATION_STOPS: ReadonlyArray<readonly [pct: number, colour: string]> = [
  [0, '#1a9641'],
  [50, '#f2d024'],
  [75, '#f28c18'],
  [100, '#d7191c'],
  [150, '#7b3294'],
];

const scale = scaleLinear<string>()
  .domain(UTILIZATION_STOPS.map((s) => s[0]))
  .range(UTILIZATION_STOPS.map((s) => s[1]))
  .interpolate(interpolateRgb)
  .clamp(true);

/**
 * Colour of a utilization in percent of capacity (clamped to 0–150).
 * @example utilizationColour(0) // '#1a9641' (green); utilizationColour(100) // '#d7191c' (red)
 */
export function utilizationColour(pct: number): string {
  return toHex(scale(Number.isFinite(pct) ? pct : 0));
}

/** d3 interpolators answer `rgb(r, g, b)`; stops are hex — one notation for both. */
function toHex(c: string): string {
  const m = /^rgb\((\d+), (\d+), (\d+)\)$/.exec(c);
  if (!m) return c;
  return `#${[m[1], m[2], m[3]].map((v) => Number(v).toString(16).padStart(2, '0')).join('')}`;
}

export const NOT_POLLED_COLOUR = '#a3a8ae';
export const DOWN_COLOUR = '#111111';
export const PLANNED_COLOUR = '#9aa0a6';
export const STALE_COLOUR = '#b8bcc2';
/** The hatch of a stale link: short dots, unlike the dashes of planned and down links. */
export const STALE_DASH = '2 3';

/** What decides a link's look: its plan status, and its last measurement if any. */
export interface LinkLookInput {
  status: LinkStatus;
  /** From the poller; absent = no measurement yet. */
  state?: LinkOperState | undefined;
  /** Utilization of the busier direction, percent; null/absent = unknown. */
  pct?: number | null | undefined;
  /** When the reading went stale (ISO 8601 or ms), null/absent = current. */
  staleSince?: string | number | null | undefined;
}

export type LinkLookKind = 'planned' | 'down' | 'stale' | 'not-polled' | 'utilization';

export interface LinkLook {
  kind: LinkLookKind;
  stroke: string;
  /** SVG stroke-dasharray, or null for a solid line. */
  dash: string | null;
}

/**
 * The look of a link: planned → grey dashed; stale → grey dotted (whatever it
 * last showed); down → black dashed; no fresh utilization → grey; otherwise
 * the utilization colour.
 */
export function linkLook(input: LinkLookInput): LinkLook {
  if (input.status === 'planned' || input.state === 'not-built') return { kind: 'planned', stroke: PLANNED_COLOUR, dash: '5 4' };
  if (input.staleSince !== null && input.staleSince !== undefined) return { kind: 'stale', stroke: STALE_COLOUR, dash: STALE_DASH };
  if (input.state === 'down') return { kind: 'down', stroke: DOWN_COLOUR, dash: '7 3' };
  if (input.state !== 'up' || input.pct === null || input.pct === undefined || !Number.isFinite(input.pct)) {
    return { kind: 'not-polled', stroke: NOT_POLLED_COLOUR, dash: null };
  }
  return { kind: 'utilization', stroke: utilizationColour(input.pct), dash: null };
}

/** The busier direction of a link, percent; null when neither is known. */
export function busierPct(inPct: number | null | undefined, outPct: number | null | undefined): number | null {
  const known = [inPct, outPct].filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return known.length ? Math.max(...known) : null;
}

/**
 * Age of a reading for a panel, in the largest whole unit: `{ value: 90, unit: 's' }`
 * → the caller formats it with its i18n key. Negative ages (clock skew) are 0.
 * @example readingAgeParts(Date.parse('2025-03-04T02:00:00Z'), Date.parse('2025-03-04T03:30:00Z')) // { value: 1, unit: 'h' }
 */
export function readingAgeParts(readAtMs: number, nowMs: number): { value: number; unit: 's' | 'min' | 'h' | 'd' } {
  const s = Math.max(0, Math.floor((nowMs - readAtMs) / 1000));
  if (s < 120) return { value: s, unit: 's' };
  if (s < 7200) return { value: Math.floor(s / 60), unit: 'min' };
  if (s < 172_800) return { value: Math.floor(s / 3600), unit: 'h' };
  return { value: Math.floor(s / 86_400), unit: 'd' };
}
