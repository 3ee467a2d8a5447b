import type { RowTime } from '@extranet/topology';
import type { CounterName, CounterState } from './types';

/**
 * The per-counter row times of a {@link CounterState} as one Interface node
 * property (`ctrTimes`), so the first poll after a restart still times each
 * counter by its own reply. A JSON object `{ counter: [sysUpTime cs as a
 * decimal string, receipt ms] }`: Neo4j integers are 64-bit signed and
 * TimeTicks fit, but a string keeps BigInt exact without a second rule.
 */

const NAMES: readonly CounterName[] = ['inOctets', 'outOctets', 'inErrors', 'outErrors', 'inDiscards'];

/** @example encodeRowTimes({ outOctets: { uptimeCs: 150n, at: 1500 } }) // '{"outOctets":["150",1500]}' */
export function encodeRowTimes(times: CounterState['times']): string | null {
  if (times === undefined) return null;
  const out: Record<string, [string, number]> = {};
  for (const n of NAMES) {
    const t = times[n];
    if (t !== undefined) out[n] = [t.uptimeCs.toString(), t.at];
  }
  return JSON.stringify(out);
}

/** The inverse of {@link encodeRowTimes}; anything malformed is left out (the counter then falls back to the read's first reply). */
export function decodeRowTimes(text: string | null | undefined): CounterState['times'] {
  if (typeof text !== 'string') return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const out: Partial<Record<CounterName, RowTime>> = {};
  for (const n of NAMES) {
    const v = (raw as Record<string, unknown>)[n];
    if (!Array.isArray(v) || typeof v[0] !== 'string' || !/^\d+$/.test(v[0]) || typeof v[1] !== 'number') continue;
    out[n] = { uptimeCs: BigInt(v[0]), at: v[1] };
  }
  return out;
}
