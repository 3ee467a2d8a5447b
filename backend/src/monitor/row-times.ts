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

/**
 * The row times as stored. A counter timed like the read itself (`read`: its sysUpTime and receipt, which
 * a counter without a row time falls back to) is left out, and null stands for none left: most reads
 * answer in one reply, and a long string rewritten on every interface at every poll is what fills
 * Neo4j's transaction log at national size (~0.8 kB per interface and poll).
 * @example encodeRowTimes({ outOctets: { uptimeCs: 150n, at: 1500 } }) // '{"outOctets":["150",1500]}'
 */
export function encodeRowTimes(times: CounterState['times'], read?: { uptimeCs: bigint; at: number }): string | null {
  if (times === undefined) return null;
  const out: Record<string, [string, number]> = {};
  let n = 0;
  for (const name of NAMES) {
    const t = times[name];
    if (t === undefined || (read !== undefined && t.uptimeCs === read.uptimeCs && t.at === read.at)) continue;
    out[name] = [t.uptimeCs.toString(), t.at];
    n++;
  }
  return read !== undefined && n === 0 ? null : JSON.stringify(out);
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
