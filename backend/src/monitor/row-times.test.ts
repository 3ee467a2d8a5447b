import { describe, expect, it } from 'vitest';
import { decodeRowTimes, encodeRowTimes } from './row-times';

describe('row times on the Interface node', () => {
  it('round-trips every counter exactly, sysUpTime near 2^32 included', () => {
    const times = { inOctets: { uptimeCs: 4_294_967_295n, at: 1_700_000_000_123 }, outOctets: { uptimeCs: 150n, at: 1500 } };
    expect(decodeRowTimes(encodeRowTimes(times))).toEqual(times);
  });

  it('leaves out the counters timed like the read, which fall back to it', () => {
    const read = { uptimeCs: 150n, at: 1500 };
    expect(encodeRowTimes({ inOctets: read, outOctets: read }, read)).toBeNull();
    const late = { uptimeCs: 151n, at: 1510 };
    expect(decodeRowTimes(encodeRowTimes({ inOctets: read, outOctets: late }, read))).toEqual({ outOctets: late });
  });

  it.each([
    ['nothing kept', null],
    ['not JSON', '{'],
    ['a number as sysUpTime', '{"inOctets":[150,1500]}'],
    ['a negative sysUpTime', '{"inOctets":["-1",1500]}'],
  ])('drops %s', (_, text) => {
    expect(decodeRowTimes(text)?.inOctets).toBeUndefined();
  });
});
