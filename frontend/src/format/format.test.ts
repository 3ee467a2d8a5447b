import { describe, expect, it } from 'vitest';
import {
  bigPercent,
  formatBps,
  formatInteger,
  formatMbps,
  formatPercent,
  formatPps,
  formatTime,
  formatTimestamp,
  ratioPercent,
} from './format';

describe('formatMbps', () => {
  it.each([
    [100, '100 Mbps'],
    [50, '50 Mbps'],
    [1000, '1 Gbps'],
    [2500, '2.5 Gbps'],
    [10000, '10 Gbps'],
    [0.5, '0.5 Mbps'],
    [null, '—'],
    [undefined, '—'],
    [Number.NaN, '—'],
  ])('%s → %s', (v, expected) => expect(formatMbps(v)).toBe(expected));
});

describe('formatBps', () => {
  it.each([
    [0, '0 bps'],
    [999, '999 bps'],
    [6_679_808, '6.68 Mbps'],
    [66_798_080, '66.8 Mbps'],
    [667_980_800, '668 Mbps'],
    [1.2e9, '1.2 Gbps'],
    [null, '—'],
  ])('%s → %s', (v, expected) => expect(formatBps(v)).toBe(expected));
});

describe('formatPps', () => {
  it.each([
    [0, '0/s'],
    [0.0125, '0.0125/s'],
    [0.000833, '0.000833/s'],
    [41.37, '41.4/s'],
    [1234.5, '1230/s'],
    [null, '—'],
  ])('%s → %s', (v, expected) => expect(formatPps(v)).toBe(expected));
});

describe('formatPercent', () => {
  it.each([
    [12.5122, '12.5%'],
    [100, '100%'],
    [0, '0%'],
    [0.667, '0.67%'],
    [150.04, '150%'],
    [null, '—'],
  ])('%s → %s', (v, expected) => expect(formatPercent(v)).toBe(expected));

  it('takes the number of decimals', () => expect(formatPercent(96.4285, 0)).toBe('96%'));
});

describe('ratioPercent and bigPercent', () => {
  it('is null for an empty total', () => {
    expect(ratioPercent(0, 0)).toBeNull();
    expect(bigPercent('0', '0')).toBeNull();
  });
  it('computes percent of the total', () => expect(ratioPercent(81, 84)).toBeCloseTo(96.43, 2));
  it('is exact beyond 2^53 (IPv6 address counts)', () => {
    expect(bigPercent('262400', '2097152')).toBe(12.5122);
    expect(bigPercent('9671406556917033397649408', '309485009821345068724781056')).toBe(3.125);
  });
});

describe('formatInteger and formatTime', () => {
  it('groups thousands, also for decimal strings beyond 2^53', () => {
    expect(formatInteger(2097152)).toBe('2,097,152');
    expect(formatInteger('1208925819614629174706176')).toBe('1,208,925,819,614,629,174,706,176');
  });
  it('prints local date and time, or a dash', () => {
    const d = new Date(2025, 2, 4, 9, 5);
    expect(formatTime(d.toISOString())).toBe('2025-03-04 09:05');
    expect(formatTime(d.getTime(), false)).toBe('09:05');
    expect(formatTime(null)).toBe('—');
    expect(formatTime('not a time')).toBe('—');
  });
  it('prints a recorded moment to the second', () => {
    expect(formatTimestamp(new Date(2025, 2, 4, 9, 5, 7).toISOString())).toBe('2025-03-04 09:05:07');
    expect(formatTimestamp(null)).toBe('—');
    expect(formatTimestamp('not a time')).toBe('—');
  });
});
