import { describe, expect, it } from 'vitest';
import { decodeKeptCounters, encodeKeptCounters, keptFromProps } from './kept-counters';
import type { CounterState } from './types';

/** A 64-bit read near the top of Counter64, one counter timed by a later reply than the read's first. */
const C: CounterState = {
  at: 1_700_000_000_123,
  ifIndex: 7,
  uptimeCs: 4_294_967_295n,
  discontinuityCs: 12n,
  inOctets: 18_446_744_073_709_551_615n,
  outOctets: 9_007_199_254_740_993n,
  width: 64,
  speedMbps: 10_000,
  inErrors: 4_294_967_295n,
  outErrors: 0n,
  inDiscards: 3n,
  times: { outOctets: { uptimeCs: 4_294_967_295n, at: 1_700_000_000_150 } },
};

describe('the counters kept on the Interface node (ctr)', () => {
  it('round-trips a read exactly: Counter64 beyond 2^53, sysUpTime at 2^32 − 1, row times', () => {
    expect(decodeKeptCounters(encodeKeptCounters(C))).toEqual(C);
  });

  it('round-trips a 32-bit read without error counters or row times of its own', () => {
    const c: CounterState = {
      at: 1500,
      ifIndex: 1,
      uptimeCs: 150n,
      discontinuityCs: 0n,
      inOctets: 10n,
      outOctets: 20n,
      width: 32,
      speedMbps: 0,
    };
    expect(encodeKeptCounters(c)).toBe('k1|1500|1|150|0|10|20|32|0||||');
    expect(decodeKeptCounters(encodeKeptCounters(c))).toEqual(c);
    const timedLikeTheRead = { ...c, times: { inOctets: { uptimeCs: 150n, at: 1500 } } };
    expect(decodeKeptCounters(encodeKeptCounters(timedLikeTheRead))).toEqual(c);
  });

  it.each([
    ['nothing', null],
    ['another version', 'k2|1500|1|150|0|10|20|32|0||||'],
    ['too few fields', 'k1|1500|1|150|0|10|20'],
    ['a negative counter', 'k1|1500|1|150|0|-10|20|32|0||||'],
    ['text for a number', 'k1|1500|1|150|0|ten|20|32|0||||'],
  ])('reads %s as nothing kept', (_, text) => {
    expect(decodeKeptCounters(text)).toBeUndefined();
  });

  it('reads the separate properties of the format before, and marks them for removal', () => {
    const old = {
      ctrAt: C.at,
      ctrIfIndex: 7,
      ctrUptimeCs: '4294967295',
      ctrDiscontinuityCs: '12',
      ctrIn: '18446744073709551615',
      ctrOut: '9007199254740993',
      ctrWidth: 64,
      ctrSpeedMbps: 10_000,
      ctrInErrors: '4294967295',
      ctrOutErrors: '0',
      ctrInDiscards: '3',
      ctrTimes: '{"outOctets":["4294967295",1700000000150]}',
    };
    expect(keptFromProps(old)).toEqual({ ...C, legacyProps: true });
    // Both present (written by this version over the old one's): ctr wins, the old ones are still to be removed.
    const newer = { ...C, at: C.at + 60_000, inOctets: 5n };
    expect(keptFromProps({ ...old, ctr: encodeKeptCounters(newer) })).toEqual({ ...newer, legacyProps: true });
    expect(keptFromProps({ ctr: encodeKeptCounters(C) })).toEqual(C);
    expect(keptFromProps({ ctrAt: C.at, ctrIn: '1' })).toBeUndefined();
  });
});
