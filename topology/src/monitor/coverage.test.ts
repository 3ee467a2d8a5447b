import { describe, expect, it } from 'vitest';
import type { Device, Link, LinkKind, LinkTier, Site, SiteTier } from '../plan/types';
import { linkCompliance, type EndState, type LinkCompliance } from './compliance';
import { computeCoverage, type CoverageGraph } from './coverage';

const now = 1_700_000_000_000;
const TIER_KIND: Record<SiteTier, Site['kind']> = { city: '市', county: '区', township: '镇' };
const site = (code: string, tier: SiteTier, parent?: string): Site => ({
  code,
  name: `site ${code}`,
  tier,
  kind: TIER_KIND[tier],
  ...(parent !== undefined && { parent }),
});
const device = (hostname: string, siteCode: string, role: Device['role'] = 'access'): Device => ({
  hostname,
  site: siteCode,
  role,
  interfaces: [],
  ...(role !== 'upstream' && { mgmtAddress: '192.0.2.1' }),
});
const TARGET: Record<LinkTier, number> = { 'city-internet': 1000, 'city-county': 1000, 'county-township': 100 };
function link(id: string, a: string, b: string, kind: LinkKind, tier: LinkTier, status: Link['status'] = 'built'): Link {
  return { id, kind, tier, a: { device: a, interface: 'x' }, b: { device: b, interface: 'y' }, targetMbps: TARGET[tier], status };
}
const up = (mbps: number): EndState => ({ ifHighSpeedMbps: mbps, operStatus: 'up', polledAt: now });
const down: EndState = { ifHighSpeedMbps: 1000, operStatus: 'down', polledAt: now };

/**
 * City 4413 (core c1, backup-core c2, exit x → isp). Counties:
 *  K1: uplink c1–k1 and backup c2–k1      — fully compliant
 *  K2: uplink c1–k2 only                   — no backup
 *  K3: uplink planned                      — unconnected
 * Townships:
 *  T11 (K1): uplink k1–t11                 — meets target; backup via T12
 *  T12 (K1): uplink k1–t12 at 10 Mbps, backup t12–t11 — below target, has backup
 *  T21 (K2): uplink k2–t21 down, backup t21–k1 — connected on backup, below target, no backup
 *  T22 (K2): uplink k2–t22                 — meets target, no backup
 *  T31 (K3): uplink k3–t31, never polled  — unconnected (county uplink not built)
 */
function scenario(): CoverageGraph {
  const sites = [
    site('4413', 'city'),
    site('K1', 'county', '4413'),
    site('K2', 'county', '4413'),
    site('K3', 'county', '4413'),
    site('T11', 'township', 'K1'),
    site('T12', 'township', 'K1'),
    site('T21', 'township', 'K2'),
    site('T22', 'township', 'K2'),
    site('T31', 'township', 'K3'),
  ];
  const devices = [
    device('c1', '4413', 'core'),
    device('c2', '4413', 'backup-core'),
    device('x', '4413', 'internet-exit'),
    device('isp', '4413', 'upstream'),
    device('k1', 'K1', 'aggregation'),
    device('k2', 'K2', 'aggregation'),
    device('k3', 'K3', 'aggregation'),
    device('t11', 'T11'),
    device('t12', 'T12'),
    device('t21', 'T21'),
    device('t22', 'T22'),
    device('t31', 'T31'),
  ];
  const links = [
    link('core', 'c1', 'c2', 'uplink', 'city-county'),
    link('exit', 'x', 'isp', 'internet-exit', 'city-internet'),
    link('x-c1', 'c1', 'x', 'uplink', 'city-county'),
    link('k1-up', 'c1', 'k1', 'uplink', 'city-county'),
    link('k1-bk', 'c2', 'k1', 'backup', 'city-county'),
    link('k2-up', 'c1', 'k2', 'uplink', 'city-county'),
    link('k3-up', 'c1', 'k3', 'uplink', 'city-county', 'planned'),
    link('t11-up', 'k1', 't11', 'uplink', 'county-township'),
    link('t12-up', 'k1', 't12', 'uplink', 'county-township'),
    link('t12-bk', 't12', 't11', 'backup', 'county-township'),
    link('t21-up', 'k2', 't21', 'uplink', 'county-township'),
    link('t21-bk', 't21', 'k1', 'backup', 'county-township'),
    link('t22-up', 'k2', 't22', 'uplink', 'county-township'),
    link('t31-up', 'k3', 't31', 'uplink', 'county-township'),
  ];
  const measured: Record<string, { a?: EndState; b?: EndState }> = {
    exit: { a: up(10_000) },
    't12-up': { a: up(1000), b: up(10) },
    't21-up': { a: down, b: down },
    't31-up': {}, // never polled
  };
  const linkStates = links.map((l) =>
    linkCompliance(l, measured[l.id] ?? { a: up(1000), b: up(1000) }, { now, unmanaged: { b: l.kind === 'internet-exit' } }),
  );
  return { sites, devices, links, linkStates };
}

describe('coverage of a small three-tier network', () => {
  const report = computeCoverage(scenario());
  const bySite = new Map(report.sites.map((s) => [s.code, s]));

  it('classifies each site', () => {
    const row = (code: string) => {
      const s = bySite.get(code)!;
      return [s.connected, s.meetsTarget, s.hasBackup, s.gaps];
    };
    expect(row('4413')).toEqual([true, true, false, ['no-backup']]); // one exit only
    expect(row('K1')).toEqual([true, true, true, []]);
    expect(row('K2')).toEqual([true, true, false, ['no-backup']]);
    expect(row('K3')).toEqual([false, false, false, ['unconnected']]);
    expect(row('T11')).toEqual([true, true, true, []]); // backup through T12
    expect(row('T12')).toEqual([true, false, true, ['below-target']]); // backup through T11
    expect(row('T21')).toEqual([true, false, false, ['below-target', 'no-backup']]);
    expect(row('T22')).toEqual([true, true, false, ['no-backup']]);
    expect(row('T31')).toEqual([false, false, false, ['unconnected']]);
  });

  it('explains failures along the primary path and lists SPOFs', () => {
    expect(bySite.get('T12')).toMatchObject({
      primaryPath: ['k1-up', 't12-up'],
      failingLinks: [{ linkId: 't12-up', reason: 'below-target' }],
    });
    expect(bySite.get('T21')).toMatchObject({ primaryPath: ['k2-up', 't21-up'], failingLinks: [{ linkId: 't21-up', reason: 'down' }] });
    expect(bySite.get('T31')).toMatchObject({
      primaryPath: ['k3-up', 't31-up'],
      failingLinks: [
        { linkId: 'k3-up', reason: 'not-built' },
        { linkId: 't31-up', reason: 'not-polled' },
      ],
    });
    // T21 runs on its backup to k1: k1 and the backup link are now single points of failure.
    expect(bySite.get('T21')!.singlePointsOfFailure).toEqual([
      { kind: 'device', hostname: 'k1' },
      { kind: 'link', id: 't21-bk' },
    ]);
    expect(bySite.get('K1')!.singlePointsOfFailure).toEqual([]);
    expect(report.spofImpact[0]).toMatchObject({ element: { kind: 'device', hostname: 'k1' } });
  });

  it('counts per tier and per county, with gap lists', () => {
    expect(report.tiers.county).toMatchObject({
      total: 3,
      connected: 2,
      meetingTarget: 2,
      withBackup: 1,
      fullyCompliant: 1,
      gaps: { unconnected: ['K3'], belowTarget: [], noBackup: ['K2'] },
    });
    expect(report.tiers.township).toMatchObject({ total: 5, connected: 4, meetingTarget: 2, withBackup: 2, fullyCompliant: 1 });
    const k2 = report.counties.find((c) => c.code === 'K2')!;
    expect(k2.townships).toMatchObject({
      total: 2,
      connected: 2,
      meetingTarget: 1,
      gaps: { belowTarget: ['T21'], noBackup: ['T21', 'T22'] },
    });
    expect(report.counties.map((c) => c.code)).toEqual(['K1', 'K2', 'K3']);
  });

  it('reports the internet exit and the overall figures', () => {
    expect(report.internetExit).toMatchObject({ up: 1, capacityMbps: 10_000, meetsTarget: true, redundant: false });
    // Fully compliant: K1, T11. Requirements: city, K1 (K2 lacks backup, K3 unconnected), T11, T22 (backup only a goal).
    expect(report.overall).toMatchObject({ sites: 9, fullyCompliant: 2, meetingRequirements: 4 });
    expect(report.overall.meetingRequirementsPct).toBeCloseTo((4 / 9) * 100);
  });

  it('can count unpolled links as down', () => {
    const g = scenario();
    const states = g.linkStates.map((s): LinkCompliance =>
      s.linkId === 'k2-up' ? { ...s, state: 'unknown', meetsTarget: false, reason: 'not-polled' } : s,
    );
    const r = computeCoverage({ ...g, linkStates: states }, { unknownLinksAs: 'down' });
    expect(r.sites.find((s) => s.code === 'K2')!.connected).toBe(false);
    expect(computeCoverage({ ...g, linkStates: states }).sites.find((s) => s.code === 'K2')!.connected).toBe(true);
  });
});

describe('honest coverage: no reading is "no data", never "below target"', () => {
  it('at a fresh start (nothing polled yet) no site is below target and the headline counts the sites without data', () => {
    const g = scenario();
    const fresh = g.links.map((l) => linkCompliance(l, undefined, { now, unmanaged: { b: l.kind === 'internet-exit' } }));
    const r = computeCoverage({ ...g, linkStates: fresh });
    for (const tier of ['city', 'county', 'township'] as const) expect(r.tiers[tier].gaps.belowTarget).toEqual([]);
    // K3 and T31 hang off a planned uplink: unconnected, a fact of the plan, not missing data.
    expect(r.tiers.township.gaps.noData).toEqual(['T11', 'T12', 'T21', 'T22']);
    expect(r.tiers.county.gaps.noData).toEqual(['K1', 'K2']);
    expect(r.tiers.city.noData).toBe(1); // the exit has no reading either
    expect(r.overall.noData).toBe(7);
    expect(r.sites.find((s) => s.code === 'T12')).toMatchObject({ meetsTarget: false, noData: true, gaps: ['no-data'] });
    expect(r.counties.find((c) => c.code === 'K1')!.townships).toMatchObject({ meetingTarget: 0, noData: 2 });
  });

  it('a measured shortfall beside a missing reading is below target; missing data alone is not', () => {
    const g = scenario();
    const states = g.linkStates.map((s): LinkCompliance =>
      s.linkId === 'k1-up' ? { ...s, state: 'unknown', meetsTarget: false, reason: 'not-polled' } : s,
    );
    const r = computeCoverage({ ...g, linkStates: states });
    const by = new Map(r.sites.map((s) => [s.code, s]));
    expect(by.get('K1')!.gaps).toEqual(['no-data']);
    expect(by.get('T11')!.gaps).toEqual(['no-data']);
    expect(by.get('T12')!.gaps).toEqual(['below-target']); // its own uplink is measured at 10 Mbps
    expect(r.overall.noData).toBe(2);
    expect(computeCoverage(scenario()).overall.noData).toBe(0);
  });
});

/** A synthetic extranet: `counties` county-level units, `perCounty` townships each, every township with a backup to a neighbour. */
function syntheticNetwork(counties: number, perCounty: number): CoverageGraph {
  const sites: Site[] = [site('C', 'city')];
  const devices: Device[] = [device('core1', 'C', 'core'), device('core2', 'C', 'backup-core')];
  const links: Link[] = [link('core', 'core1', 'core2', 'uplink', 'city-county')];
  for (let k = 0; k < counties; k++) {
    sites.push(site(`K${k}`, 'county', 'C'));
    devices.push(device(`k${k}`, `K${k}`, 'aggregation'));
    links.push(link(`K${k}-up`, 'core1', `k${k}`, 'uplink', 'city-county'), link(`K${k}-bk`, 'core2', `k${k}`, 'backup', 'city-county'));
    for (let t = 0; t < perCounty; t++) {
      const code = `T${k}.${t}`;
      sites.push(site(code, 'township', `K${k}`));
      devices.push(device(`t${k}.${t}`, code));
      links.push(link(`${code}-up`, `k${k}`, `t${k}.${t}`, 'uplink', 'county-township'));
      if (t > 0) links.push(link(`${code}-bk`, `t${k}.${t}`, `t${k}.${t - 1}`, 'backup', 'county-township'));
    }
  }
  const linkStates = links.map((l, i) => linkCompliance(l, { a: up(i % 7 === 0 ? 10 : 1000), b: up(1000) }, { now }));
  return { sites, devices, links, linkStates };
}

describe('coverage at scale', () => {
  it('handles 10 000 townships / 20 000 links (timing printed, not asserted)', () => {
    const g = syntheticNetwork(100, 100);
    expect(g.sites.length).toBe(10_101);
    expect(g.links.length).toBeGreaterThanOrEqual(20_000);
    let report = computeCoverage(g); // warm-up (JIT)
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < 7; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      report = computeCoverage(g);
      wall.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1]!.toFixed(0);
    console.info(
      `computeCoverage(): ${g.sites.length} sites, ${g.devices.length} devices, ${g.links.length} links → ` +
        `median ${median(wall)} ms wall, ${median(cpu)} ms CPU (min ${Math.min(...wall).toFixed(0)} ms wall)`,
    );
    expect(report.tiers.township.total).toBe(10_000);
    // Township t backs up t-1 and t+1, so every township has a second way to its county.
    expect(report.tiers.township.withBackup).toBe(10_000);
    expect(report.tiers.county.withBackup).toBe(100);
  });
});
