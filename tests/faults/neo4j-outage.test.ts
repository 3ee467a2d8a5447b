import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../backend/src/config';
import type { CycleResult } from '../../backend/src/monitor/types';
import { readSamples } from '../../backend/src/monitor/history-store';
import { Store } from '../../backend/src/neo4j/store';
import { importPlanDir } from '../../backend/src/plan/service';
import { loadPlanOrThrow } from '../../backend/src/plan/load';
import { resetGraph } from '../helpers/store';
import { getJson, MINI, MINUTE, stackAuthHeaders, startStack, T0, type Stack } from '../monitor/fixture';

/**
 * Neo4j goes away while the poller runs over the lab, and comes back. Between
 * the manager and the test's Neo4j sits a relay on a fixed port: `down()`
 * drops every connection and stops listening (a connect is refused, as when the
 * Neo4j process is gone), `up()` listens on the same port again. The lab's
 * counters follow the stepped clock, so what was polled is known exactly and
 * compared with what the history holds after the outage.
 */
async function relay(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  const listen = (port: number) => new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  await listen(0);
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    down: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
    up: () => listen(port),
    close: () => new Promise<void>((r) => (server.listening ? server.close(() => r()) : r())),
  };
}

const real = new URL(process.env.NEO4J_URI!);
let r: Awaited<ReturnType<typeof relay>>;
let s: Stack;
const cycles: CycleResult[] = [];
const WINDOW = 5 * MINUTE;

beforeAll(async () => {
  r = await relay({ host: real.hostname, port: Number(real.port) });
  const store = await Store.open({ ...loadConfig(), NEO4J_URI: `bolt://127.0.0.1:${r.port}` });
  await resetGraph(store);
  await importPlanDir(store, MINI);
  s = await startStack({ plan: MINI, store, poller: { bufferWindowMs: WINDOW } });
  s.poller.onCycle((c) => cycles.push(c));
});
afterAll(async () => {
  await r.up().catch(() => {});
  await resetGraph(s.store);
  await s?.close();
  await r.close();
});

const timed = async <T>(f: () => Promise<T>) => {
  const t = performance.now();
  const v = await f();
  return { v, ms: performance.now() - t };
};

describe('Neo4j goes away and comes back while the poller runs', () => {
  it('the API answers 503 within 2 s while it is away, the poller holds its cycles, and after it is back nothing within the window is lost', async () => {
    for (let i = 0; i < 3; i++) {
      if (i > 0) s.clock.advance(MINUTE);
      expect((await s.poller.pollOnce()).storeError).toBeUndefined();
    }
    expect((await getJson(`${s.base}/api/sites`)).status).toBe(200);

    await r.down();
    // Accounts and tokens resolved less than a second ago are trusted from memory (auth/principal-cache.ts checks
    // the auth epoch at most once a second), so read models may answer from memory for up to that second.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    for (const url of ['/api/topology', '/api/health', '/metrics']) {
      const { v, ms } = await timed(() => fetch(`${s.base}${url}`, { headers: stackAuthHeaders() }).then((x) => x.status));
      expect({ url, status: v }).toEqual({ url, status: 503 });
      expect(ms, `${url} answered in ${ms.toFixed(0)} ms`).toBeLessThan(2000);
    }
    const sites = await timed(() => getJson(`${s.base}/api/sites`));
    expect(sites.v.status).toBe(503);
    expect(sites.v.body.error.code).toBe('STORE_UNAVAILABLE');
    expect(sites.ms).toBeLessThan(2000);

    // Seven minutes away, the window is five: the poller polls on, holds six cycles, drops the oldest.
    for (let i = 0; i < 7; i++) {
      s.clock.advance(MINUTE);
      const c = await s.poller.pollOnce();
      expect(c.storeError).toBeDefined();
      expect(c.devices.every((d) => d.status === 'ok')).toBe(true);
    }
    expect(s.poller.backlog()).toMatchObject({ cycles: 6, droppedCycles: 1 });
    const droppedAt = T0 + 3 * MINUTE;
    expect(s.poller.backlog().oldestAt).toBe(droppedAt + MINUTE);

    await r.up();
    const back = await timed(() => getJson(`${s.base}/api/sites`));
    expect(back.v.status, 'the first request after Neo4j is back goes through').toBe(200);
    s.clock.advance(MINUTE);
    expect((await s.poller.pollOnce()).storeError).toBeUndefined();
    expect(s.poller.backlog()).toMatchObject({ cycles: 0, droppedCycles: 1 });
    const metrics = await (await fetch(`${s.base}/metrics`, { headers: stackAuthHeaders() })).text();
    expect(metrics).toMatch(/^extranet_poller_dropped_cycles_total 1$/m);
    expect(metrics).toMatch(/^extranet_poller_buffered_cycles 0$/m);

    // What was polled, link by link: the rate its a-end read in each cycle (the first poll gives none),
    // but for the cycle that fell out of the window — and what the history holds.
    const plan = await loadPlanOrThrow(MINI);
    // Links whose traffic is sampled (built, with a managed a-end), as the cycles stored live reported them.
    const sampled = new Set(cycles.flatMap((c) => c.links.filter((l) => l.inBps != null).map((l) => l.id)));
    let compared = 0;
    for (const link of plan.links.filter((l) => sampled.has(l.id))) {
      const key = `${link.a.device}|${link.a.interface}`;
      const polled = cycles
        .filter((c) => c.startedAt !== droppedAt)
        .flatMap((c) => c.devices.flatMap((d) => d.interfaces.filter((i) => i.key === key && i.inBps !== undefined)))
        // The history keeps whole bits per second (integer arrays, history-store.ts appendSamples).
        .map((i) => [Math.round(i.inBps!), Math.round(i.outBps!)]);
      if (polled.length === 0) continue;
      const stored = await s.store.read((tx) => readSamples(tx, link.id, T0 - MINUTE, T0 + 60 * MINUTE));
      expect(
        stored.map((x) => [x.inBps, x.outBps]),
        link.id,
      ).toEqual(polled);
      expect(stored.map((x) => x.at)).toEqual([...stored.map((x) => x.at)].sort((a, b) => a - b));
      compared++;
    }
    expect(compared).toBe(sampled.size);
    expect(compared).toBeGreaterThan(3);
  });

  it('a server not up yet at start is waited for, with a message that says so', async () => {
    await r.down();
    const lines: string[] = [];
    const opening = Store.open({ ...loadConfig(), NEO4J_URI: `bolt://127.0.0.1:${r.port}` }, (l) => lines.push(l), { waitSeconds: 60 });
    await new Promise((x) => setTimeout(x, 2500));
    await r.up();
    const store = await opening;
    await store.close();
    expect(lines[0]).toMatch(/^neo4j: waiting for Neo4j at bolt:\/\/127\.0\.0\.1:\d+ — not reachable yet .*NEO4J_WAIT_SECONDS/);
    expect(lines.at(-1)).toMatch(/is up after \d+ s/);
    // Without waiting (a CLI command), the same is an error at once.
    await r.down();
    const t = performance.now();
    await expect(Store.open({ ...loadConfig(), NEO4J_URI: `bolt://127.0.0.1:${r.port}` })).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
    });
    expect(performance.now() - t).toBeLessThan(2000);
    await r.up();
  });
});
