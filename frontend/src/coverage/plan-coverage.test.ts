import { describe, expect, it } from 'vitest';
import type { LinkRow, SiteRow } from '../api/types';
import { gapsBySite, siteStatus } from './model';
import { planCoverage, planLinkState } from './plan-coverage';

const site = (code: string, tier: SiteRow['tier'], parent: string | null, status: SiteRow['status'] = 'built'): SiteRow => ({
  code,
  name: `site ${code}`,
  tier,
  kind: tier === 'city' ? '市' : tier === 'county' ? '区' : '镇',
  parent,
  legalCounty: null,
  status,
  children: 0,
  devices: 1,
});

let seq = 0;
const link = (
  id: string,
  kind: LinkRow['kind'],
  a: [string, string],
  b: [string, string],
  opts: { status?: LinkRow['status']; contracted?: number; target?: number } = {},
): LinkRow => ({
  id,
  kind,
  tier: kind === 'internet-exit' ? 'city-internet' : a[1] === 'C' ? 'city-county' : 'county-township',
  status: opts.status ?? 'built',
  targetMbps: opts.target ?? (a[1] === 'C' ? 1000 : 100),
  contractedMbps: opts.contracted ?? null,
  carrier: null,
  a: { device: a[0], interface: `if${seq++}`, site: a[1] },
  b: { device: b[0], interface: `if${seq++}`, site: b[1] },
});

/**
 * City C (core + backup core, one internet exit); county A with uplink and backup,
 * county B with an uplink contracted below target and no backup; townships A1 (backed up),
 * A2 (uplink only), B1 (planned).
 */
const sites = [
  site('C', 'city', null),
  site('A', 'county', 'C'),
  site('B', 'county', 'C'),
  site('A1', 'township', 'A'),
  site('A2', 'township', 'A'),
  site('B1', 'township', 'B', 'planned'),
];
const links = [
  link('X', 'internet-exit', ['exit', 'C'], ['isp', 'C'], { contracted: 1000, target: 1000 }),
  link('L-A', 'uplink', ['core', 'C'], ['a', 'A'], { contracted: 1000 }),
  link('B-A', 'backup', ['bak', 'C'], ['a', 'A']),
  link('L-B', 'uplink', ['core', 'C'], ['b', 'B'], { contracted: 500 }),
  link('L-A1', 'uplink', ['a', 'A'], ['a1', 'A1']),
  link('B-A1', 'backup', ['a', 'A'], ['a1', 'A1']),
  link('L-A2', 'uplink', ['a', 'A'], ['a2', 'A2']),
  link('L-B1', 'uplink', ['b', 'B'], ['b1', 'B1'], { status: 'planned' }),
];
const cityDevices = [
  { hostname: 'core', role: 'core' as const, vendor: null, model: null, mgmtAddress: null, snmpProfile: null, interfaces: [] },
  { hostname: 'bak', role: 'backup-core' as const, vendor: null, model: null, mgmtAddress: null, snmpProfile: null, interfaces: [] },
  { hostname: 'exit', role: 'internet-exit' as const, vendor: null, model: null, mgmtAddress: null, snmpProfile: null, interfaces: [] },
];

describe('planLinkState', () => {
  it.each([
    [{ status: 'planned', contractedMbps: null }, 'not-built', false, 'not-built'],
    [{ status: 'built', contractedMbps: null }, 'up', true, undefined],
    [{ status: 'built', contractedMbps: 100 }, 'up', true, undefined],
    [{ status: 'built', contractedMbps: 50 }, 'up', false, 'below-target'],
  ] as const)('%j → %s, meets %s', (l, state, meets, reason) => {
    const s = planLinkState({ id: 'x', targetMbps: 100, ...l });
    expect(s.state).toBe(state);
    expect(s.meetsTarget).toBe(meets);
    expect(s.reason).toBe(reason);
  });
});

describe('planCoverage', () => {
  const m = planCoverage(sites, links, cityDevices);

  it('is marked as coming from the plan', () => {
    expect(m.source).toBe('plan');
    expect(m.at).toBeNull();
  });

  it('counts each tier', () => {
    expect(m.tiers.city).toMatchObject({ total: 1, connected: 1, meetingTarget: 1, withBackup: 0 });
    expect(m.tiers.county).toMatchObject({ total: 2, connected: 2, meetingTarget: 1, withBackup: 1 });
    expect(m.tiers.township).toMatchObject({ total: 3, connected: 2, meetingTarget: 2, withBackup: 1 });
    expect(m.tiers.township.gaps).toEqual({ unconnected: ['B1'], belowTarget: [], noData: [], noBackup: ['A2'] });
  });

  it('gives each county-level unit its own row with its townships', () => {
    expect(m.counties.map((c) => [c.code, c.connected, c.meetsTarget, c.hasBackup, c.townships.total])).toEqual([
      ['A', true, true, true, 2],
      ['B', true, false, false, 1],
    ]);
    expect(m.counties[1]!.failingLinks).toEqual([{ linkId: 'L-B', reason: 'below-target' }]);
  });

  it('names the single points of failure, the link itself among them', () => {
    const cut = new Map(m.singlePointsOfFailure.map((s) => [s.element.kind === 'link' ? s.element.id : s.element.hostname, s.sites]));
    expect(cut.get('L-B')).toEqual(['B']);
    expect(cut.get('L-A2')).toEqual(['A2']);
    expect(cut.get('a')).toEqual(expect.arrayContaining(['A1', 'A2']));
    expect(cut.has('L-A')).toBe(false); // backed up by B-A
  });

  it('reports the internet exit: up, not redundant', () => {
    expect(m.internetExit).toMatchObject({ up: 1, capacityMbps: 1000, meetsTarget: true, redundant: false });
  });

  it('feeds the node colours', () => {
    const gaps = gapsBySite(m);
    const status = (code: string) => siteStatus(sites.find((s) => s.code === code)!.status, gaps.get(code));
    expect(['C', 'A', 'B', 'A1', 'A2', 'B1'].map(status)).toEqual([
      'no-backup',
      'compliant',
      'below-target',
      'compliant',
      'no-backup',
      'planned',
    ]);
  });
});

describe('siteStatus', () => {
  const short = { linkId: 'L1', reason: 'below-target' } as const;
  const noData = { linkId: 'L2', reason: 'not-polled' } as const;
  const down = { linkId: 'L3', reason: 'down' } as const;
  it.each([
    ['planned', { gaps: ['unconnected'], failingLinks: [] }, 'planned'],
    ['built', { gaps: ['unconnected'], failingLinks: [] }, 'unconnected'],
    ['built', { gaps: ['no-backup', 'below-target'], failingLinks: [short] }, 'below-target'],
    ['built', { gaps: ['below-target'], failingLinks: [down] }, 'below-target'],
    ['built', { gaps: ['below-target'], failingLinks: [noData, short] }, 'below-target'],
    ['built', { gaps: ['no-data', 'no-backup'], failingLinks: [noData] }, 'no-backup'],
    ['built', { gaps: ['no-data'], failingLinks: [noData] }, 'not-polled'],
    ['built', { gaps: ['no-backup'], failingLinks: [] }, 'no-backup'],
    ['built', { gaps: [], failingLinks: [] }, 'compliant'],
    ['built', undefined, 'compliant'],
  ] as const)('%s %j → %s', (plan, gaps, expected) =>
    expect(siteStatus(plan, gaps && { gaps: [...gaps.gaps], failingLinks: [...gaps.failingLinks] })).toBe(expected),
  );
});
