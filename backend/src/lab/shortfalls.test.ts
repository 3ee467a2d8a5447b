import type { Device, Link } from '@extranet/topology';
import { describe, expect, it } from 'vitest';
import { chooseShortfalls, ifKey, interfaceTiers } from './shortfalls';

const device = (hostname: string, role: Device['role'], speeds: number[]): Device => ({
  hostname,
  site: hostname,
  role,
  snmpProfile: 'p',
  interfaces: speeds.map((speedMbps, i) => ({ name: `ge${i}`, speedMbps })),
});

const devices = [
  device('core', 'core', [1000, 1000, 1000]),
  device('exit', 'internet-exit', [10000]),
  ...Array.from({ length: 8 }, (_, i) => device(`twp${i}`, 'access', [100])),
];

describe('interfaceTiers', () => {
  it('infers tiers by rule without links', () => {
    const tiers = interfaceTiers(devices);
    expect(tiers.get(ifKey('exit', 'ge0'))).toBe('city-internet');
    expect(tiers.get(ifKey('core', 'ge0'))).toBe('city-county');
    expect(tiers.get(ifKey('twp3', 'ge0'))).toBe('county-township');
  });

  it('takes the tier from links when given', () => {
    const link: Link = {
      id: 'L1',
      kind: 'uplink',
      tier: 'county-township',
      a: { device: 'core', interface: 'ge2' },
      b: { device: 'twp0', interface: 'ge0' },
      targetMbps: 100,
      status: 'built',
    };
    expect(interfaceTiers(devices, [link]).get(ifKey('core', 'ge2'))).toBe('county-township');
  });
});

describe('chooseShortfalls', () => {
  it('picks 3 townships at 50 Mbps and 1 county at 500 Mbps by default, the same for the same seed', () => {
    const a = chooseShortfalls(devices, { seed: 7 });
    expect(a.filter((s) => s.tier === 'county-township').map((s) => s.actualMbps)).toEqual([50, 50, 50]);
    expect(a.filter((s) => s.tier === 'city-county').map((s) => s.actualMbps)).toEqual([500]);
    expect(chooseShortfalls(devices, { seed: 7 })).toEqual(a);
    const other = [1, 2, 3, 4, 5].map((seed) => JSON.stringify(chooseShortfalls(devices, { seed })));
    expect(new Set(other).size).toBeGreaterThan(1);
  });

  it('lowers both served ends of a chosen link to half its target', () => {
    const links: Link[] = Array.from({ length: 3 }, (_, i) => ({
      id: `L${i}`,
      kind: 'uplink',
      tier: 'county-township',
      a: { device: 'core', interface: `ge${i}` },
      b: { device: `twp${i}`, interface: 'ge0' },
      targetMbps: 100,
      status: 'built',
    }));
    const s = chooseShortfalls(devices, { links, counts: { townships: 1, counties: 0 } });
    expect(s).toHaveLength(2);
    expect(new Set(s.map((x) => x.linkId)).size).toBe(1);
    expect(s.map((x) => [x.planMbps, x.actualMbps])).toEqual([
      [1000, 50],
      [100, 50],
    ]);
  });
});
