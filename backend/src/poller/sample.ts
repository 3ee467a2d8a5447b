import { eventRate, matchInterfaces, octetRate, withRowTime, type OctetSample, type OperStatus } from '@extranet/topology';
import type { CounterName, CounterState, InterfaceResult } from '../monitor/types';
import { OPER_STATUS, type InterfacesReading } from '../snmp/ifmib';

// The result types are declared with the rest of what a poll cycle persists (monitor/types.ts).
export type { CounterState, InterfaceResult, RateRejection } from '../monitor/types';

/**
 * The pure step of a poll (snmp_exporter's `pduToSamples`): one device's
 * IF-MIB reading plus what was kept from its previous poll → per plan
 * interface its state and, when the counter pair is trustworthy, its rates.
 *
 * Rates come only from `octetRate` (topology/monitor/counters.ts): a pair it
 * rejects (reboot, reset, discontinuity, ambiguous wrap, beyond line rate) gives
 * *no* rate — never a spike, never a zero. Two more rejections are added here:
 * `first-sample` (nothing to compare with) and `gap-too-long` (the previous
 * reading is older than `maxGapMs`: after an outage the average over the gap
 * would smear the history, so the interval is dropped).
 *
 * Units: octets and centiseconds as the agent counts them (BigInt), speeds in
 * Mbps, rates in **bits per second**, times in ms since the epoch.
 */

export interface DeviceSample {
  interfaces: InterfaceResult[];
  /** Plan interface names the agent does not have (by ifName, ifAlias or ifDescr). */
  missing: string[];
  /** Plan interface names more than one agent row answers to. */
  ambiguous: string[];
}

/** Maps an ifOperStatus integer (RFC 2863) to its name; anything else is `unknown`. */
export function operStatusName(value: number): OperStatus {
  return (OPER_STATUS as Record<number, OperStatus>)[value] ?? 'unknown';
}

/**
 * @param planInterfaces the device's interface names in the plan
 * @param previous last CounterState per plan interface name
 * @param opts.maxGapMs longest accepted interval between two readings, ms
 * @example
 * const s = sampleDevice('hz-core', ['Gi0/0/0'], reading, prev, { maxGapMs: 180_000 });
 * s.interfaces[0].inBps // → 3.2e8, or undefined with s.interfaces[0].rejected = 'reboot'
 */
export function sampleDevice(
  hostname: string,
  planInterfaces: readonly string[],
  reading: InterfacesReading,
  previous: ReadonlyMap<string, CounterState>,
  opts: { maxGapMs: number },
): DeviceSample {
  const rows = [...reading.interfaces].map(([ifIndex, r]) => ({ ifIndex, ifName: r.ifName, ifAlias: r.ifAlias, ifDescr: r.ifDescr }));
  const matches = matchInterfaces(planInterfaces, rows);
  const out: DeviceSample = { interfaces: [], missing: [], ambiguous: [] };
  for (const name of planInterfaces) {
    const m = matches.get(name);
    if (m === undefined || !m.ok) {
      (m?.reason === 'ambiguous' ? out.ambiguous : out.missing).push(name);
      continue;
    }
    const r = reading.interfaces.get(m.ifIndex)!;
    const counters: CounterState = {
      at: reading.receivedAt,
      ifIndex: m.ifIndex,
      uptimeCs: reading.uptimeCs,
      discontinuityCs: r.discontinuityCs,
      inOctets: r.inOctets,
      outOctets: r.outOctets,
      width: r.counterWidth,
      speedMbps: r.highSpeedMbps,
      inErrors: r.inErrors,
      outErrors: r.outErrors,
      inDiscards: r.inDiscards,
      times: r.stamps,
    };
    const prev = previous.get(name);
    const result: InterfaceResult = {
      key: `${hostname}|${name}`,
      ifName: name,
      ifIndex: m.ifIndex,
      matchedBy: m.by,
      reindexed: prev !== undefined && prev.ifIndex !== m.ifIndex,
      ifHighSpeedMbps: r.highSpeedMbps,
      operStatus: operStatusName(r.operStatus),
      counters,
      ...(prev?.legacyProps && { dropLegacyCounters: true }),
    };
    Object.assign(result, rates(prev, counters, opts.maxGapMs));
    out.interfaces.push(result);
  }
  return out;
}

type Rates = Pick<
  InterfaceResult,
  'inBps' | 'outBps' | 'rejected' | 'rejectedDetail' | 'inErrorsPerSec' | 'outErrorsPerSec' | 'inDiscardsPerSec'
>;

/** Both directions' rates, or the first rejection (one bad direction discards the pair); then the error and discard rates. */
function rates(prev: CounterState | undefined, cur: CounterState, maxGapMs: number): Rates {
  if (prev === undefined) return { rejected: 'first-sample', rejectedDetail: 'no previous reading to compare with' };
  if (cur.at - prev.at > maxGapMs) {
    return { rejected: 'gap-too-long', rejectedDetail: `previous reading is ${Math.round((cur.at - prev.at) / 1000)} s old` };
  }
  // Traffic of the interval was bounded by the faster of the two speeds (a speed drop mid-interval is not a spike).
  const speed = Math.max(prev.speedMbps, cur.speedMbps);
  const opts = speed > 0 ? { speedMbps: speed } : {};
  const inRate = octetRate(octets(prev, 'inOctets'), octets(cur, 'inOctets'), opts);
  if (!inRate.ok) return { rejected: inRate.reason, rejectedDetail: `in: ${inRate.detail}` };
  const outRate = octetRate(octets(prev, 'outOctets'), octets(cur, 'outOctets'), opts);
  if (!outRate.ok) return { rejected: outRate.reason, rejectedDetail: `out: ${outRate.detail}` };
  const out: Rates = { inBps: inRate.bitsPerSecond, outBps: outRate.bitsPerSecond };
  const inErrors = packets(prev, cur, 'inErrors', opts);
  const outErrors = packets(prev, cur, 'outErrors', opts);
  const inDiscards = packets(prev, cur, 'inDiscards', opts);
  if (inErrors !== undefined) out.inErrorsPerSec = inErrors;
  if (outErrors !== undefined) out.outErrorsPerSec = outErrors;
  if (inDiscards !== undefined) out.inDiscardsPerSec = inDiscards;
  return out;
}

/** A packet counter's rate (Counter32) over the interval, or undefined when either reading lacks it or `eventRate` rejects the pair. */
function packets(
  prev: CounterState,
  cur: CounterState,
  name: 'inErrors' | 'outErrors' | 'inDiscards',
  opts: { speedMbps?: number },
): number | undefined {
  const p = prev[name];
  const c = cur[name];
  if (p === undefined || c === undefined) return undefined;
  const r = eventRate(
    withRowTime({ uptimeCs: prev.uptimeCs, discontinuity: prev.discontinuityCs, value: p, width: 32, at: prev.at }, prev.times?.[name]),
    withRowTime({ uptimeCs: cur.uptimeCs, discontinuity: cur.discontinuityCs, value: c, width: 32, at: cur.at }, cur.times?.[name]),
    opts,
  );
  return r.ok ? r.perSecond : undefined;
}

/** One direction's counter of a reading, timed by its own row, as `octetRate` takes it. */
function octets(s: CounterState, name: Extract<CounterName, 'inOctets' | 'outOctets'>): OctetSample {
  return withRowTime(
    { uptimeCs: s.uptimeCs, discontinuity: s.discontinuityCs, octets: s[name], width: s.width, at: s.at },
    s.times?.[name],
  );
}
