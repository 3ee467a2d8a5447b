/**
 * Counter → rate math for IF-MIB counters, per RFC 2863 §3.1.6
 * (https://www.rfc-editor.org/rfc/rfc2863#section-3.1.6) and the TimeTicks
 * definition of SNMPv2-SMI (https://www.rfc-editor.org/rfc/rfc2578#section-7.1.8).
 *
 * Units: counters are raw unsigned integers (octets for ifHCInOctets/ifInOctets,
 * packets for ifInErrors/ifInDiscards); sysUpTime and ifCounterDiscontinuityTime
 * are TimeTicks, i.e. **centiseconds** (cs); speeds are **Mbps** (ifHighSpeed);
 * rates are **bits per second** (octet counters) or **events per second**.
 *
 * The interval is the agent's own sysUpTime difference, not the poller's clock:
 * the agent stamps both values, so network latency and retries do not distort
 * the rate. This holds because every sample carries the time of its OWN row
 * ({@link RowTime}): the poller asks sysUpTime.0 in every request of a poll and
 * gives each counter the sysUpTime of the reply that carried it. A reply that
 * comes 2 s late then moves the counter and its time together; timing it by
 * another reply (say the poll's first) would be off by the change in that delay
 * divided by the interval (±3 % at 60 s). All arithmetic is BigInt until the
 * final division, so deltas near 2^64 stay exact.
 *
 * A sample pair that cannot be turned into a trustworthy rate is *rejected* with
 * a reason; it is never turned into a spike (or a zero). Rules, in order:
 * 1. `invalid-sample`  a value outside its SMI range (negative, ≥ 2^width, uptime ≥ 2^32).
 * 2. `width-changed`   the poller switched between 32- and 64-bit columns.
 * 3. `reboot`          sysUpTime went backwards and that is not a plausible
 *                      sysUpTime wrap (see {@link DEFAULT_MAX_UPTIME_WRAP_GAP_CS}), or
 *                      the agent's clock advanced clearly less than the local
 *                      clock (`at`), i.e. it restarted in between.
 * 4. `too-short`       interval below `minIntervalCs` (zero included).
 * 5. `discontinuity`   ifCounterDiscontinuityTime changed (RFC 2863: "the counter
 *                      may have been re-initialized"), or appeared/disappeared.
 * 6. `counter-decreased` a Counter64 decreased: it cannot wrap in practice, so it was reset.
 * 7. `ambiguous-wrap`  a Counter32 decreased and either the single-wrap reading
 *                      implies more than the interface speed allows (so it was a
 *                      reset), or the interface could have wrapped it more than
 *                      once in the interval, or the decrease spans a sysUpTime wrap
 *                      (a reboot cannot be ruled out). The "more than once" test also
 *                      applies to a Counter32 that *increased*: at 1 Gbps a 40 s
 *                      interval may hide a whole wrap.
 * 8. `exceeds-speed`   no wrap, but the delta implies more than the interface speed.
 * Without `speedMbps` rules 7 (speed part) and 8 cannot apply and a Counter32
 * decrease is read as exactly one wrap, as RFC 2863 expects of a poller that
 * polls faster than the wrap time.
 */

/** 2^32: the modulus of Counter32 and of TimeTicks. */
const TWO_32 = 1n << 32n;

export type CounterWidth = 32 | 64;

/** One reading of one counter of one interface. */
export interface CounterSample {
  /** sysUpTime.0 when read, centiseconds (TimeTicks, wraps at 2^32 ≈ 497 days). */
  uptimeCs: bigint;
  /** ifCounterDiscontinuityTime (a sysUpTime value, cs; 0 = none since agent start); `undefined` when the agent lacks it. */
  discontinuity: bigint | undefined;
  /** The raw counter value (octets, packets, …). */
  value: bigint;
  /** 32 for ifInOctets/ifInErrors (Counter32), 64 for the ifHC* columns (Counter64). */
  width: CounterWidth;
  /** Local receipt time, ms since the epoch (injected clock). Optional cross-check against reboots. */
  at?: number;
}

/**
 * When the agent read one counter: sysUpTime.0 carried by the same reply as the
 * counter's row (cs), and that reply's local receipt time (ms since the epoch).
 */
export interface RowTime {
  uptimeCs: bigint;
  at: number;
}

/**
 * A reading timed by its own row: `sample` with `uptimeCs` and `at` taken from
 * `time` (kept as they are when `time` is undefined, e.g. state kept by an
 * older version that timed the whole poll by one reply).
 *
 * @example withRowTime({ uptimeCs: 0n, discontinuity: 0n, octets: 5n, width: 64 }, { uptimeCs: 150n, at: 1500 })
 * // → { uptimeCs: 150n, at: 1500, discontinuity: 0n, octets: 5n, width: 64 }
 */
export function withRowTime<T extends Pick<CounterSample, 'uptimeCs' | 'at'>>(sample: T, time: RowTime | undefined): T {
  return time === undefined ? sample : { ...sample, uptimeCs: time.uptimeCs, at: time.at };
}

/** A reading of an octet counter, as the poller produces it. Same fields as {@link CounterSample}, `octets` instead of `value`. */
export interface OctetSample extends Omit<CounterSample, 'value'> {
  /** ifHCInOctets / ifHCOutOctets (width 64) or ifInOctets / ifOutOctets (width 32), in octets. */
  octets: bigint;
}

export type CounterRejection =
  'invalid-sample' | 'width-changed' | 'reboot' | 'too-short' | 'discontinuity' | 'counter-decreased' | 'ambiguous-wrap' | 'exceeds-speed';

/** A discarded interval: a closed reason tests can match, and prose for the operator. */
export interface CounterRejected {
  ok: false;
  reason: CounterRejection;
  detail: string;
}

export interface CounterDelta {
  ok: true;
  /** Counter increase over the interval, in the counter's own unit. */
  delta: bigint;
  /** Agent-side interval, cs. */
  intervalCs: bigint;
  /** The same interval in seconds. */
  seconds: number;
  /** The Counter32 wrapped once in the interval. */
  wrapped: boolean;
  /** sysUpTime wrapped (2^32 cs) in the interval. */
  uptimeWrapped: boolean;
}

export type CounterDeltaResult = CounterDelta | CounterRejected;

export type OctetRateResult =
  { ok: true; bitsPerSecond: number; seconds: number; octets: bigint; wrapped: boolean; uptimeWrapped: boolean } | CounterRejected;

export type EventRateResult =
  { ok: true; perSecond: number; seconds: number; count: bigint; wrapped: boolean; uptimeWrapped: boolean } | CounterRejected;

/** Default shortest interval: 1 s (100 cs). Shorter intervals make cs rounding a large relative error. */
export const DEFAULT_MIN_INTERVAL_CS = 100n;

/**
 * Default longest interval (cs) over which a backwards sysUpTime jump is read as a
 * TimeTicks wrap rather than a reboot: 1 hour. A wrap is accepted only when the
 * previous reading lay within this distance of 2^32 and the new one within it of 0
 * (so an agent up 12 days that drops to 2 minutes is a reboot), and, when both
 * samples carry `at`, the wrapped interval agrees with the local clock.
 */
export const DEFAULT_MAX_UPTIME_WRAP_GAP_CS = 360_000n;

/**
 * Default slack on the interface speed: 1.1. ifHighSpeed is rounded to whole Mbps,
 * the interval has 10 ms resolution, and routers serve counters from a stats cache
 * (Junos: 5 s) while sysUpTime is fresh, so a saturated port can appear slightly
 * faster than line rate. At 1 Gbps the slack still leaves 30 s polls of a Counter32
 * unambiguous (1.1 × 125 MB/s × 30 s ≈ 4.1e9 < 2^32).
 */
export const DEFAULT_SPEED_SLACK = 1.1;

/** Smallest Ethernet frame on the wire incl. preamble and inter-frame gap, octets: bounds packet/error counters. */
export const MIN_FRAME_OCTETS = 84;

export interface CounterOptions {
  /** Interface speed, Mbps (ifHighSpeed, or the contracted rate). `undefined` or ≤ 0: unknown. */
  speedMbps?: number;
  /** Shortest accepted interval, cs. Default {@link DEFAULT_MIN_INTERVAL_CS}. */
  minIntervalCs?: bigint;
  /** See {@link DEFAULT_MAX_UPTIME_WRAP_GAP_CS}. */
  maxUptimeWrapGapCs?: bigint;
  /** See {@link DEFAULT_SPEED_SLACK}. */
  speedSlack?: number;
}

/** Options of {@link counterDelta}: `maxPerSecond` (counter units/s) replaces the speed, so one core serves octets and packets. */
export interface CounterDeltaOptions extends Omit<CounterOptions, 'speedMbps'> {
  /** Most the counter can rise per second on this interface, before slack; `undefined`: unknown. */
  maxPerSecond?: number;
}

const reject = (reason: CounterRejection, detail: string): CounterRejected => ({ ok: false, reason, detail });

const TWO_64 = 1n << 64n;

/** Value, uptime and discontinuity inside their SMI ranges (this runs twice per counter per poll: no allocation). */
function validSample(s: CounterMeta, value: bigint): boolean {
  return (
    value >= 0n &&
    value < (s.width === 64 ? TWO_64 : TWO_32) &&
    s.uptimeCs >= 0n &&
    s.uptimeCs < TWO_32 &&
    (s.discontinuity === undefined || (s.discontinuity >= 0n && s.discontinuity < TWO_32))
  );
}

/** A reading without its value: what {@link CounterSample} and {@link OctetSample} share. */
type CounterMeta = Omit<CounterSample, 'value'>;

/** Agent-side interval between two readings, or why there is none. Exported for reuse by other per-agent series. */
export function uptimeInterval(
  prev: Pick<CounterSample, 'uptimeCs' | 'at'>,
  cur: Pick<CounterSample, 'uptimeCs' | 'at'>,
  maxWrapGapCs: bigint = DEFAULT_MAX_UPTIME_WRAP_GAP_CS,
): { ok: true; intervalCs: bigint; uptimeWrapped: boolean } | CounterRejected {
  const localCs = prev.at !== undefined && cur.at !== undefined ? (cur.at - prev.at) / 10 : undefined;
  let intervalCs = cur.uptimeCs - prev.uptimeCs;
  let uptimeWrapped = false;
  if (intervalCs < 0n) {
    const wrapped = TWO_32 - prev.uptimeCs + cur.uptimeCs;
    if (wrapped > maxWrapGapCs) {
      return reject('reboot', `sysUpTime went back from ${prev.uptimeCs} to ${cur.uptimeCs} cs`);
    }
    intervalCs = wrapped;
    uptimeWrapped = true;
  }
  // Agent clock advanced clearly less than ours: it restarted in between (even if its uptime grew).
  if (localCs !== undefined && localCs > 0) {
    const tolerance = Math.max(1000, localCs / 10);
    if (Number(intervalCs) + tolerance < localCs) {
      return reject('reboot', `agent clock advanced ${intervalCs} cs while ${Math.round(localCs)} cs passed locally`);
    }
  }
  return { ok: true, intervalCs, uptimeWrapped };
}

/**
 * The increase of one counter between two readings, under the rules of this module.
 *
 * @example
 * counterDelta({uptimeCs: 0n, discontinuity: 0n, value: 4_294_967_000n, width: 32},
 *              {uptimeCs: 3000n, discontinuity: 0n, value: 704n, width: 32})
 * // → { ok: true, delta: 1000n, wrapped: true, seconds: 30, … }
 */
export function counterDelta(prev: CounterSample, cur: CounterSample, opts: CounterDeltaOptions = {}): CounterDeltaResult {
  return delta(prev, prev.value, cur, cur.value, opts.maxPerSecond, opts);
}

/** {@link counterDelta} with the values apart from the readings, so octet and packet counters share it without copying. */
function delta(
  prev: CounterMeta,
  prevValue: bigint,
  cur: CounterMeta,
  curValue: bigint,
  maxPerSecond: number | undefined,
  opts: Omit<CounterOptions, 'speedMbps'>,
): CounterDeltaResult {
  if (!validSample(prev, prevValue)) return reject('invalid-sample', `value ${prevValue} or uptime ${prev.uptimeCs} outside its SMI range`);
  if (!validSample(cur, curValue)) return reject('invalid-sample', `value ${curValue} or uptime ${cur.uptimeCs} outside its SMI range`);
  if (prev.width !== cur.width) {
    return reject('width-changed', `counter width changed from ${prev.width} to ${cur.width} bits`);
  }
  const interval = uptimeInterval(prev, cur, opts.maxUptimeWrapGapCs);
  if (!interval.ok) return interval;
  const { intervalCs, uptimeWrapped } = interval;
  const minCs = opts.minIntervalCs ?? DEFAULT_MIN_INTERVAL_CS;
  if (intervalCs < (minCs > 1n ? minCs : 1n)) {
    return reject('too-short', `interval ${intervalCs} cs is shorter than ${minCs} cs`);
  }
  if (prev.discontinuity !== cur.discontinuity) {
    return reject('discontinuity', `ifCounterDiscontinuityTime changed from ${prev.discontinuity} to ${cur.discontinuity}`);
  }

  let d = curValue - prevValue;
  let wrapped = false;
  if (d < 0n) {
    if (cur.width === 64) {
      return reject('counter-decreased', `Counter64 decreased from ${prevValue} to ${curValue}: reset`);
    }
    if (uptimeWrapped) {
      return reject('ambiguous-wrap', 'Counter32 decreased across a sysUpTime wrap: wrap or reboot cannot be told apart');
    }
    d += TWO_32;
    wrapped = true;
  }

  const maxCount = maxCountOver(intervalCs, maxPerSecond, opts.speedSlack ?? DEFAULT_SPEED_SLACK);
  if (maxCount !== undefined) {
    if (wrapped && d > maxCount) {
      return reject('ambiguous-wrap', `one wrap implies ${d} in ${intervalCs} cs, more than the interface allows (${maxCount}): a reset`);
    }
    if (d + (cur.width === 64 ? TWO_64 : TWO_32) <= maxCount) {
      return reject(
        'ambiguous-wrap',
        `the interface could wrap the ${cur.width}-bit counter again in ${intervalCs} cs (up to ${maxCount})`,
      );
    }
    if (d > maxCount) {
      return reject('exceeds-speed', `delta ${d} in ${intervalCs} cs exceeds what the interface allows (${maxCount})`);
    }
  }
  return { ok: true, delta: d, intervalCs, seconds: Number(intervalCs) / 100, wrapped, uptimeWrapped };
}

/** Largest plausible increase over `intervalCs`, or `undefined` when the speed is unknown. BigInt, rounded down. */
function maxCountOver(intervalCs: bigint, maxPerSecond: number | undefined, slack: number): bigint | undefined {
  if (maxPerSecond === undefined || !(maxPerSecond > 0) || !Number.isFinite(maxPerSecond)) return undefined;
  // Per-second limit in thousandths, so fractional limits and slack stay in integer math.
  const milliPerSecond = BigInt(Math.floor(maxPerSecond * slack * 1000));
  return (milliPerSecond * intervalCs) / 100_000n;
}

/** `a / b` for bigints, as a float, keeping the fraction. */
function ratio(a: bigint, b: bigint): number {
  return Number(a / b) + Number(a % b) / Number(b);
}

/**
 * Bit rate of an octet counter: Δoctets × 8 / Δ(sysUpTime), in **bits per second**.
 * `speedMbps` (ifHighSpeed) enables the wrap-ambiguity and line-rate checks.
 *
 * @example
 * octetRate({uptimeCs: 0n, discontinuity: 0n, octets: 0n, width: 64},
 *           {uptimeCs: 30_000n, discontinuity: 0n, octets: 3_750_000_000n, width: 64}, {speedMbps: 1000})
 * // → { ok: true, bitsPerSecond: 100_000_000, seconds: 300, … }
 */
export function octetRate(prev: OctetSample, cur: OctetSample, opts: CounterOptions = {}): OctetRateResult {
  const { speedMbps } = opts;
  const maxPerSecond = speedMbps !== undefined && speedMbps > 0 ? (speedMbps * 1e6) / 8 : undefined;
  const d = delta(prev, prev.octets, cur, cur.octets, maxPerSecond, opts);
  if (!d.ok) return d;
  return {
    ok: true,
    bitsPerSecond: ratio(d.delta * 800n, d.intervalCs),
    seconds: d.seconds,
    octets: d.delta,
    wrapped: d.wrapped,
    uptimeWrapped: d.uptimeWrapped,
  };
}

/**
 * Rate of a packet-event counter (ifInErrors, ifOutErrors, ifInDiscards, ifOutDiscards — all Counter32), in
 * **events per second**. `speedMbps` bounds it by the minimum-size frame rate (speed / (84 octets × 8)).
 */
export function eventRate(prev: CounterSample, cur: CounterSample, opts: CounterOptions = {}): EventRateResult {
  const { speedMbps } = opts;
  const maxPerSecond = speedMbps !== undefined && speedMbps > 0 ? (speedMbps * 1e6) / (8 * MIN_FRAME_OCTETS) : undefined;
  const d = delta(prev, prev.value, cur, cur.value, maxPerSecond, opts);
  if (!d.ok) return d;
  return {
    ok: true,
    perSecond: ratio(d.delta * 100n, d.intervalCs),
    seconds: d.seconds,
    count: d.delta,
    wrapped: d.wrapped,
    uptimeWrapped: d.uptimeWrapped,
  };
}
