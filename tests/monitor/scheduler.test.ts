import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMonitoring } from '../../backend/src/poller/monitoring';
import { createPoller } from '../../backend/src/poller/poller';
import { loadConfig } from '../../backend/src/config';
import { Store } from '../../backend/src/neo4j/store';
import { tcpRelay } from '../helpers/http';
import { getJson, MINI, MINUTE, startStack, type Stack } from './fixture';

/** The scheduler on the mini plan: phases, shards, the real-timer loop and the lab-mode wiring. */
let s: Stack;
beforeAll(async () => {
  s = await startStack({ plan: MINI });
});
afterAll(async () => {
  await s?.close();
});

describe('scheduling', () => {
  it('spreads the devices over the interval: each polled once per interval, never all at once', async () => {
    const p = createPoller({ store: s.store, targets: s.lab.targets, profiles: s.lab.profiles, clock: s.clock.now });
    try {
      const polled: string[][] = [];
      for (let step = 0; step < 12; step++) {
        const c = await p.tick();
        if (c) polled.push(c.devices.map((d) => d.hostname));
        s.clock.advance(5000);
      }
      expect(polled.flat().sort()).toEqual(
        p
          .devices()
          .map((d) => d.hostname)
          .sort(),
      );
      expect(Math.max(...polled.map((x) => x.length))).toBeLessThanOrEqual(2);
      expect(polled.length).toBeGreaterThanOrEqual(6);
    } finally {
      await p.stop();
    }
  });

  it('splits the devices over shards: disjoint, complete', async () => {
    const shards = [0, 1].map((index) =>
      createPoller({ store: s.store, targets: s.lab.targets, profiles: s.lab.profiles, clock: s.clock.now, shard: { index, count: 2 } }),
    );
    try {
      const cycles = await Promise.all(shards.map((p) => p.pollOnce()));
      const names = cycles.map((c) => c.devices.map((d) => d.hostname));
      expect(names[0]!.filter((h) => names[1]!.includes(h))).toEqual([]);
      expect([...names[0]!, ...names[1]!].sort()).toHaveLength(7);
    } finally {
      await Promise.all(shards.map((p) => p.stop()));
    }
  });
});

describe('wiring', () => {
  it('documents the monitoring paths in the OpenAPI description', async () => {
    const { body } = await getJson(`${s.base}/api/openapi.json`);
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining(['/api/coverage', '/api/links/{id}/utilization', '/api/devices/{hostname}/status', '/api/lab/faults']),
    );
  });

  it('startMonitoring in lab mode runs the loop on real timers, a few devices per phase, never all at once', async () => {
    // Lab mode, asked for: a second lab on free ports, the poller pointed at it (never at 10.x).
    const m = await startMonitoring(s.store, {
      lab: true,
      env: { LAB_BASE_PORT: '0', POLL_INTERVAL_SECONDS: '5' },
      start: false,
      poller: { batchWindowMs: 50 },
    });
    const cycles: Array<{ at: number; hosts: string[] }> = [];
    m.poller.onCycle((c) => cycles.push({ at: Date.now(), hosts: c.devices.map((d) => d.hostname) }));
    try {
      expect(m.lab).toBeDefined();
      expect([...m.lab!.targets.values()].every((t) => t.host === '127.0.0.1')).toBe(true);
      m.poller.start();
      for (const t0 = Date.now(); cycles.length < 4 && Date.now() - t0 < 20_000;) await new Promise((r) => setTimeout(r, 25));
    } finally {
      await m.stop();
    }
    // 7 devices over 5 s: a phase every ~714 ms. Cycles come one phase at a time, each device once.
    expect(cycles.length).toBeGreaterThanOrEqual(4);
    const polled = cycles.flatMap((c) => c.hosts);
    expect(new Set(polled).size).toBe(polled.length);
    expect(Math.max(...cycles.map((c) => c.hosts.length))).toBeLessThanOrEqual(3);
    expect(cycles.at(-1)!.at - cycles[0]!.at).toBeGreaterThanOrEqual(1000); // spread over time, not one burst
  });
});

describe('when Neo4j goes away', () => {
  it('keeps polling the known devices; the cycle records the store error instead of throwing', async () => {
    const real = new URL(process.env.NEO4J_URI!);
    const relay = await tcpRelay({ host: real.hostname, port: Number(real.port) });
    const store = await Store.open({ ...loadConfig(), NEO4J_URI: `bolt://127.0.0.1:${relay.port}` });
    const p = createPoller({ store, targets: s.lab.targets, profiles: s.lab.profiles, clock: s.clock.now });
    try {
      expect((await p.pollOnce()).storeError).toBeUndefined();
      await relay.cut();
      s.clock.advance(MINUTE / 2); // within the interval: no plan re-read, just the cycle's write (which fails after the driver's retries)
      const c = await p.pollOnce();
      expect(c.storeError).toMatch(/unreachable/i);
      expect(c.devices).toHaveLength(7);
      expect(c.devices.every((d) => d.status === 'ok')).toBe(true);
      expect(c.devices.some((d) => d.interfaces.some((i) => i.inBps !== undefined))).toBe(true); // rates go on in memory
    } finally {
      await p.stop();
      await store.close();
    }
  });
});
