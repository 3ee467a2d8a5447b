import { describe, expect, it } from 'vitest';
import type { Device } from '@extranet/topology';
import { loadTargetsFile, mapTargets, mgmtTargets } from './targets';

const device = (hostname: string, mgmtAddress?: string): Device => ({
  hostname,
  site: '4413',
  role: 'core',
  interfaces: [],
  ...(mgmtAddress && { mgmtAddress }),
});

describe('targets', () => {
  it('production: mgmtAddress on port 161; no address, no target', () => {
    expect(mgmtTargets()(device('a', '10.44.255.1'))).toEqual({ host: '10.44.255.1', port: 161 });
    expect(mgmtTargets()(device('b'))).toBeUndefined();
  });

  it('a targets file overrides, the rest falls back', () => {
    const file = 'targets:\n  a: "127.0.0.1:16100"\n  v6: "[fd00::1]:1161"\n';
    const map = loadTargetsFile('t.yaml', () => file);
    expect(map.get('v6')).toEqual({ host: 'fd00::1', port: 1161 });
    const resolve = mapTargets(map, mgmtTargets());
    expect(resolve(device('a', '10.44.255.1'))).toEqual({ host: '127.0.0.1', port: 16100 });
    expect(resolve(device('c', '10.44.255.3'))).toEqual({ host: '10.44.255.3', port: 161 });
  });

  it('names the bad entry of a targets file', () => {
    expect(() => loadTargetsFile('t.yaml', () => 'targets:\n  a: "no-port"\n')).toThrow(/t\.yaml: targets\.a: host:port/);
    expect(() => loadTargetsFile('t.yaml', () => 'hosts: {}\n')).toThrow(/SNMP_TARGETS t\.yaml/);
  });
});
