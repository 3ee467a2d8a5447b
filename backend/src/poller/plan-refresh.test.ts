import type { Device } from '@extranet/topology';
import { describe, expect, it } from 'vitest';
import { deviceSetChanges } from './plan-refresh';

const device = (hostname: string, site = 'HZ'): Device => ({
  hostname,
  site,
  role: 'core',
  mgmtAddress: '10.0.0.1',
  snmpProfile: 'v3',
  interfaces: [],
});

describe('deviceSetChanges', () => {
  it('drops the devices the plan no longer has, keeps the others with their new definition, adds the new ones', () => {
    const moved = device('b', 'HZHC');
    expect(deviceSetChanges(['a', 'b'], [moved, device('c')])).toEqual({ dropped: ['a'], kept: [moved], added: [device('c')] });
  });

  it('adds every device on the first read', () => {
    expect(deviceSetChanges([], [device('a'), device('b')])).toEqual({ dropped: [], kept: [], added: [device('a'), device('b')] });
  });

  it('reports no change when the plan has the same devices', () => {
    const changes = deviceSetChanges(['a', 'b'], [device('a'), device('b')]);
    expect(changes.dropped).toEqual([]);
    expect(changes.added).toEqual([]);
    expect(changes.kept.map((d) => d.hostname)).toEqual(['a', 'b']);
  });

  it('drops every device when the plan has none for this shard', () => {
    expect(deviceSetChanges(['a', 'b'], [])).toEqual({ dropped: ['a', 'b'], kept: [], added: [] });
  });
});
