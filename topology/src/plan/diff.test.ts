import { describe, expect, it } from 'vitest';
import { diffPlans, emptyPlan, isEmptyDiff, type PlanDiff, type RecordChanges } from './diff';
import type { Plan } from './types';

/** City, one county, one township, their routers and uplinks: small enough to read at a glance. */
function small(): Plan {
  return {
    name: 'small',
    city: '4413',
    targets: { 'city-internet': 1000, 'city-county': 1000, 'county-township': 100 },
    snmpProfiles: ['v3', 'v2c'],
    sites: [
      { code: '4413', name: '惠州市', tier: 'city', kind: '市', status: 'built' },
      { code: '441302', name: '惠城区', tier: 'county', kind: '区', parent: '4413', status: 'built' },
      { code: '441302001', name: '桥东街道', tier: 'township', kind: '街道', parent: '441302', status: 'built' },
    ],
    devices: [
      {
        hostname: 'core',
        site: '4413',
        role: 'core',
        mgmtAddress: '10.44.255.1',
        snmpProfile: 'v3',
        interfaces: [{ name: 'Gi0/1/0', speedMbps: 1000 }],
      },
      {
        hostname: 'agg',
        site: '441302',
        role: 'aggregation',
        mgmtAddress: '10.44.255.11',
        snmpProfile: 'v3',
        interfaces: [
          { name: 'Gi0/0/0', speedMbps: 1000 },
          { name: 'Gi0/1/0', speedMbps: 1000 },
        ],
      },
      {
        hostname: 'acc',
        site: '441302001',
        role: 'access',
        mgmtAddress: '10.44.1.1',
        snmpProfile: 'v3',
        interfaces: [{ name: 'Gi0/0/0', speedMbps: 1000 }],
      },
    ],
    links: [
      {
        id: 'L-1',
        kind: 'uplink',
        tier: 'city-county',
        a: { device: 'core', interface: 'Gi0/1/0' },
        b: { device: 'agg', interface: 'Gi0/0/0' },
        targetMbps: 1000,
        status: 'built',
      },
      {
        id: 'L-2',
        kind: 'uplink',
        tier: 'county-township',
        a: { device: 'agg', interface: 'Gi0/1/0' },
        b: { device: 'acc', interface: 'Gi0/0/0' },
        targetMbps: 100,
        status: 'built',
        carrier: '中国电信',
      },
    ],
  };
}

const none: RecordChanges = { added: [], changed: [], removed: [] };
const noChange: PlanDiff = { settings: none, sites: none, devices: none, interfaces: none, links: none };

function changed(edit: (p: Plan) => void): PlanDiff {
  const after = small();
  edit(after);
  return diffPlans(small(), after);
}

describe('diffPlans', () => {
  it('finds nothing between a plan and itself', () => {
    const diff = diffPlans(small(), small());
    expect(diff).toEqual(noChange);
    expect(isEmptyDiff(diff)).toBe(true);
  });

  it('lists everything as added, sorted, when the before side is empty', () => {
    const diff = diffPlans(emptyPlan(), small());
    expect(diff.sites.added).toEqual(['441302', '441302001', '4413'].sort());
    expect(diff.devices.added).toEqual(['acc', 'agg', 'core']);
    expect(diff.interfaces.added).toEqual(['acc|Gi0/0/0', 'agg|Gi0/0/0', 'agg|Gi0/1/0', 'core|Gi0/1/0']);
    expect(diff.links.added).toEqual(['L-1', 'L-2']);
    expect(diff.settings.changed).toEqual([
      { key: 'plan', fields: ['city', 'name', 'snmpProfiles', 'targets.city-county', 'targets.city-internet', 'targets.county-township'] },
    ]);
  });

  it('lists everything as removed when the after side is empty', () => {
    const diff = diffPlans(small(), emptyPlan());
    expect(diff.sites.removed).toHaveLength(3);
    expect(diff.interfaces.removed).toHaveLength(4);
    expect(diff.links.removed).toEqual(['L-1', 'L-2']);
  });

  it.each<[string, (p: Plan) => void, Partial<PlanDiff>]>([
    ['a renamed site', (p) => (p.sites[2]!.name = '桥东'), { sites: { ...none, changed: [{ key: '441302001', fields: ['name'] }] } }],
    [
      'a site now planned',
      (p) => (p.sites[2]!.status = 'planned'),
      { sites: { ...none, changed: [{ key: '441302001', fields: ['status'] }] } },
    ],
    [
      'a township moved to a zone',
      (p) => Object.assign(p.sites[2]!, { parent: '4413ZK', legalCounty: '441302' }),
      { sites: { ...none, changed: [{ key: '441302001', fields: ['legalCounty', 'parent'] }] } },
    ],
    [
      'a device with a new address and profile',
      (p) => Object.assign(p.devices[2]!, { mgmtAddress: '10.44.1.9', snmpProfile: 'v2c' }),
      { devices: { ...none, changed: [{ key: 'acc', fields: ['mgmtAddress', 'snmpProfile'] }] } },
    ],
    [
      'an interface added to a device',
      (p) => p.devices[2]!.interfaces.push({ name: 'Gi0/0/1' }),
      { interfaces: { ...none, added: ['acc|Gi0/0/1'] } },
    ],
    ['an interface removed', (p) => p.devices[1]!.interfaces.pop(), { interfaces: { ...none, removed: ['agg|Gi0/1/0'] } }],
    [
      'an interface of another speed',
      (p) => (p.devices[0]!.interfaces[0]!.speedMbps = 10000),
      { interfaces: { ...none, changed: [{ key: 'core|Gi0/1/0', fields: ['speedMbps'] }] } },
    ],
    [
      'a link moved to another port, with a contract',
      (p) => Object.assign(p.links[1]!, { a: { device: 'agg', interface: 'Gi0/0/0' }, contractedMbps: 100 }),
      { links: { ...none, changed: [{ key: 'L-2', fields: ['a.interface', 'contractedMbps'] }] } },
    ],
    [
      'a link that lost its carrier',
      (p) => delete p.links[1]!.carrier,
      { links: { ...none, changed: [{ key: 'L-2', fields: ['carrier'] }] } },
    ],
    ['a link renamed (removed and added)', (p) => (p.links[0]!.id = 'L-0'), { links: { added: ['L-0'], changed: [], removed: ['L-1'] } }],
    [
      'a new tier target',
      (p) => (p.targets['county-township'] = 200),
      { settings: { ...none, changed: [{ key: 'plan', fields: ['targets.county-township'] }] } },
    ],
  ])('reports %s, and nothing else', (_, edit, expected) => {
    const diff = changed(edit);
    expect(diff).toEqual({ ...noChange, ...expected });
    expect(isEmptyDiff(diff)).toBe(false);
  });

  it('treats an absent site status as built and absent optionals as equal, as a graph read back gives them', () => {
    const stored = small();
    for (const site of stored.sites) delete site.status;
    expect(diffPlans(stored, small())).toEqual(noChange);
  });

  it('ignores the order of records and of SNMP profiles', () => {
    const shuffled = small();
    shuffled.sites.reverse();
    shuffled.links.reverse();
    shuffled.snmpProfiles.reverse();
    expect(diffPlans(small(), shuffled)).toEqual(noChange);
  });

  it('leaves its inputs untouched', () => {
    const before = small();
    const after = small();
    after.sites.pop();
    diffPlans(before, after);
    expect(before).toEqual(small());
  });
});
