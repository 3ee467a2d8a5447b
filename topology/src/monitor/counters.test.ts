import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  counterDelta,
  eventRate,
  octetRate,
  withRowTime,
  type CounterRejection,
  type CounterSample,
  type OctetSample,
  type RowTime,
} from './counters';

const TWO_32 = 1n << 32n;
const TWO_64 = 1n << 64n;

function s(uptimeCs: bigint, octets: bigint, more: Partial<OctetSample> = {}): OctetSample {
  return { uptimeCs, discontinuity: 0n, octets, width: 64, ...more };
}
const s32 = (uptimeCs: bigint, octets: bigint, more: Partial<OctetSample> = {}) => s(uptimeCs, octets, { width: 32, ...more });

describe('octetRate accepts', () => {
  const cases: Array<[string, OctetSample, OctetSample, number | undefined, number]> = [
    ['a plain 64-bit increase', s(1000n, 0n), s(31_000n, 3_750_000_000n), 1000, 100_000_000],
    ['an idle interface', s(1000n, 42n), s(31_000n, 42n), 1000, 0],
    ['a 32-bit wrap', s32(1000n, TWO_32 - 1000n), s32(31_000n, 2750n), 100, (3750 * 8) / 300],
    ['a 32-bit wrap at 1 Gbps within 30 s (wrap time 34 s)', s32(0n, 4_000_000_000n), s32(3000n, 3_455_032_704n), 1000, 1_000_000_000],
    [
      'a 32-bit wrap at 1 Gbps over 40 s that only one wrap explains',
      s32(0n, 4_000_000_000n),
      s32(4000n, 3_000_000_000n),
      1000,
      (3_294_967_296 * 8) / 40,
    ],
    ['a 64-bit delta near 2^64 when the speed is unknown', s(0n, 5n), s(100n, TWO_64 - 1n), undefined, Number((TWO_64 - 6n) * 8n)],
    ['an interval of exactly 1 s', s(500n, 0n), s(600n, 125n), undefined, 1000],
    ['a sysUpTime wrap near 2^32 (plausible: 10 min)', s(TWO_32 - 30_000n, 0n), s(30_000n, 75_000_000n), 10, 1_000_000],
    [
      'a sysUpTime wrap the local clock confirms',
      s(TWO_32 - 30_000n, 0n, { at: 0 }),
      s(30_000n, 75_000_000n, { at: 600_500 }),
      undefined,
      1_000_000,
    ],
    [
      'a counter without ifCounterDiscontinuityTime',
      s(0n, 0n, { discontinuity: undefined }),
      s(100n, 1n, { discontinuity: undefined }),
      undefined,
      8,
    ],
    ['samples whose local clocks agree with the agent', s(0n, 0n, { at: 0 }), s(30_000n, 300n, { at: 300_400 }), undefined, 8],
  ];
  it.each(cases)('%s', (_name, prev, cur, speedMbps, bps) => {
    const r = octetRate(prev, cur, speedMbps === undefined ? {} : { speedMbps });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.bitsPerSecond).toBeCloseTo(bps, 3);
  });

  it('keeps the delta exact (BigInt) even near 2^64', () => {
    const r = octetRate(s(0n, 0n), s(100n, TWO_64 - 1n));
    expect(r.ok && r.octets).toBe(TWO_64 - 1n);
  });

  it('flags the wraps it resolved', () => {
    const r = octetRate(s32(100n, TWO_32 - 1n), s32(10_100n, 10n));
    expect(r).toMatchObject({ ok: true, wrapped: true, uptimeWrapped: false, seconds: 100 });
    const u = octetRate(s(TWO_32 - 100n, 0n), s(9900n, 10n));
    expect(u).toMatchObject({ ok: true, wrapped: false, uptimeWrapped: true, seconds: 100 });
  });
});

describe('octetRate discards, never spikes', () => {
  const cases: Array<[string, OctetSample, OctetSample, number | undefined, CounterRejection]> = [
    ['a reboot (sysUpTime back to small)', s(100_000_000n, 5_000_000n), s(2000n, 10n), undefined, 'reboot'],
    ['a reboot near the sysUpTime wrap but too long ago to be a wrap', s(TWO_32 - 1000n, 0n), s(400_000n, 10n), undefined, 'reboot'],
    [
      'a reboot the uptime hides but the local clock shows',
      s(500n, 9000n, { at: 0 }),
      s(6000n, 10_000n, { at: 300_000 }),
      undefined,
      'reboot',
    ],
    ['a counter discontinuity', s(0n, 0n, { discontinuity: 0n }), s(30_000n, 10n, { discontinuity: 20_000n }), undefined, 'discontinuity'],
    ['ifCounterDiscontinuityTime appearing', s(0n, 0n, { discontinuity: undefined }), s(30_000n, 10n), undefined, 'discontinuity'],
    ['a 64-bit counter reset (decrease)', s(0n, 1_000_000n), s(30_000n, 10n), 1000, 'counter-decreased'],
    ['a zero interval', s(1000n, 0n), s(1000n, 0n), undefined, 'too-short'],
    ['an interval below 1 s', s(1000n, 0n), s(1050n, 10n), undefined, 'too-short'],
    ['a 32-bit wrap too large for a 100 Mbps port (a reset)', s32(0n, 4_000_000_000n), s32(3000n, 3_000_000_000n), 100, 'ambiguous-wrap'],
    ['a 32-bit wrap at 1 Gbps over 40 s (could be two wraps)', s32(0n, 4_000_000_000n), s32(4000n, 100_000_000n), 1000, 'ambiguous-wrap'],
    ['a 32-bit increase at 1 Gbps over 40 s (could hide a wrap)', s32(0n, 0n), s32(4000n, 500_000_000n), 1000, 'ambiguous-wrap'],
    [
      'a sysUpTime "wrap" the local clock contradicts (2 h passed, not 10 min)',
      s(TWO_32 - 30_000n, 0n, { at: 0 }),
      s(30_000n, 10n, { at: 7_200_000 }),
      undefined,
      'reboot',
    ],
    ['a 32-bit decrease across a sysUpTime wrap', s32(TWO_32 - 100n, 9000n), s32(9900n, 10n), undefined, 'ambiguous-wrap'],
    ['a 64-bit delta near 2^64 on a 10 G port', s(0n, 5n), s(100n, TWO_64 - 1n), 10_000, 'exceeds-speed'],
    ['a switch from 32- to 64-bit columns', s32(0n, 0n), s(100n, 10n), undefined, 'width-changed'],
    ['a Counter32 value beyond 2^32', s32(0n, 0n), s32(100n, TWO_32), undefined, 'invalid-sample'],
    ['a negative counter', s(0n, -1n), s(100n, 10n), undefined, 'invalid-sample'],
  ];
  it.each(cases)('%s', (_name, prev, cur, speedMbps, reason) => {
    const r = octetRate(prev, cur, speedMbps === undefined ? {} : { speedMbps });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe(reason);
      expect(r.detail.length).toBeGreaterThan(0);
    }
  });

  it('accepts a longer uptime-wrap gap when configured', () => {
    const r = octetRate(s(TWO_32 - 1000n, 0n), s(400_000n, 10n), { maxUptimeWrapGapCs: 1_000_000n });
    expect(r).toMatchObject({ ok: true, uptimeWrapped: true });
  });

  it('never yields a rate above the stated speed (× slack) for any Counter32 pair', () => {
    const u32 = fc.bigInt({ min: 0n, max: TWO_32 - 1n });
    fc.assert(
      fc.property(u32, u32, fc.bigInt({ min: 100n, max: 100_000n }), fc.constantFrom(10, 100, 1000), (a, b, dt, speed) => {
        const r = octetRate(s32(0n, a), s32(dt, b), { speedMbps: speed });
        if (r.ok) expect(r.bitsPerSecond).toBeLessThanOrEqual(speed * 1e6 * 1.1 + 1);
      }),
    );
  });
});

describe('eventRate (errors, discards)', () => {
  const e = (uptimeCs: bigint, value: bigint, more: Partial<CounterSample> = {}): CounterSample => ({
    uptimeCs,
    discontinuity: 0n,
    value,
    width: 32,
    ...more,
  });
  it('counts errors per second across a Counter32 wrap', () => {
    expect(eventRate(e(0n, TWO_32 - 5n), e(1000n, 5n), { speedMbps: 100 })).toMatchObject({
      ok: true,
      count: 10n,
      perSecond: 1,
      wrapped: true,
    });
  });
  it('follows the same reboot and discontinuity rules', () => {
    expect(eventRate(e(50_000n, 7n), e(100n, 0n))).toMatchObject({ ok: false, reason: 'reboot' });
    expect(eventRate(e(0n, 7n), e(1000n, 9n, { discontinuity: 500n }))).toMatchObject({ ok: false, reason: 'discontinuity' });
  });
  it('bounds events by the smallest-frame rate of the port', () => {
    // 10 Mbps → at most 14 880 frames/s; a wrap implying 4e9 in 10 s is a reset.
    expect(eventRate(e(0n, 100n), e(1000n, 50n), { speedMbps: 10 })).toMatchObject({ ok: false, reason: 'ambiguous-wrap' });
  });
});

describe('counterDelta', () => {
  it('is exact for every non-decreasing 64-bit pair', () => {
    const u64 = fc.bigInt({ min: 0n, max: TWO_64 - 1n });
    fc.assert(
      fc.property(u64, u64, (x, y) => {
        const [a, b] = x <= y ? [x, y] : [y, x];
        const r = counterDelta(
          { uptimeCs: 0n, discontinuity: 0n, value: a, width: 64 },
          { uptimeCs: 100n, discontinuity: 0n, value: b, width: 64 },
        );
        expect(r).toMatchObject({ ok: true, delta: b - a });
      }),
    );
  });
});

describe('per-row timing: each counter timed by the sysUpTime of the reply that carried it', () => {
  // A 60 s poll of a 1 Gbps port carrying exactly 400 Mbps (50e6 octets/s). The poll's first reply
  // comes at once; the reply carrying this row is delayed by `d0` cs in one poll and `d1` cs in the next
  // (the agent read the counter, and stamped sysUpTime, when it answered).
  const RATE_OCTETS_PER_CS = 500_000n;
  const START = 1_000_000n;
  const INTERVAL = 6000n;
  const row = (poll: bigint, delayCs: bigint): { sample: OctetSample; first: RowTime; own: RowTime } => {
    const firstCs = START + poll * INTERVAL;
    const ownCs = firstCs + delayCs;
    return {
      sample: { uptimeCs: firstCs, discontinuity: 0n, octets: ownCs * RATE_OCTETS_PER_CS, width: 64, at: Number(firstCs) * 10 },
      first: { uptimeCs: firstCs, at: Number(firstCs) * 10 },
      own: { uptimeCs: ownCs, at: Number(ownCs) * 10 + 3 },
    };
  };
  const cases: Array<[string, bigint, bigint, number]> = [
    ['on time, then 2 s late', 0n, 200n, 200 / 6000],
    ['2 s late, then on time', 200n, 0n, -200 / 6000],
    ['0.3 s late, then 1.9 s late', 30n, 190n, 160 / 6000],
    ['1.2 s late both times', 120n, 120n, 0],
    ['a retry after a 2 s timeout (2.04 s), then on time', 204n, 0n, -204 / 6000],
  ];
  it.each(cases)('%s: exact with the own reply, off by Δdelay / interval with the first', (_, d0, d1, skew) => {
    const a = row(0n, d0);
    const b = row(1n, d1);
    const own = octetRate(withRowTime(a.sample, a.own), withRowTime(b.sample, b.own), { speedMbps: 1000 });
    expect(own.ok && own.bitsPerSecond).toBe(400_000_000);
    const first = octetRate(withRowTime(a.sample, a.first), withRowTime(b.sample, b.first), { speedMbps: 1000 });
    expect(first.ok && first.bitsPerSecond / 400_000_000 - 1).toBeCloseTo(skew, 9);
  });

  it('keeps the sample as it is when no row time is known (state kept by an older version)', () => {
    const a = row(0n, 0n).sample;
    expect(withRowTime(a, undefined)).toBe(a);
    expect(withRowTime(a, { uptimeCs: 7n, at: 70 })).toEqual({ ...a, uptimeCs: 7n, at: 70 });
  });

  it('rejects a reboot seen in a later reply of the poll only for the counters of that reply', () => {
    const a = row(0n, 0n);
    const b = row(1n, 0n);
    const rebooted = { uptimeCs: 500n, at: b.own.at };
    expect(octetRate(withRowTime(a.sample, a.own), withRowTime({ ...b.sample, octets: 1000n }, rebooted))).toMatchObject({
      ok: false,
      reason: 'reboot',
    });
  });
});
