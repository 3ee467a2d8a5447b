import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CycleResult, InterfaceResult, LinkUpdate } from '../../backend/src/monitor/types';
import { readInterfaces } from '../../backend/src/snmp/ifmib';
import { openSession } from '../../backend/src/snmp/session';
import { getJson, MINI, MINUTE, nodeProps, stackAuthHeaders, startStack, type Stack } from '../monitor/fixture';

/**
 * Agents that misbehave in ways only a whole router shows, with the lab's faults
 * (so ops can show the same in lab mode: `POST /api/lab/faults`): an agent that
 * answers ifHighSpeed and ifSpeed 0 (`zero-speed`), octet counters that go
 * backwards without a reboot (`counter-backwards`), and a reboot that renumbers
 * every ifIndex (`counter-reset`). The poller runs over the mini plan into the
 * real Neo4j; after each cycle the same agents are read directly, at the same
 * instant of the lab's clock (its counters are deterministic), for the truth
 * every recorded rate is compared with.
 */
let s: Stack;
beforeAll(async () => {
  s = await startStack({ plan: MINI });
});
afterAll(async () => {
  await s?.close();
});

type Octets = Map<string, { ifIndex: number; in: bigint; out: bigint }>;
/** What the agent serves now, by interface name (a direct read, not the poller's). */
async function truth(hostname: string): Promise<Octets> {
  const session = openSession(s.lab.targets.get(hostname)!, s.lab.profiles.get('huizhou-v3')!, { timeoutMs: 2000 });
  try {
    const r = await readInterfaces(session);
    return new Map([...r.interfaces].map(([ifIndex, i]) => [i.ifName, { ifIndex, in: i.inOctets, out: i.outOctets }]));
  } finally {
    session.close();
  }
}
/** The rate the counters say over one 60 s cycle, bits per second. */
const bps = (a: bigint, b: bigint) => (Number(b - a) * 8) / 60;

/** One cycle 60 s on, and the truth of `hosts` at that instant. */
async function cycle(...hosts: string[]): Promise<{ c: CycleResult; t: Map<string, Octets> }> {
  s.clock.advance(MINUTE);
  const c = await s.poller.pollOnce();
  const t = new Map<string, Octets>();
  for (const h of hosts) t.set(h, await truth(h));
  return { c, t };
}
const link = (c: CycleResult, id: string): LinkUpdate => c.links.find((x) => x.id === id)!;
const iface = (c: CycleResult, hostname: string, ifName: string): InterfaceResult =>
  c.devices.find((d) => d.hostname === hostname)!.interfaces.find((i) => i.ifName === ifName)!;
const statuses = (c: CycleResult) => new Set(c.devices.map((d) => d.status));
const samples = async (id: string) =>
  (await nodeProps(s.store, 'MATCH (:Link {id: $id})-[:HAS_BUCKET]->(b) RETURN sum(size(b.at))', { id })) as unknown as number;
/** Every rate of a cycle is finite and within its interface's reported speed (when it reports one). */
function plausible(c: CycleResult): void {
  for (const d of c.devices)
    for (const i of d.interfaces) {
      for (const v of [i.inBps, i.outBps])
        if (v !== undefined) expect(Number.isFinite(v) && v >= 0, `${d.hostname} ${i.ifName}`).toBe(true);
      if (i.inBps !== undefined && i.ifHighSpeedMbps > 0) expect(i.inBps).toBeLessThanOrEqual(i.ifHighSpeedMbps * 1e6 * 1.01);
    }
  for (const l of c.links)
    for (const v of [l.inPct, l.outPct, l.inBps, l.outBps]) if (v !== null) expect(Number.isFinite(v), l.id).toBe(true);
}

const CORE = 'hz-4413-core-01';
const AGG3 = 'hz-441303-agg-01';
const EXIT = 'hz-4413-exit-01';
const AGG2 = 'hz-441302-agg-01';

describe('misbehaving agents from the lab', () => {
  it('warm-up: every device ok, rates from the second cycle on', async () => {
    await s.poller.pollOnce();
    const { c } = await cycle();
    expect(statuses(c)).toEqual(new Set(['ok']));
    expect(link(c, 'L-4413-441303').inBps).toBeGreaterThan(0);
    plausible(c);
  });

  it('zero-speed (ifHighSpeed and ifSpeed 0): not below target, no utilization % on an unknown speed, the rate still recorded and true', async () => {
    const id = 'L-4413-441303';
    const before = await truth(CORE);
    // One end answers 0: the other end's speed is the capacity, the link meets its target.
    s.lab.setFault(CORE, 'GigabitEthernet0/1/1', 'zero-speed', true);
    const one = await cycle(CORE);
    expect(statuses(one.c)).toEqual(new Set(['ok']));
    expect(iface(one.c, CORE, 'GigabitEthernet0/1/1').ifHighSpeedMbps).toBe(0);
    expect(link(one.c, id)).toMatchObject({ state: 'up', meetsTarget: true, reason: null, capacityMbps: 1000 });
    const truthIn = bps(before.get('GigabitEthernet0/1/1')!.in, one.t.get(CORE)!.get('GigabitEthernet0/1/1')!.in);
    expect(link(one.c, id).inBps).toBeCloseTo(truthIn, 0);
    plausible(one.c);

    // Both ends answer 0 and no contract: the speed is unknown — not "below target", no %, the rate kept.
    s.lab.setFault(AGG3, 'GigabitEthernet0/0/0', 'zero-speed', true);
    const count = await samples(id);
    const both = await cycle(CORE);
    expect(statuses(both.c)).toEqual(new Set(['ok']));
    const l = link(both.c, id);
    expect(l).toMatchObject({ state: 'up', meetsTarget: false, reason: 'not-polled', capacityMbps: null, inPct: null, outPct: null });
    expect(l.detail).toMatch(/ifHighSpeed/);
    expect(l.inBps).toBeCloseTo(
      bps(one.t.get(CORE)!.get('GigabitEthernet0/1/1')!.in, both.t.get(CORE)!.get('GigabitEthernet0/1/1')!.in),
      0,
    );
    expect(await samples(id)).toBe(count + 1);
    plausible(both.c);
    // Over HTTP: the sample is there with its rate, and no percentage of an unknown capacity.
    const range = `from=${new Date(s.clock.now() - 5 * MINUTE).toISOString()}&to=${new Date(s.clock.now() + MINUTE).toISOString()}`;
    const { body } = await getJson(`${s.base}/api/links/${id}/utilization?${range}`);
    const last = body.samples.at(-1);
    expect(last).toMatchObject({ capacityMbps: null, inPct: null, outPct: null });
    expect(last.inBps).toBeCloseTo(l.inBps!, 0);
    // /metrics: no utilization series for it (it would be a division by zero), the rate series are there.
    const metrics = await (await fetch(`${s.base}/metrics`, { headers: stackAuthHeaders() })).text();
    const mine = metrics.split('\n').filter((line) => line.includes(`link="${id}"`));
    expect(mine.filter((line) => /NaN|Inf/.test(line))).toEqual([]);
    expect(mine.filter((line) => line.startsWith('extranet_link_utilization_ratio'))).toEqual([]);
    expect(mine.filter((line) => line.startsWith('extranet_link_traffic_bps')).length).toBe(2);

    s.lab.setFault(CORE, 'GigabitEthernet0/1/1', 'zero-speed', false);
    s.lab.setFault(AGG3, 'GigabitEthernet0/0/0', 'zero-speed', false);
    const back = await cycle();
    expect(link(back.c, id)).toMatchObject({ meetsTarget: true, capacityMbps: 1000 });
  });

  it('counter-backwards without a reboot: that interval is discarded (no huge rate), the next one is true', async () => {
    const id = 'X-4413-INET'; // the exit router is its only managed end: no mirrored rate to fall back on
    const count = await samples(id);
    const t0 = await truth(EXIT);
    s.lab.setFault(EXIT, 'GigabitEthernet0/0/0', 'counter-backwards', true);
    const back = await cycle(EXIT);
    const after = back.t.get(EXIT)!.get('GigabitEthernet0/0/0')!;
    expect(after.in).toBeLessThan(t0.get('GigabitEthernet0/0/0')!.in); // it did go backwards on the wire
    expect(statuses(back.c)).toEqual(new Set(['ok']));
    const i = iface(back.c, EXIT, 'GigabitEthernet0/0/0');
    expect(i.inBps).toBeUndefined();
    expect(i.rejected).toBe('counter-decreased');
    expect(link(back.c, id)).toMatchObject({ state: 'up', inBps: null, outBps: null });
    expect(await samples(id)).toBe(count);
    plausible(back.c);

    s.lab.setFault(EXIT, 'GigabitEthernet0/0/0', 'counter-backwards', false);
    const next = await cycle(EXIT);
    const now = next.t.get(EXIT)!.get('GigabitEthernet0/0/0')!;
    expect(link(next.c, id).inBps).toBeCloseTo(bps(after.in, now.in), 0);
    expect(link(next.c, id).outBps).toBeCloseTo(bps(after.out, now.out), 0);
    expect(link(next.c, id).inBps!).toBeLessThan(1e9);
    expect(await samples(id)).toBe(count + 1);
  });

  it('ifIndex renumbered by a reboot: interfaces are found by name again, no rate across the reboot, then each port its own rate', async () => {
    const names = ['GigabitEthernet0/0/0', 'GigabitEthernet0/0/1', 'GigabitEthernet0/1/0', 'GigabitEthernet0/1/1', 'GigabitEthernet0/2/0'];
    const before = await truth(AGG2);
    s.lab.setFault(AGG2, undefined, 'counter-reset', true);
    const rebooted = await cycle(AGG2);
    const t1 = rebooted.t.get(AGG2)!;
    for (const n of names) expect(t1.get(n)!.ifIndex, n).not.toBe(before.get(n)!.ifIndex); // every port renumbered
    expect(statuses(rebooted.c)).toEqual(new Set(['ok']));
    for (const n of names) {
      const i = iface(rebooted.c, AGG2, n);
      expect(i.ifIndex, n).toBe(t1.get(n)!.ifIndex);
      expect(i.inBps, n).toBeUndefined();
      expect(i.rejected, n).toBe('reboot');
    }
    plausible(rebooted.c);
    const stored = await nodeProps(s.store, 'MATCH (i:Interface {key: $k}) RETURN i {.*}', { k: `${AGG2}|GigabitEthernet0/1/0` });
    expect(stored.ifIndex).toBe(t1.get('GigabitEthernet0/1/0')!.ifIndex);

    s.lab.setFault(AGG2, undefined, 'counter-reset', false);
    const next = await cycle(AGG2);
    const t2 = next.t.get(AGG2)!;
    for (const n of names) {
      const i = iface(next.c, AGG2, n);
      expect(i.inBps, n).toBeCloseTo(bps(t1.get(n)!.in, t2.get(n)!.in), 0);
      expect(i.outBps, n).toBeCloseTo(bps(t1.get(n)!.out, t2.get(n)!.out), 0);
    }
    // The township link off the renumbered port: its rate is that port's, not a neighbour's.
    expect(link(next.c, 'L-441302-441302001').inBps).toBeCloseTo(
      bps(t1.get('GigabitEthernet0/1/0')!.in, t2.get('GigabitEthernet0/1/0')!.in),
      0,
    );
    plausible(next.c);
  });
});
