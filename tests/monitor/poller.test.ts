import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkEndReads, loadLinkStates } from '../../backend/src/monitor/coverage-service';
import { decodeKeptCounters } from '../../backend/src/monitor/kept-counters';
import type { CycleResult, LinkUpdate } from '../../backend/src/monitor/types';
import { createPoller } from '../../backend/src/poller/poller';
import { openTestStore } from '../helpers/store';
import { getJson, MINI, MINUTE, nodeProps, postJson, startStack, T0, type Stack, stackAuthHeaders } from './fixture';

/**
 * The poller against the real lab agents and the real Neo4j, on the mini plan:
 * rates, persistence, history over HTTP, and one fault at a time.
 */
let s: Stack;
beforeAll(async () => {
  s = await startStack({ plan: MINI });
});
afterAll(async () => {
  await s?.close();
});

const cycle = async (): Promise<CycleResult> => {
  s.clock.advance(MINUTE);
  return s.poller.pollOnce();
};
const link = (c: CycleResult, id: string): LinkUpdate => {
  const l = c.links.find((x) => x.id === id);
  if (!l) throw new Error(`no update for ${id} in ${c.links.map((x) => x.id).join(', ')}`);
  return l;
};
const sampleCount = async (id: string): Promise<number> =>
  (await nodeProps(s.store, 'MATCH (:Link {id: $id})-[:HAS_BUCKET]->(b) RETURN sum(size(b.at))', { id })) as unknown as number;
const status = (c: CycleResult) => Object.fromEntries(c.devices.map((d) => [d.hostname, d.status]));

describe('polling the mini plan', () => {
  let first: CycleResult;
  let second: CycleResult;

  it('polls exactly the managed devices at built sites (no upstream, no planned site)', async () => {
    first = await s.poller.pollOnce();
    expect(first.devices.map((d) => d.hostname).sort()).toEqual([
      'hz-4413-bak-01',
      'hz-4413-core-01',
      'hz-4413-exit-01',
      'hz-441302-agg-01',
      'hz-441302001-acc-01',
      'hz-441302002-acc-01',
      'hz-441303-agg-01',
    ]);
    expect(new Set(first.devices.map((d) => d.status))).toEqual(new Set(['ok']));
    expect(first.storeError).toBeUndefined();
  });

  it('gives no rate on the first poll, then sane rates 60 s later', async () => {
    expect(first.samplesWritten).toBe(0);
    expect(link(first, 'L-4413-441302')).toMatchObject({ state: 'up', meetsTarget: true, inBps: null });
    second = await cycle();
    const up = link(second, 'L-4413-441302');
    expect(up).toMatchObject({ state: 'up', meetsTarget: true, capacityMbps: 1000, county: '441302', tier: 'city-county' });
    // 10:00 on a Tuesday: the peak, well above idle and below line rate.
    expect(up.inBps!).toBeGreaterThan(50e6);
    expect(up.inBps!).toBeLessThan(1e9);
    expect(up.outBps!).toBeGreaterThan(0);
    expect(up.inPct).toBeCloseTo((up.inBps! / 1e9) * 100, 6);
    expect(second.samplesWritten).toBe(7); // 8 links, one planned
    expect(link(second, 'L-441302-441302002')).toMatchObject({ meetsTarget: false, reason: 'below-target', capacityMbps: 50 });
    expect(link(second, 'L-441303-441303101')).toMatchObject({ state: 'not-built', reason: 'not-built' });
    expect(link(second, 'X-4413-INET')).toMatchObject({ state: 'up', meetsTarget: true, county: null });
  });

  it('persists the link, interface and device state', async () => {
    const up = link(second, 'L-4413-441302');
    const l = await nodeProps(s.store, 'MATCH (l:Link {id: $id}) RETURN l {.*}', { id: 'L-4413-441302' });
    expect(l).toMatchObject({
      lastInBps: up.inBps,
      lastOutBps: up.outBps,
      capacityMbps: 1000,
      operStatus: 'up',
      meetsTarget: true,
      polledAt: T0 + MINUTE,
    });
    expect(l.reason).toBeUndefined();
    const i = await nodeProps(s.store, 'MATCH (i:Interface {key: $k}) RETURN i {.*}', { k: 'hz-4413-core-01|GigabitEthernet0/1/0' });
    expect(i).toMatchObject({ ifHighSpeedMbps: 1000, operStatus: 'up', lastPolled: T0 + MINUTE, matchedBy: 'ifName', speedMbps: 1000 });
    expect(i.ifIndex).toBeGreaterThan(0);
    expect(i.inBps).toBe(up.inBps);
    // Error and discard rates of the same interval (a few per hour on a healthy line), and their counters kept for a restart.
    for (const k of ['inErrorsPerSec', 'outErrorsPerSec', 'inDiscardsPerSec']) expect(i[k]).toBeGreaterThanOrEqual(0);
    const kept = decodeKeptCounters(i.ctr);
    expect(kept).toMatchObject({ at: T0 + MINUTE, ifIndex: i.ifIndex, speedMbps: 1000, width: 64 });
    expect(kept?.inDiscards).toBeTypeOf('bigint');
    expect(i.ctrAt).toBeUndefined(); // the separate properties of the format before are not written
    const d = await nodeProps(s.store, 'MATCH (d:Device {hostname: $h}) RETURN d {.*}', { h: 'hz-4413-core-01' });
    expect(d).toMatchObject({ pollStatus: 'ok', pollFailures: 0, lastSuccessAt: T0 + MINUTE });
    expect(d.pollRequests).toBeGreaterThanOrEqual(2);
  });

  it('reads every link end with its error rate in one pass: the same per link as a query of the error rates alone', async () => {
    const now = T0 + MINUTE;
    const { linkStates, errorsPerSec } = await loadLinkStates(s.store, { now, maxAgeMs: 3 * MINUTE });
    expect(linkStates.length).toBe(8);
    const alone = await s.store.read(async (tx) => {
      const r = await tx.run(
        `MATCH (l:Link)-[:END]->(i:Interface) WHERE i.lastPolled >= $freshSince AND i.inErrorsPerSec IS NOT NULL
         RETURN l.id AS id, sum(coalesce(i.inErrorsPerSec, 0) + coalesce(i.outErrorsPerSec, 0) + coalesce(i.inDiscardsPerSec, 0)) AS rate`,
        { freshSince: now - 3 * MINUTE },
      );
      return new Map(r.records.map((x) => [x.get('id') as string, Number(x.get('rate'))]));
    });
    expect(alone.size).toBeGreaterThan(0);
    expect([...errorsPerSec.keys()].sort()).toEqual([...alone.keys()].sort());
    for (const [id, rate] of alone) expect(errorsPerSec.get(id)).toBeCloseTo(rate, 9);
    // Past the staleness limit no end counts.
    expect((await loadLinkStates(s.store, { now: now + 10 * MINUTE, maxAgeMs: 3 * MINUTE })).errorsPerSec.size).toBe(0);
  });

  it('serves the history over HTTP: samples, current, peak, daily p95', async () => {
    for (let k = 0; k < 4; k++) await cycle();
    const id = 'L-4413-441302';
    const from = new Date(T0).toISOString();
    const to = new Date(T0 + 10 * MINUTE).toISOString();
    const { status, body } = await getJson(`${s.base}/api/links/${id}/utilization?from=${from}&to=${to}`);
    expect(status).toBe(200);
    expect(body.samples).toHaveLength(5);
    expect(body.samples.map((x: { at: string }) => Date.parse(x.at))).toEqual([1, 2, 3, 4, 5].map((k) => T0 + k * MINUTE));
    for (const x of body.samples) {
      expect(x.capacityMbps).toBe(1000);
      expect(x.inPct).toBeGreaterThan(5);
      expect(x.inPct).toBeLessThan(100);
    }
    const last = body.samples.at(-1);
    expect(body.current).toMatchObject({ at: last.at, inBps: last.inBps, outBps: last.outBps });
    const peakIn = Math.max(...body.samples.map((x: { inPct: number }) => x.inPct));
    expect(body.peak.in.pct).toBe(peakIn);
    expect(body.daily).toHaveLength(1);
    expect(body.daily[0]).toMatchObject({ day: '2025-03-04', samples: 5, source: 'samples' });
    expect(body.daily[0].in.p95).toBe(Math.max(...body.samples.map((x: { inBps: number }) => x.inBps))); // 5 samples: p95 = max
    expect(body.link).toMatchObject({ id, targetMbps: 1000, meetsTarget: true, operStatus: 'up' });
  });

  it.each([
    ['from after to', '?from=2025-03-04T10:00:00Z&to=2025-03-04T09:00:00Z', 'from'],
    ['a range over 31 days', '?from=2025-01-01T00:00:00Z&to=2025-03-04T00:00:00Z', 'to'],
    ['a time without offset', '?from=2025-03-04T10:00:00', 'from'],
    ['an unknown parameter', '?step=5m', 'step'],
  ])('answers %s with 400 BAD_REQUEST naming the field', async (_, query, field) => {
    const { status, body } = await getJson(`${s.base}/api/links/L-4413-441302/utilization${query}`);
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'BAD_REQUEST', field });
  });

  it('answers an unknown link or device with 404', async () => {
    expect((await getJson(`${s.base}/api/links/L-nope/utilization`)).body.error).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    expect((await getJson(`${s.base}/api/devices/nope/status`)).status).toBe(404);
  });
});

describe('faults, one at a time', () => {
  it('link-down: the link is down with reason down, and no rate is made up', async () => {
    const id = 'L-441302-441302001';
    const before = await sampleCount(id);
    s.lab.setFault('hz-441302-agg-01', 'GigabitEthernet0/1/0', 'link-down', true);
    const c = await cycle();
    expect(link(c, id)).toMatchObject({ state: 'down', meetsTarget: false, reason: 'down', inBps: null, outBps: null });
    expect(await sampleCount(id)).toBe(before);
    const i = await nodeProps(s.store, 'MATCH (i:Interface {key: $k}) RETURN i {.*}', { k: 'hz-441302-agg-01|GigabitEthernet0/1/0' });
    expect(i.operStatus).toBe('down');
    const { body } = await getJson(`${s.base}/api/coverage`);
    expect(body.tiers.township.gaps.belowTarget).toContain('441302001');
    s.lab.setFault('hz-441302-agg-01', 'GigabitEthernet0/1/0', 'link-down', false);
    expect(link(await cycle(), id)).toMatchObject({ state: 'up', meetsTarget: true });
  });

  it('counter-reset (reboot): the interval is discarded, not a spike; ifIndex is re-resolved by name', async () => {
    const exit = 'X-4413-INET'; // its only managed end is the exit router: no mirrored rate to fall back on
    const coreKey = 'hz-4413-core-01|GigabitEthernet0/1/0';
    const before = await nodeProps(s.store, 'MATCH (i:Interface {key: $k}) RETURN i {.*}', { k: coreKey });
    const count = await sampleCount(exit);
    s.lab.setFault('hz-4413-exit-01', undefined, 'counter-reset', true);
    s.lab.setFault('hz-4413-core-01', undefined, 'counter-reset', true);
    const c = await cycle();
    expect(status(c)).toMatchObject({ 'hz-4413-exit-01': 'ok', 'hz-4413-core-01': 'ok' });
    expect(link(c, exit)).toMatchObject({ state: 'up', meetsTarget: true, inBps: null });
    expect(await sampleCount(exit)).toBe(count);
    const after = await nodeProps(s.store, 'MATCH (i:Interface {key: $k}) RETURN i {.*}', { k: coreKey });
    expect(after.rateRejected).toBe('reboot');
    expect(after.inBps).toBeUndefined(); // Neo4j drops null properties: no rate stored
    expect(after.ifIndex).not.toBe(before.ifIndex); // the lab renumbers on reboot; the link still resolves by name
    // The core's uplink to 441302 falls back to the county end's own counters (mirrored), which are fine.
    const agg = await nodeProps(s.store, 'MATCH (i:Interface {key: $k}) RETURN i {.*}', { k: 'hz-441302-agg-01|GigabitEthernet0/0/0' });
    expect(link(c, 'L-4413-441302')).toMatchObject({ inBps: agg.outBps, outBps: agg.inBps });
    expect(agg.outBps).toBeLessThan(1e9);
    const next = await cycle();
    expect(link(next, exit).inBps!).toBeGreaterThan(0);
    expect(link(next, exit).inBps!).toBeLessThan(1e9);
    expect(await sampleCount(exit)).toBe(count + 1);
    s.lab.setFault('hz-4413-exit-01', undefined, 'counter-reset', false);
    s.lab.setFault('hz-4413-core-01', undefined, 'counter-reset', false);
  });

  it('discontinuity: the interval is discarded, then rates resume', async () => {
    const id = 'X-4413-INET';
    const count = await sampleCount(id);
    s.lab.setFault('hz-4413-exit-01', 'GigabitEthernet0/0/0', 'discontinuity', true);
    const c = await cycle();
    expect(link(c, id).inBps).toBeNull();
    expect(await sampleCount(id)).toBe(count);
    const i = await nodeProps(s.store, 'MATCH (i:Interface {key: $k}) RETURN i.rateRejected', {
      k: 'hz-4413-exit-01|GigabitEthernet0/0/0',
    });
    expect(i).toBe('discontinuity');
    s.lab.setFault('hz-4413-exit-01', 'GigabitEthernet0/0/0', 'discontinuity', false);
    expect(link(await cycle(), id).inBps!).toBeLessThan(1e9);
  });

  it('timeout: the device is data (status timeout), the other devices keep going', async () => {
    s.lab.setFault('hz-441303-agg-01', undefined, 'timeout', true);
    const c = await cycle();
    const st = status(c);
    expect(st['hz-441303-agg-01']).toBe('timeout');
    expect(Object.values(st).filter((x) => x === 'ok')).toHaveLength(6);
    const { status: code, body } = await getJson(`${s.base}/api/devices/hz-441303-agg-01/status`);
    expect(code).toBe(200);
    expect(body).toMatchObject({ status: 'timeout', consecutiveFailures: 1, managed: true, snmpProfile: 'huizhou-v3' });
    expect(Date.parse(body.lastSuccessAt)).toBeLessThan(s.clock.now());
    expect(body.lastError).toMatchObject({ status: 'timeout', at: new Date(s.clock.now()).toISOString() });
    expect(body.lastError.message).toMatch(/timeout/);
    expect(JSON.stringify(body)).not.toMatch(/lab-auth-pass|lab-priv-pass|lab-public/);
    // Its readings are stale since the failed poll, with their age; /metrics drops their rates and says since when.
    const failedAt = new Date(s.clock.now()).toISOString();
    expect(body.failingSince).toBe(failedAt);
    expect(body.interfaces.length).toBeGreaterThan(0);
    for (const i of body.interfaces) expect(i).toMatchObject({ stale: true, staleSince: failedAt, ageSeconds: 60 });
    const metrics = await (await fetch(`${s.base}/metrics`, { headers: stackAuthHeaders() })).text();
    expect(metrics).toContain(`extranet_device_failing_since_timestamp_seconds{device="hz-441303-agg-01"} ${s.clock.now() / 1000}`);
    expect(metrics).not.toMatch(/extranet_interface_(errors|discards)_per_second\{device="hz-441303-agg-01"/);
    // A second failure backs off: the next attempt is two intervals away, on the device's grid.
    await cycle();
    const sched = s.poller.devices().find((d) => d.hostname === 'hz-441303-agg-01')!;
    expect(sched.failures).toBe(2);
    expect(sched.nextDueAt - s.clock.now()).toBeGreaterThanOrEqual(2 * MINUTE);
    s.lab.setFault('hz-441303-agg-01', undefined, 'timeout', false);
    expect(status(await cycle())['hz-441303-agg-01']).toBe('ok');
    const after = (await getJson(`${s.base}/api/devices/hz-441303-agg-01/status`)).body;
    expect(after.failingSince).toBeNull();
    expect(after.interfaces.every((i: { stale: boolean }) => !i.stale)).toBe(true);
  });

  it('speed-drop: the link falls below target and coverage shows the gap', async () => {
    s.lab.setFault('hz-441302-agg-01', 'GigabitEthernet0/0/0', 'speed-drop', true);
    const c = await cycle();
    expect(link(c, 'L-4413-441302')).toMatchObject({
      state: 'up',
      meetsTarget: false,
      reason: 'below-target',
      capacityMbps: 100,
      changed: true,
    });
    const { body } = await getJson(`${s.base}/api/coverage`);
    expect(body.tiers.county.gaps.belowTarget).toEqual(['441302']);
    expect(body.counties.find((x: { code: string }) => x.code === '441302').failingLinks).toEqual([
      { linkId: 'L-4413-441302', reason: 'below-target' },
    ]);
    s.lab.setFault('hz-441302-agg-01', 'GigabitEthernet0/0/0', 'speed-drop', false);
    expect(link(await cycle(), 'L-4413-441302').meetsTarget).toBe(true);
  });

  it('switches faults over HTTP: POST/GET /api/lab/faults', async () => {
    const on = await postJson(`${s.base}/api/lab/faults`, {
      hostname: 'hz-441302002-acc-01',
      ifName: 'GigabitEthernet0/0/0',
      fault: 'saturation',
      on: true,
    });
    expect(on.status).toBe(200);
    expect(on.body.items).toEqual([expect.objectContaining({ hostname: 'hz-441302002-acc-01', fault: 'saturation' })]);
    expect((await getJson(`${s.base}/api/lab/faults`)).body.available.map((f: { name: string }) => f.name)).toContain('link-down');
    const bad = await postJson(`${s.base}/api/lab/faults`, { hostname: 'nope', fault: 'timeout', on: true });
    expect(bad).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND', field: 'hostname' } } });
    const scope = await postJson(`${s.base}/api/lab/faults`, {
      hostname: 'hz-4413-core-01',
      ifName: 'GigabitEthernet0/1/0',
      fault: 'timeout',
      on: true,
    });
    expect(scope).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST', field: 'ifName' } } });
    expect((await postJson(`${s.base}/api/lab/faults`, { hostname: 'x', fault: 'fire', on: true })).body.error.field).toBe('fault');
    await postJson(`${s.base}/api/lab/faults`, {
      hostname: 'hz-441302002-acc-01',
      ifName: 'GigabitEthernet0/0/0',
      fault: 'saturation',
      on: false,
    });
    expect(s.lab.faults()).toEqual([]);
  });

  it('saturation: the queue overflows and the discards show, per interface, in the API and /metrics', async () => {
    const [host, ifName] = ['hz-441302002-acc-01', 'GigabitEthernet0/0/0'];
    s.lab.setFault(host, ifName, 'saturation', true);
    try {
      await cycle(); // the interval the fault started in
      await cycle(); // a whole minute saturated: the lab drops 40 packets/s
      const { body } = await getJson(`${s.base}/api/devices/${host}/status`);
      const itf = body.interfaces.find((x: { ifName: string }) => x.ifName === ifName);
      expect(itf.inDiscardsPerSec).toBeGreaterThan(30);
      expect(itf.inDiscardsPerSec).toBeLessThan(50);
      const metrics = await (await fetch(`${s.base}/metrics`, { headers: stackAuthHeaders() })).text();
      const line = new RegExp(
        `^extranet_interface_discards_per_second\\{device="${host}",interface="${ifName.replaceAll('/', '\\/')}",direction="in"\\} (\\S+)$`,
        'm',
      );
      expect(Number(line.exec(metrics)?.[1])).toBe(itf.inDiscardsPerSec);
    } finally {
      s.lab.setFault(host, ifName, 'saturation', false);
    }
  });

  it('wrong v3 credentials: auth-failure, as data', async () => {
    const bad = new Map(s.lab.profiles);
    bad.set('huizhou-v3', {
      ...(s.lab.profiles.get('huizhou-v3') as Extract<import('../../backend/src/snmp/profiles').SnmpProfile, { version: '3' }>),
      authKey: 'not-the-key',
    });
    const p = createPoller({ store: s.store, targets: s.lab.targets, profiles: bad, clock: s.clock.now });
    try {
      const c = await p.pollOnce({ hostnames: ['hz-4413-core-01'] });
      expect(c.devices).toEqual([expect.objectContaining({ hostname: 'hz-4413-core-01', status: 'auth-failure' })]);
      expect(c.devices[0]!.error!.message).not.toMatch(/not-the-key/);
    } finally {
      await p.stop();
    }
    expect(status(await cycle())['hz-4413-core-01']).toBe('ok');
  });

  it('a plan interface the agent lacks: no-such-interface, the rest is still read', async () => {
    await s.store.write((tx) =>
      tx.run(`MATCH (d:Device {hostname: 'hz-441302002-acc-01'})
              CREATE (d)-[:HAS]->(:Interface {key: 'hz-441302002-acc-01|GigabitEthernet9/9/9', ifName: 'GigabitEthernet9/9/9'})`),
    );
    s.clock.advance(MINUTE);
    const c = await s.poller.pollOnce(); // the plan is re-read once per interval
    const d = c.devices.find((x) => x.hostname === 'hz-441302002-acc-01')!;
    expect(d.status).toBe('no-such-interface');
    expect(d.error!.message).toMatch(/GigabitEthernet9\/9\/9 \(missing\)/);
    expect(d.interfaces.map((i) => i.ifName)).toEqual(['GigabitEthernet0/0/0']);
    await s.store.write((tx) => tx.run("MATCH (i:Interface {key: 'hz-441302002-acc-01|GigabitEthernet9/9/9'}) DETACH DELETE i"));
  });
});

describe('the link ends kept between reads', () => {
  it('reads the link ends whole once, then only those of the links judged since: the same states as a whole read', async () => {
    const opts = () => ({ now: s.clock.now(), maxAgeMs: 3 * MINUTE });
    await loadLinkStates(s.store, opts());
    const before = { ...linkEndReads };
    await loadLinkStates(s.store, opts()); // no cycle since: nothing to read
    expect(linkEndReads).toEqual({ ...before, since: before.since + 1 });
    const c = await cycle();
    expect(c.links.length).toBeGreaterThan(0);
    const kept = await loadLinkStates(s.store, opts());
    expect(linkEndReads).toEqual({ whole: before.whole, since: before.since + 2, ends: before.ends + 2 * c.links.length });
    // Another Store has read nothing yet: it reads every end.
    const other = await openTestStore();
    try {
      const whole = await loadLinkStates(other, opts());
      expect(linkEndReads.whole).toBe(before.whole + 1);
      expect(kept.linkStates).toEqual(whole.linkStates);
      expect([...kept.errorsPerSec].sort()).toEqual([...whole.errorsPerSec].sort());
      // The new cycle's readings, not the ones kept before it.
      const up = kept.linkStates.find((l) => l.linkId === 'L-4413-441302')!;
      expect(up.inBps).toBeGreaterThan(0);
      expect(up.inBps).toBe(link(c, 'L-4413-441302').inBps);
    } finally {
      await other.close();
    }
  });
});
