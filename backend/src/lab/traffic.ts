import type { LinkTier } from '@extranet/topology';
import { CHINA_STANDARD_TIME, expectedUtilization } from './diurnal';
import { noise } from './rng';

/**
 * The counters of one simulated interface and how they grow. Traffic is
 * piecewise constant per minute: each minute's rate is the diurnal expectation
 * times a noise factor keyed by (interface, minute), so the curve is the same
 * whatever the poll times; counters integrate it up to the asked instant.
 * Units: octets (bytes) for the octet counters, packets for errors/discards,
 * ms since the epoch for times, Mbps for capacity.
 */

const MINUTE_MS = 60_000;
const U64 = (1n << 64n) - 1n;

/** What shapes the traffic while it flows; changing any of it means advancing first. */
export interface TrafficConditions {
  /** The capacity traffic is drawn against: the interface's current ifHighSpeed, in Mbps. */
  capacityMbps: number;
  /** ifOperStatus up; a down interface's counters stop. */
  up: boolean;
  /** Traffic pinned at ~97–100 % of capacity, with discards. */
  saturated: boolean;
}

export interface InterfaceCounters {
  /** Noise key: stable per interface and seed. */
  readonly key: string;
  readonly tier: LinkTier;
  /** Transmitted / received ratio (townships download more than they send). */
  readonly outRatio: number;
  inOctets: bigint;
  outOctets: bigint;
  inErrors: bigint;
  outErrors: bigint;
  inDiscards: bigint;
  /** Instant (ms) up to which the counters are integrated. */
  at: number;
  /** Fractions not yet counted (a counter only grows by whole units). */
  carry: [inOctets: number, outOctets: number, inErrors: number, outErrors: number, inDiscards: number];
}

/** New counters at `at`, starting from `initialOctets` in each direction. */
export function newCounters(key: string, tier: LinkTier, at: number, initialOctets = 0n): InterfaceCounters {
  return {
    key,
    tier,
    outRatio: 0.25 + 0.5 * noise(key, 'out-ratio'),
    inOctets: initialOctets,
    outOctets: (initialOctets * 3n) / 5n,
    inErrors: 0n,
    outErrors: 0n,
    inDiscards: 0n,
    at,
    carry: [0, 0, 0, 0, 0],
  };
}

/**
 * Utilization of one minute (fraction of capacity, 0–1).
 *
 * @param minute minute index since the epoch (ms / 60 000, floored)
 */
export function minuteUtilization(
  c: Pick<InterfaceCounters, 'key' | 'tier'>,
  minute: number,
  saturated: boolean,
  utcOffsetMinutes = CHINA_STANDARD_TIME,
): number {
  if (saturated) return 0.97 + 0.03 * noise(c.key, 'sat', minute);
  const jitter = 0.75 + 0.5 * noise(c.key, minute);
  return Math.min(0.95, expectedUtilization(c.tier, minute * MINUTE_MS, utcOffsetMinutes) * jitter);
}

function add(c: InterfaceCounters, slot: 0 | 1 | 2 | 3 | 4, amount: number): bigint {
  const total = c.carry[slot] + amount;
  const whole = Math.floor(total);
  c.carry[slot] = total - whole;
  return BigInt(whole);
}

/**
 * Integrates traffic from `c.at` to `now` under `cond` (mutates `c`). A `now`
 * before `c.at` (a clock stepped back) changes nothing. Counter64 wraps at 2^64.
 */
export function advanceCounters(c: InterfaceCounters, now: number, cond: TrafficConditions, utcOffsetMinutes = CHINA_STANDARD_TIME): void {
  for (let from = c.at; from < now;) {
    const minute = Math.floor(from / MINUTE_MS);
    const to = Math.min(now, (minute + 1) * MINUTE_MS);
    const seconds = (to - from) / 1000;
    if (cond.up && cond.capacityMbps > 0) {
      const util = minuteUtilization(c, minute, cond.saturated, utcOffsetMinutes);
      const inBytesPerSecond = (cond.capacityMbps * 1e6 * util) / 8;
      const outShare = cond.saturated ? 0.6 : c.outRatio;
      c.inOctets = (c.inOctets + add(c, 0, inBytesPerSecond * seconds)) & U64;
      c.outOctets = (c.outOctets + add(c, 1, inBytesPerSecond * outShare * seconds)) & U64;
      // A few CRC errors an hour on a busy line; discards when the queue overflows.
      c.inErrors += add(c, 2, seconds * 0.002 * util);
      c.outErrors += add(c, 3, seconds * 0.0005 * util);
      c.inDiscards += add(c, 4, seconds * (cond.saturated ? 40 : 0.01 * util));
    }
    from = to;
  }
  c.at = Math.max(c.at, now);
}

/** Counters restart from zero at `now` (the device re-initialised). */
export function resetCounters(c: InterfaceCounters, now: number): void {
  c.inOctets = c.outOctets = c.inErrors = c.outErrors = c.inDiscards = 0n;
  c.carry = [0, 0, 0, 0, 0];
  c.at = now;
}

/**
 * Octet counters step back by `octets` in each direction (half of it outbound), never below 0: an agent
 * whose counter goes backwards without a reboot or a discontinuity (a buggy line card, a counter
 * re-read from another ASIC). Traffic goes on counting from the lower value.
 */
export function rewindCounters(c: InterfaceCounters, octets: bigint): void {
  const back = (v: bigint, by: bigint) => (by > v ? 0n : v - by);
  c.inOctets = back(c.inOctets, octets);
  c.outOctets = back(c.outOctets, octets / 2n);
}

/** Counters jump by `octets` in each direction (what a discontinuity looks like on the wire). */
export function jumpCounters(c: InterfaceCounters, octets: bigint): void {
  c.inOctets = (c.inOctets + octets) & U64;
  c.outOctets = (c.outOctets + octets / 2n) & U64;
}
