import type { CounterState } from './types';
import { decodeRowTimes, encodeRowTimes } from './row-times';

/**
 * The counters a poll keeps for the next rate (so a restarted poller's first poll already yields
 * one), as ONE `(:Interface)` property, `ctr`: a `|`-separated line,
 *
 *     k1|at|ifIndex|uptimeCs|discontinuityCs|inOctets|outOctets|width|speedMbps|inErrors|outErrors|inDiscards|times
 *
 * decimal integers (BigInt-exact: Counter64 does not fit Neo4j's signed 64-bit integers), an empty
 * field for a counter not read, and `times` the per-counter row times of {@link encodeRowTimes} (empty
 * when every counter was timed by the read's first reply). Written on every interface at every poll:
 * twelve separate properties (`ctrAt` … `ctrTimes`, the format before) cost Neo4j a property lookup
 * and write each; one costs one. {@link keptFromProps} still reads the separate properties, so a
 * store written before restarts with rates.
 */

const VERSION = 'k1';

/** @example encodeKeptCounters({ at: 1500, ifIndex: 3, uptimeCs: 150n, discontinuityCs: 0n, inOctets: 10n, outOctets: 20n, width: 64, speedMbps: 1000 }) // 'k1|1500|3|150|0|10|20|64|1000||||' */
export function encodeKeptCounters(c: CounterState): string {
  return [
    VERSION,
    Math.round(c.at),
    c.ifIndex,
    c.uptimeCs,
    c.discontinuityCs,
    c.inOctets,
    c.outOctets,
    c.width,
    c.speedMbps,
    c.inErrors ?? '',
    c.outErrors ?? '',
    c.inDiscards ?? '',
    encodeRowTimes(c.times, c) ?? '',
  ].join('|');
}

const INT = /^\d+$/;

/** The inverse of {@link encodeKeptCounters}; undefined for anything malformed (that interface's first poll then has no rate). */
export function decodeKeptCounters(text: unknown): CounterState | undefined {
  if (typeof text !== 'string') return undefined;
  const f = text.split('|');
  if (f.length < 13 || f[0] !== VERSION) return undefined;
  const [, at, ifIndex, uptimeCs, discontinuityCs, inOctets, outOctets, width, speedMbps, inErrors, outErrors, inDiscards] = f;
  const times = f.slice(12).join('|');
  if (![at, ifIndex, uptimeCs, discontinuityCs, inOctets, outOctets, width, speedMbps].every((x) => x !== undefined && INT.test(x))) {
    return undefined;
  }
  const opt = (x: string | undefined) => (x !== undefined && INT.test(x) ? BigInt(x) : undefined);
  const errIn = opt(inErrors);
  const errOut = opt(outErrors);
  const discIn = opt(inDiscards);
  return {
    at: Number(at),
    ifIndex: Number(ifIndex),
    uptimeCs: BigInt(uptimeCs!),
    discontinuityCs: BigInt(discontinuityCs!),
    inOctets: BigInt(inOctets!),
    outOctets: BigInt(outOctets!),
    width: width === '32' ? 32 : 64,
    speedMbps: Number(speedMbps),
    ...(errIn !== undefined && { inErrors: errIn }),
    ...(errOut !== undefined && { outErrors: errOut }),
    ...(discIn !== undefined && { inDiscards: discIn }),
    ...(times !== '' && { times: decodeRowTimes(times) }),
  };
}

/** The separate properties the counters were kept in before `ctr` (still read; removed by the next write). */
export const LEGACY_COUNTER_PROPS = [
  'ctrAt',
  'ctrIfIndex',
  'ctrUptimeCs',
  'ctrTimes',
  'ctrDiscontinuityCs',
  'ctrIn',
  'ctrOut',
  'ctrWidth',
  'ctrSpeedMbps',
  'ctrInErrors',
  'ctrOutErrors',
  'ctrInDiscards',
] as const;

/** An Interface node's kept counters as read back (`ctr`, and the separate properties of the format before). */
export interface KeptCounterProps {
  ctr?: string | null;
  ctrAt?: number | null;
  ctrIfIndex?: number | null;
  ctrUptimeCs?: string | null;
  ctrDiscontinuityCs?: string | null;
  ctrIn?: string | null;
  ctrOut?: string | null;
  ctrWidth?: number | null;
  ctrSpeedMbps?: number | null;
  ctrInErrors?: string | null;
  ctrOutErrors?: string | null;
  ctrInDiscards?: string | null;
  ctrTimes?: string | null;
}

/**
 * The counters kept on one Interface node: `ctr` when present, else the separate properties of the
 * format before (`legacyProps`: the node still holds those, for the next write to remove); undefined
 * when nothing usable is kept.
 */
export function keptFromProps(p: KeptCounterProps): CounterState | undefined {
  const legacy = p.ctrAt != null ? { legacyProps: true as const } : {};
  const packed = decodeKeptCounters(p.ctr);
  if (packed) return { ...packed, ...legacy };
  if (p.ctrAt == null || p.ctrUptimeCs == null || p.ctrIn == null || p.ctrOut == null) return undefined;
  return {
    ...legacy,
    at: p.ctrAt,
    ifIndex: p.ctrIfIndex ?? 0,
    uptimeCs: BigInt(p.ctrUptimeCs),
    discontinuityCs: BigInt(p.ctrDiscontinuityCs ?? '0'),
    inOctets: BigInt(p.ctrIn),
    outOctets: BigInt(p.ctrOut),
    width: p.ctrWidth === 32 ? 32 : 64,
    speedMbps: p.ctrSpeedMbps ?? 0,
    ...(p.ctrInErrors != null && { inErrors: BigInt(p.ctrInErrors) }),
    ...(p.ctrOutErrors != null && { outErrors: BigInt(p.ctrOutErrors) }),
    ...(p.ctrInDiscards != null && { inDiscards: BigInt(p.ctrInDiscards) }),
    ...(p.ctrTimes != null && { times: decodeRowTimes(p.ctrTimes) }),
  };
}
