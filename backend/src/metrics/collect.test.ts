import { linkCompliance, type Device, type Link, type Plan, type Site } from '@extranet/topology';
import { describe, expect, it } from 'vitest';
import { metricFamilies, type MetricsData } from './collect';
import type { MetricFamily } from './exposition';
import type { DevicePollRow } from './store';

const NOW = 1_700_000_000_000;
const opts = { now: NOW, maxAgeMs: 180_000 };

const sites: Site[] = [
  { code: '4413', name: 'city', tier: 'city', kind: '市' },
  { code: 'K1', name: 'county 1', tier: 'county', kind: '区', parent: '4413' },
  { code: 'K2', name: 'county 2', tier: 'county', kind: '区', parent: '4413', status: 'planned' },
];
const devices: Device[] = [
  { hostname: 'c1', site: '4413', role: 'core', mgmtAddress: '192.0.2.1', interfaces: [] },
  { hostname: 'k1', site: 'K1', role: 'aggregation', mgmtAddress: '192.0.2.2', interfaces: [] },
  { hostname: 'k2', site: 'K2', role: 'aggregation', mgmtAddress: '192.0.2.3', interfaces: [] },
];
const link = (id: string, b: string, status: Link['status']): Link => ({
  id,
  kind: 'uplink',
  tier: 'city-county',
  a: { device: 'c1', interface: 'x' },
  b: { device: b, interface: 'y' },
  targetMbps: 1000,
  status,
});
const links = [link('k1-up', 'k1', 'built'), link('k2-up', 'k2', 'planned')];
const plan: Plan = {
  name: 'test',
  city: '4413',
  targets: { 'city-internet': 1000, 'city-county': 1000, 'county-township': 100 },
  snmpProfiles: [],
  sites,
  devices,
  links,
};
const end = { ifHighSpeedMbps: 1000, operStatus: 'up' as const, polledAt: NOW, inBps: 250e6, outBps: 50e6 };
const linkStates = [linkCompliance(links[0]!, { a: end, b: end }, { now: NOW }), linkCompliance(links[1]!, undefined, { now: NOW })];

const poll = (hostname: string, over: Partial<DevicePollRow> = {}): DevicePollRow => ({
  hostname,
  pollStatus: 'ok',
  lastPollAt: NOW - 1000,
  lastSuccessAt: NOW - 1000,
  pollDurationMs: 250,
  pollRequests: 4,
  pollVarbinds: 90,
  ...over,
});

function data(over: Partial<MetricsData> = {}): MetricsData {
  return { plan, linkStates, devices: [], interfaces: [], ...over };
}
function samples(families: MetricFamily[], name: string) {
  const f = families.find((x) => x.name === name);
  if (!f) throw new Error(`missing: ${name}`);
  return f.samples;
}

describe('metricFamilies', () => {
  it('drops the traffic of a link and the error rates of interfaces whose devices all missed a poll, and says since when', () => {
    const failing = { pollStatus: 'timeout' as const, failingSince: NOW - 30_000, lastSuccessAt: NOW - 90_000 };
    const iface = { ifName: 'x', inErrorsPerSec: 1, outErrorsPerSec: 0, inDiscardsPerSec: 0 };
    const both = metricFamilies(
      data({ devices: [poll('c1', failing), poll('k1', failing)], interfaces: [{ hostname: 'c1', ...iface }] }),
      opts,
    );
    expect(samples(both, 'extranet_link_traffic_bps')).toEqual([]);
    expect(samples(both, 'extranet_link_utilization_ratio')).toEqual([]);
    expect(samples(both, 'extranet_interface_errors_per_second')).toEqual([]);
    expect(samples(both, 'extranet_device_failing_since_timestamp_seconds')).toContainEqual({
      labels: { device: 'c1' },
      value: (NOW - 30_000) / 1000,
    });
    // One end still answers: the link's traffic is current (read from that end).
    const one = metricFamilies(data({ devices: [poll('c1', failing), poll('k1')] }), opts);
    expect(samples(one, 'extranet_link_traffic_bps')).toHaveLength(2);
    expect(samples(one, 'extranet_device_failing_since_timestamp_seconds')).toEqual([
      { labels: { device: 'c1' }, value: (NOW - 30_000) / 1000 },
    ]);
  });

  it('gives every plan link its target, and built links their state, capacity, traffic and utilization in base units', () => {
    const f = metricFamilies(data(), opts);
    const k1 = { link: 'k1-up', tier: 'city-county', kind: 'uplink' };
    expect(samples(f, 'extranet_link_target_bps')).toEqual([
      { labels: k1, value: 1e9 },
      { labels: { ...k1, link: 'k2-up' }, value: 1e9 },
    ]);
    expect(samples(f, 'extranet_link_meets_target')).toEqual([{ labels: k1, value: 1 }]);
    expect(samples(f, 'extranet_link_oper_up')).toEqual([{ labels: k1, value: 1 }]);
    expect(samples(f, 'extranet_link_capacity_bps')).toEqual([{ labels: k1, value: 1e9 }]);
    expect(samples(f, 'extranet_link_traffic_bps')).toEqual([
      { labels: { ...k1, direction: 'in' }, value: 250e6 },
      { labels: { ...k1, direction: 'out' }, value: 50e6 },
    ]);
    expect(samples(f, 'extranet_link_utilization_ratio')).toEqual([
      { labels: { ...k1, direction: 'in' }, value: 0.25 },
      { labels: { ...k1, direction: 'out' }, value: 0.05 },
    ]);
  });

  it('counts sites per tier and measure, and the overall compliant share as a ratio', () => {
    const f = metricFamilies(data(), opts);
    expect(samples(f, 'extranet_coverage_sites')).toContainEqual({ labels: { tier: 'county', measure: 'connected' }, value: 1 });
    const [overall] = samples(f, 'extranet_coverage_fully_compliant_ratio');
    expect(overall!.value).toBeGreaterThanOrEqual(0);
    expect(overall!.value).toBeLessThanOrEqual(1);
  });

  it('counts a device up only when its last poll was answered and is fresh; seconds for durations and times', () => {
    const f = metricFamilies(
      data({
        devices: [
          poll('fresh'),
          poll('stale', { lastPollAt: NOW - 200_000 }),
          poll('silent', { pollStatus: 'timeout', lastSuccessAt: null, pollRequests: null, pollVarbinds: null }),
        ],
      }),
      opts,
    );
    expect(samples(f, 'extranet_device_up').map((s) => [s.labels!.device, s.value])).toEqual([
      ['fresh', 1],
      ['stale', 0],
      ['silent', 0],
    ]);
    expect(samples(f, 'extranet_device_poll_status')).toContainEqual({ labels: { device: 'silent', status: 'timeout' }, value: 1 });
    expect(samples(f, 'snmp_scrape_duration_seconds')[0]).toEqual({ labels: { device: 'fresh' }, value: 0.25 });
    expect(samples(f, 'snmp_scrape_packets_sent').at(-1)).toEqual({ labels: { device: 'silent' }, value: 0 });
    expect(samples(f, 'extranet_device_last_success_timestamp_seconds').map((s) => s.labels!.device)).toEqual(['fresh', 'stale']);
    expect(samples(f, 'extranet_device_last_success_timestamp_seconds')[0]!.value).toBe((NOW - 1000) / 1000);
  });

  it('exposes only the error and discard rates an interface has', () => {
    const f = metricFamilies(
      data({ interfaces: [{ hostname: 'k1', ifName: 'y', inErrorsPerSec: 2.5, outErrorsPerSec: null, inDiscardsPerSec: 0 }] }),
      opts,
    );
    expect(samples(f, 'extranet_interface_errors_per_second')).toEqual([
      { labels: { device: 'k1', interface: 'y', direction: 'in' }, value: 2.5 },
    ]);
    expect(samples(f, 'extranet_interface_discards_per_second')).toEqual([
      { labels: { device: 'k1', interface: 'y', direction: 'in' }, value: 0 },
    ]);
  });

  it("adds the poller's own families only in a polling process, after the others", () => {
    const without = metricFamilies(data(), opts).map((x) => x.name);
    expect(without).not.toContain('snmp_scrape_errors_total');
    const scheduler = {
      shard: { index: 1, count: 2 },
      devices: [
        {
          hostname: 'k1',
          site: 'K1',
          intervalMs: 60_000,
          nextDueAt: NOW,
          failures: 2,
          last: undefined,
          errorsTotal: new Map([['timeout', 3]]),
        },
      ],
      lastCycle: { pollMs: 1500, storeMs: 40 },
    };
    const f = metricFamilies(data({ scheduler }), opts);
    expect(f.map((x) => x.name)).toEqual([
      ...without,
      'snmp_scrape_errors_total',
      'extranet_poller_devices',
      'extranet_poller_last_cycle_duration_seconds',
    ]);
    expect(samples(f, 'snmp_scrape_errors_total')).toEqual([{ labels: { device: 'k1', reason: 'timeout' }, value: 3 }]);
    expect(samples(f, 'extranet_poller_devices')).toEqual([{ labels: { shard: '1/2' }, value: 1 }]);
    expect(samples(f, 'extranet_poller_last_cycle_duration_seconds')).toEqual([
      { labels: { phase: 'poll' }, value: 1.5 },
      { labels: { phase: 'store' }, value: 0.04 },
    ]);
  });
});
