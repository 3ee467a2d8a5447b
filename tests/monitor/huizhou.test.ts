import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '@extranet/topology';
import type { CycleResult } from '../../backend/src/monitor/types';
import { loadPlanOrThrow } from '../../backend/src/plan/load';
import { createPoller } from '../../backend/src/poller/poller';
import { pollableDevices } from '../../backend/src/poller/state-store';
import { getJson, HUIZHOU, MINUTE, startStack, type Stack, stackAuthHeaders } from './fixture';

/**
 * The real Huizhou plan (city → 7 county-level units → 84 townships) polled in
 * full from the lab, with the lab's deliberate shortfalls (3 township links and
 * 1 county link served at half their target) next to the plan's own
 * contracts below target. Coverage, metrics and one cycle's cost.
 */
let s: Stack;
let plan: Plan;
let first: CycleResult;
let second: CycleResult;
let secondMs: number;

beforeAll(async () => {
  plan = await loadPlanOrThrow(HUIZHOU);
  s = await startStack({
    plan: HUIZHOU,
    lab: { shortfalls: { townships: 3, counties: 1 }, seed: 1 },
    poller: { timeoutMs: 2000, retries: 1 },
  });
  first = await s.poller.pollOnce();
  s.clock.advance(MINUTE);
  const t = performance.now();
  second = await s.poller.pollOnce();
  secondMs = performance.now() - t;
});
afterAll(async () => {
  await s?.close();
});

describe('the Huizhou lab, polled in full', () => {
  it('polls every pollable device, all answering', () => {
    const expected = pollableDevices(plan).map((d) => d.hostname);
    expect(second.devices.map((d) => d.hostname).sort()).toEqual([...expected].sort());
    expect(second.devices.filter((d) => d.status !== 'ok')).toEqual([]);
    expect(first.samplesWritten).toBe(0);
    const built = plan.links.filter((l) => l.status === 'built').length;
    expect(second.samplesWritten).toBe(built);
    const interfaces = second.devices.reduce((n, d) => n + d.interfaces.length, 0);
    const requests = second.devices.reduce((n, d) => n + d.requests, 0);
    // Figures for the report (the lab's agents share this process, so this is a lower bound of a real poller's speed).
    console.log(
      `huizhou cycle: ${second.devices.length} devices, ${interfaces} interfaces, ${requests} SNMP requests, ` +
        `${second.links.length} links judged, ${second.samplesWritten} samples: ${secondMs.toFixed(0)} ms ` +
        `(polls ${second.pollMs.toFixed(0)} ms, write transaction ${second.storeMs.toFixed(0)} ms) ` +
        `(${((interfaces / secondMs) * 1000).toFixed(0)} interfaces/s)`,
    );
    expect(secondMs).toBeLessThan(20_000);
  });

  it('GET /api/speed-mismatches lists exactly the ports the lab serves below their plan speed, per port and per link', async () => {
    const { status, body } = await getJson(`${s.base}/api/speed-mismatches`);
    expect(status).toBe(200);
    const shortfalls = s.lab.lab.shortfalls;
    expect(shortfalls.length).toBeGreaterThan(0);
    const got = (body.interfaces as Array<Record<string, unknown>>).map((i) => [
      i.hostname,
      i.ifName,
      i.planSpeedMbps,
      i.ifHighSpeedMbps,
      i.direction,
    ]);
    const want = shortfalls.map((x) => [x.hostname, x.ifName, x.planMbps, x.actualMbps, 'slower']);
    const key = (r: unknown[]) => `${String(r[0])}|${String(r[1])}`;
    expect(got.sort((a, b) => key(a).localeCompare(key(b)))).toEqual(want.sort((a, b) => key(a).localeCompare(key(b))));
    const links = (body.links as Array<{ id: string }>).map((l) => l.id).sort();
    expect(links).toEqual([...new Set(shortfalls.map((x) => x.linkId!))].sort());
    // The device status API marks the same ports (and only them), none of them stale.
    const one = shortfalls[0]!;
    const dev = await getJson(`${s.base}/api/devices/${one.hostname}/status`);
    const mismatched = (dev.body.interfaces as Array<{ ifName: string; speedMismatch: boolean; stale: boolean }>).filter(
      (i) => i.speedMismatch,
    );
    expect(mismatched.map((i) => i.ifName).sort()).toEqual(
      shortfalls
        .filter((x) => x.hostname === one.hostname)
        .map((x) => x.ifName)
        .sort(),
    );
    expect(dev.body.interfaces.every((i: { stale: boolean }) => !i.stale)).toBe(true);
  });

  it('GET /api/coverage: the deliberate shortfalls and the small contracts are the gaps', async () => {
    const { status, body } = await getJson(`${s.base}/api/coverage`);
    expect(status).toBe(200);
    expect(body.tiers.city.total).toBe(1);
    expect(body.tiers.county.total).toBe(7);
    expect(body.tiers.township.total).toBe(84);
    expect(body.counties.map((c: { code: string }) => c.code).sort()).toEqual(
      plan.sites
        .filter((x) => x.tier === 'county')
        .map((x) => x.code)
        .sort(),
    );
    expect(body.internetExit).toMatchObject({ meetsTarget: true, up: 1 });

    // Expected below-target uplinks, from the plan and the lab independently of the code under test.
    const belowByContract = plan.links.filter(
      (l) => l.status === 'built' && l.contractedMbps !== undefined && l.contractedMbps < l.targetMbps,
    );
    const shortfallLinks = new Set(s.lab.lab.shortfalls.map((x) => x.linkId!));
    const belowUplinks = plan.links.filter((l) => l.kind === 'uplink' && (shortfallLinks.has(l.id) || belowByContract.includes(l)));
    expect(belowUplinks.length).toBeGreaterThanOrEqual(2);
    const failing = new Map<string, string>();
    for (const site of body.gaps) for (const f of site.failingLinks) failing.set(f.linkId, f.reason);
    for (const l of belowUplinks) expect(failing.get(l.id)).toBe('below-target');

    const siteOf = (hostname: string) => plan.devices.find((d) => d.hostname === hostname)!.site;
    const below = [...body.tiers.county.gaps.belowTarget, ...body.tiers.township.gaps.belowTarget];
    for (const l of belowUplinks) expect(below).toContain(siteOf(l.b.device));
    // A county below target drags its townships below target too (their primary path runs through it).
    const county = belowUplinks.find((l) => l.tier === 'city-county');
    if (county) {
      const code = siteOf(county.b.device);
      const c = body.counties.find((x: { code: string }) => x.code === code);
      expect(c.meetsTarget).toBe(false);
      expect(c.townships.meetingTarget).toBe(0);
    }
    expect(body.overall.sites).toBe(92);
    expect(body.overall.fullyCompliant).toBeLessThan(92);
    expect(body.singlePointsOfFailure.length).toBeGreaterThan(0);
    expect(body.singlePointsOfFailure[0].element).toHaveProperty('kind');
    console.log(
      `huizhou coverage: overall ${body.overall.fullyCompliant}/${body.overall.sites} fully compliant ` +
        `(${body.overall.fullyCompliantPct.toFixed(1)} %), meeting requirements ${body.overall.meetingRequirements}; ` +
        `county meeting target ${body.tiers.county.meetingTarget}/7, with backup ${body.tiers.county.withBackup}/7; ` +
        `township meeting target ${body.tiers.township.meetingTarget}/84, with backup ${body.tiers.township.withBackup}/84`,
    );
  });

  it('GET /metrics exposes the link, device and scrape families in the text format', async () => {
    const res = await fetch(`${s.base}/metrics`, { headers: stackAuthHeaders() });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    for (const name of [
      'extranet_link_utilization_ratio',
      'extranet_link_capacity_bps',
      'extranet_link_target_bps',
      'extranet_link_meets_target',
      'extranet_link_oper_up',
      'extranet_device_up',
      'snmp_scrape_duration_seconds',
      'snmp_scrape_errors_total',
      'snmp_scrape_packets_sent',
      'extranet_coverage_sites',
      'extranet_interface_errors_per_second',
      'extranet_interface_discards_per_second',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(text).toMatch(/^extranet_link_target_bps\{link="L-4413-441302",tier="city-county",kind="uplink"\} 1000000000$/m);
    expect(text).toMatch(
      /^extranet_link_utilization_ratio\{link="L-4413-441302",tier="city-county",kind="uplink",direction="in"\} 0\.\d+$/m,
    );
    expect(text).toMatch(/^extranet_device_up\{device="hz-4413-core-01"\} 1$/m);
    expect(text).toMatch(/^extranet_coverage_sites\{tier="township",measure="total"\} 84$/m);
    const lines = text
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('#'));
    for (const l of lines) expect(l).toMatch(/^[a-z_:]+(\{[^}]*\})? [-+0-9.eEInfNa]+$/);
  });

  it('two shards cover the plan between them, each device once', async () => {
    const shards = [0, 1].map((index) =>
      createPoller({ store: s.store, targets: s.lab.targets, profiles: s.lab.profiles, clock: s.clock.now, shard: { index, count: 2 } }),
    );
    try {
      s.clock.advance(MINUTE);
      const cycles = await Promise.all(shards.map((p) => p.pollOnce()));
      const [a, b] = cycles.map((c) => c.devices.map((d) => d.hostname));
      expect(a!.filter((h) => b!.includes(h))).toEqual([]);
      expect(a!.length + b!.length).toBe(pollableDevices(plan).length);
      expect(Math.abs(a!.length - b!.length)).toBeLessThan(30);
      // Links whose ends sit in different shards are still judged from both ends' stored state.
      const { body } = await getJson(`${s.base}/api/coverage`);
      expect(body.tiers.county.connected).toBe(7);
    } finally {
      await Promise.all(shards.map((p) => p.stop()));
    }
  });
});
