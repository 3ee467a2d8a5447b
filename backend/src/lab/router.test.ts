import type { Device } from '@extranet/topology';
import { describe, expect, it } from 'vitest';
import { SimRouter } from './router';

const T0 = Date.parse('2025-03-04T02:00:00Z');
const device: Device = {
  hostname: 'twp',
  site: 's',
  role: 'access',
  snmpProfile: 'p',
  interfaces: [
    { name: 'up0', speedMbps: 100, description: 'uplink to county' },
    { name: 'lan1', speedMbps: 1000 },
    { name: 'lan2', speedMbps: 1000 },
  ],
};
const make = () =>
  new SimRouter(device, { seed: 3, now: T0, tiers: new Map([['up0', 'county-township']]), actualMbps: new Map([['up0', 50]]) });
const row = (r: SimRouter, now: number, name: string) => r.snapshot(now).rows.find((x) => x.ifName === name)!;

describe('SimRouter', () => {
  it('serves plan names, shortfall speeds and a seeded uptime of days', () => {
    const r = make();
    const s = r.snapshot(T0);
    expect(s.rows.map((x) => [x.ifIndex, x.ifName, x.highSpeedMbps])).toEqual([
      [1, 'up0', 50],
      [2, 'lan1', 1000],
      [3, 'lan2', 1000],
    ]);
    expect(s.rows[0]?.ifAlias).toBe('uplink to county');
    expect(s.uptimeCs).toBeGreaterThan(2 * 86_400 * 100);
    expect(make().snapshot(T0)).toEqual(s);
  });

  it('link-down stops counters and sets ifLastChange', () => {
    const r = make();
    r.setFault('up0', 'link-down', true, T0 + 1000);
    const a = row(r, T0 + 2000, 'up0');
    const b = row(r, T0 + 600_000, 'up0');
    expect([a.operStatus, b.inOctets]).toEqual([2, a.inOctets]);
    expect(a.lastChangeCs).toBe(r.uptimeCs(T0 + 1000));
  });

  it('speed-drop divides the speed by ten; off restores it', () => {
    const r = make();
    r.setFault('lan1', 'speed-drop', true, T0);
    expect([row(r, T0, 'lan1').highSpeedMbps, row(r, T0, 'lan1').speedBps]).toEqual([100, 100e6]);
    r.setFault('lan1', 'speed-drop', false, T0);
    expect(row(r, T0, 'lan1').highSpeedMbps).toBe(1000);
  });

  it('counter-reset reboots: uptime and counters from 0, ifIndex rotated', () => {
    const r = make();
    r.setFault(undefined, 'counter-reset', true, T0 + 5000);
    const s = r.snapshot(T0 + 5000);
    expect(s.uptimeCs).toBe(0);
    expect(s.rows.map((x) => [x.ifName, x.ifIndex, x.inOctets])).toEqual([
      ['up0', 2, 0n],
      ['lan1', 3, 0n],
      ['lan2', 1, 0n],
    ]);
  });

  it('discontinuity stamps the current uptime and makes the counters jump', () => {
    const r = make();
    const before = row(r, T0 + 1000, 'lan2');
    r.setFault('lan2', 'discontinuity', true, T0 + 1000);
    const after = row(r, T0 + 1000, 'lan2');
    expect(after.discontinuityCs).toBe(r.uptimeCs(T0 + 1000));
    expect(after.inOctets - before.inOctets).toBeGreaterThanOrEqual(1n << 36n);
  });

  it('refuses unknown interfaces and misplaced scopes with codes', () => {
    const r = make();
    expect(() => r.setFault('nope', 'link-down', true, T0)).toThrow(expect.objectContaining({ code: 'UNKNOWN_INTERFACE' }));
    expect(() => r.setFault('up0', 'timeout', true, T0)).toThrow(expect.objectContaining({ code: 'FAULT_SCOPE' }));
  });
});
