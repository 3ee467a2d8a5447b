import { describe, expect, it } from 'vitest';
import { evaluateAlerts } from './evaluate';
import { parseAlertRules, type AlertRules } from './rules';
import type { AlertSnapshot, SnapshotLink } from './snapshot';
import { emptyAlertState, type AlertState } from './types';

/**
 * city core + backup core; county A (uplink + backup); county B (uplink only)
 * with townships B1, B2 (uplink only); county D (uplink only) with township D1
 * (uplink from D, backup from the backup core).
 */
const MIN = 60_000;
const T = Date.parse('2025-03-04T02:00:00Z');

function rules(extra: Partial<{ forDown: string; changes: number }> = {}): AlertRules {
  const r = parseAlertRules({
    flapping: { changes: extra.changes ?? 4, window: '30m' },
    rules: [
      { name: 'link-down', kind: 'link-down', severity: 'critical', for: extra.forDown ?? '0s' },
      { name: 'device-unreachable', kind: 'device-unreachable', severity: 'critical' },
      { name: 'link-utilization', kind: 'link-utilization', raisePct: 80, clearPct: 70, for: '10m' },
      { name: 'link-below-target', kind: 'link-below-target' },
      { name: 'site-backup-lost', kind: 'site-backup-lost' },
    ],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.rules;
}

const link = (id: string, kind: 'uplink' | 'backup', a: string, b: string): SnapshotLink => ({
  id,
  kind,
  status: 'built',
  a: { device: a },
  b: { device: b },
  state: 'up',
  meetsTarget: true,
  targetMbps: 100,
  capacityMbps: 1000,
  inPct: 10,
  outPct: 10,
});

function network(over: { down?: string[]; pct?: Record<string, number>; timeout?: string[] } = {}): AlertSnapshot {
  const links = [
    link('L-A', 'uplink', 'core', 'agg-a'),
    link('B-A', 'backup', 'bak', 'agg-a'),
    link('L-B', 'uplink', 'core', 'agg-b'),
    link('L-B1', 'uplink', 'agg-b', 'acc-b1'),
    link('L-B2', 'uplink', 'agg-b', 'acc-b2'),
    link('L-D', 'uplink', 'core', 'agg-d'),
    link('L-D1', 'uplink', 'agg-d', 'acc-d1'),
    link('B-D1', 'backup', 'bak', 'acc-d1'),
  ].map((l) => ({
    ...l,
    ...(over.down?.includes(l.id) && { state: 'down' as const, meetsTarget: false, reason: 'down' }),
    ...(over.pct?.[l.id] !== undefined && { inPct: over.pct[l.id] }),
  }));
  const devices = [
    ['core', 'C'],
    ['bak', 'C'],
    ['agg-a', 'A'],
    ['agg-b', 'B'],
    ['acc-b1', 'B1'],
    ['acc-b2', 'B2'],
    ['agg-d', 'D'],
    ['acc-d1', 'D1'],
  ].map(([hostname, site]) => ({ hostname: hostname!, site: site!, role: 'access', managed: true }));
  return {
    sites: [
      { code: 'C', name: 'city', tier: 'city' },
      { code: 'A', name: 'A', tier: 'county', parent: 'C' },
      { code: 'B', name: 'B', tier: 'county', parent: 'C' },
      { code: 'B1', name: 'B1', tier: 'township', parent: 'B' },
      { code: 'B2', name: 'B2', tier: 'township', parent: 'B' },
      { code: 'D', name: 'D', tier: 'county', parent: 'C' },
      { code: 'D1', name: 'D1', tier: 'township', parent: 'D' },
    ],
    devices,
    links,
    deviceStatus: new Map(devices.map((d) => [d.hostname, over.timeout?.includes(d.hostname) ? 'timeout' : 'ok'])),
    core: ['core', 'bak'],
  };
}

const active = (s: AlertState) =>
  [...s.alerts.values()].map((a) => ({ key: a.key, state: a.state, suppressedBy: a.suppressedBy, cutOff: a.cutOff }));

describe('dependency-aware evaluation', () => {
  it('a county uplink with no backup: one alert naming the sites it cut off', () => {
    const e = evaluateAlerts(emptyAlertState(), network({ down: ['L-B'] }), rules(), T);
    const notified = [...e.state.alerts.values()].filter((a) => a.suppressedBy.length === 0);
    expect(notified.map((a) => a.key)).toEqual(['link-down|link:L-B']);
    expect(notified[0]).toMatchObject({ state: 'firing', cutOff: ['B', 'B1', 'B2'], degraded: [] });
    expect(e.state.alerts.size).toBe(1);
  });

  it('a county device dies: one alert for the device; its links are its failure; a township with a backup path raises nothing', () => {
    const e = evaluateAlerts(emptyAlertState(), network({ timeout: ['agg-d'], down: ['L-D', 'L-D1'] }), rules(), T);
    const notified = [...e.state.alerts.values()].filter((a) => a.suppressedBy.length === 0);
    expect(notified.map((a) => a.key)).toEqual(['device-unreachable|device:agg-d']);
    expect(notified[0]).toMatchObject({ cutOff: ['D'], degraded: ['D1'] });
    expect(e.state.alerts.get('link-down|link:L-D')?.suppressedBy).toEqual(['device:agg-d']);
    expect(e.state.alerts.get('link-down|link:L-D1')?.suppressedBy).toEqual(['device:agg-d']);
    // D1 still reaches the core over its backup: it lost redundancy, which the device's alert already says.
    expect(e.state.alerts.get('site-backup-lost|site:D1')?.suppressedBy).toEqual(['device:agg-d']);
  });

  it('in the real network the townships behind the cut stop answering: their alerts are suppressed with the cause', () => {
    const e = evaluateAlerts(emptyAlertState(), network({ down: ['L-B'], timeout: ['acc-b1', 'acc-b2'] }), rules(), T);
    expect(
      active(e.state)
        .filter((a) => a.suppressedBy.length === 0)
        .map((a) => a.key),
    ).toEqual(['link-down|link:L-B']);
    expect(e.state.alerts.get('device-unreachable|device:acc-b1')?.suppressedBy).toEqual(['link:L-B']);
    expect(e.state.alerts.get('link-down|link:L-B')?.cutOff).toEqual(['B', 'B1', 'B2']);
  });

  it('a county uplink with a working backup: the link alerts, the county and nothing below it is cut off', () => {
    const e = evaluateAlerts(emptyAlertState(), network({ down: ['L-A'] }), rules(), T);
    const l = e.state.alerts.get('link-down|link:L-A')!;
    expect(l.cutOff).toEqual([]);
    expect(l.degraded).toEqual(['A']);
    expect(
      active(e.state)
        .filter((a) => a.suppressedBy.length === 0)
        .map((a) => a.key),
    ).toEqual(['link-down|link:L-A']);
  });

  it('a failed device behind a failed uplink is not a cause; the uplink is', () => {
    const e = evaluateAlerts(emptyAlertState(), network({ down: ['L-B', 'L-B1'] }), rules(), T);
    expect(e.state.alerts.get('link-down|link:L-B1')?.suppressedBy).toEqual(['link:L-B']);
    expect(e.state.alerts.get('link-down|link:L-B')?.cutOff).toEqual(['B', 'B1', 'B2']);
  });

  it('a failure with its rule switched off suppresses nothing (no alert stands for it)', () => {
    const r = rules();
    r.rules = r.rules.filter((x) => x.kind !== 'link-down');
    const e = evaluateAlerts(emptyAlertState(), network({ down: ['L-B'] }), r, T);
    expect(e.state.alerts.size).toBe(0);
    const d = evaluateAlerts(emptyAlertState(), network({ down: ['L-D1'] }), r, T);
    expect(d.state.alerts.get('site-backup-lost|site:D1')?.suppressedBy).toEqual([]);
  });

  it('recovery resolves the alert and the suppressed ones', () => {
    const first = evaluateAlerts(emptyAlertState(), network({ down: ['L-B'] }), rules(), T);
    const second = evaluateAlerts(first.state, network(), rules(), T + MIN);
    expect(second.state.alerts.size).toBe(0);
    expect(second.changes.map((c) => [c.key, c.to])).toEqual([['link-down|link:L-B', 'resolved']]);
    expect(second.changes[0]!.alert).toMatchObject({ firedAt: T, resolvedAt: T + MIN });
  });

  it('does not depend on the order of devices, links or sites (every permutation tried on a rotation)', () => {
    const base = network({ down: ['L-B', 'L-A', 'L-D1'], timeout: ['acc-b2', 'agg-d'], pct: { 'L-B1': 95 } });
    const want = JSON.stringify([...evaluateAlerts(emptyAlertState(), base, rules(), T).state.alerts.entries()]);
    const rot = <X>(xs: readonly X[], k: number) => [...xs.slice(k), ...xs.slice(0, k)];
    for (let k = 1; k < base.links.length; k++) {
      const shuffled: AlertSnapshot = {
        ...base,
        links: rot(base.links, k).reverse(),
        devices: rot(base.devices, k % base.devices.length),
        sites: rot(base.sites, k % base.sites.length).reverse(),
        core: k % 2 ? ['bak', 'core'] : ['core', 'bak'],
      };
      expect(JSON.stringify([...evaluateAlerts(emptyAlertState(), shuffled, rules(), T).state.alerts.entries()])).toBe(want);
    }
  });
});

describe('lifecycle', () => {
  it('pending for the rule’s duration, then firing; a condition that clears while pending never fires', () => {
    const r = rules({ forDown: '2m' });
    const a = evaluateAlerts(emptyAlertState(), network({ down: ['L-A'] }), r, T);
    expect(a.state.alerts.get('link-down|link:L-A')?.state).toBe('pending');
    const b = evaluateAlerts(a.state, network({ down: ['L-A'] }), r, T + 2 * MIN);
    expect(b.state.alerts.get('link-down|link:L-A')).toMatchObject({ state: 'firing', since: T, firedAt: T + 2 * MIN });
    const c = evaluateAlerts(emptyAlertState(), network({ down: ['L-A'] }), r, T);
    const d = evaluateAlerts(c.state, network(), r, T + MIN);
    expect(d.changes.filter((x) => x.alert.rule === 'link-down').map((x) => [x.from, x.to, x.alert.firedAt])).toEqual([
      ['pending', 'resolved', undefined],
    ]);
  });

  it('utilization raises above 80 % after 10 minutes and clears only below 70 % (hysteresis)', () => {
    const r = rules();
    const key = 'link-utilization|link:L-B1';
    let s = emptyAlertState();
    const step = (pct: number, at: number) => (s = evaluateAlerts(s, network({ pct: { 'L-B1': pct } }), r, at).state);
    step(85, T);
    expect(s.alerts.get(key)?.state).toBe('pending');
    step(75, T + 5 * MIN); // between the thresholds: stays
    step(90, T + 10 * MIN);
    expect(s.alerts.get(key)).toMatchObject({ state: 'firing', value: 90 });
    step(72, T + 11 * MIN);
    expect(s.alerts.get(key)?.state).toBe('firing');
    step(69, T + 12 * MIN);
    expect(s.alerts.has(key)).toBe(false);
    step(75, T + 13 * MIN); // below the raise threshold: nothing
    expect(s.alerts.has(key)).toBe(false);
  });
});

describe('flapping', () => {
  it('more than N changes in the window: one flapping notice, the alert held; it ends when the changes age out', () => {
    const r = rules({ changes: 3 });
    let s = emptyAlertState();
    const notices: string[] = [];
    for (let i = 0; i < 8; i++) {
      const e = evaluateAlerts(s, network({ down: i % 2 === 0 ? ['L-A'] : [] }), r, T + i * MIN);
      s = e.state;
      notices.push(...e.changes.filter((c) => c.key.startsWith('flapping|') && !c.alert.suppressedBy.length).map((c) => `${c.to}@${i}`));
    }
    expect(notices).toEqual(['firing@3']);
    expect(s.alerts.get('flapping|link-down|link:L-A')).toMatchObject({ state: 'firing', labels: { flapping: 'link-down', link: 'L-A' } });
    expect(s.alerts.get('link-down|link:L-A')?.flapping ?? true).toBe(true);
    const later = evaluateAlerts(s, network(), r, T + 60 * MIN);
    expect(later.changes.filter((c) => !c.alert.suppressedBy.length).map((c) => [c.key, c.to])).toEqual([
      ['flapping|link-down|link:L-A', 'resolved'],
    ]);
  });
});
