import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LinksEvent } from '@extranet/topology';
import { attachLive, type Live } from '../../backend/src/live/live';
import type { Store } from '../../backend/src/neo4j/store';
import { importPlanDir } from '../../backend/src/plan/service';
import { startLabMode, type LabMode } from '../../backend/src/poller/lab-mode';
import { createPoller, type Poller } from '../../backend/src/poller/poller';
import { testAuth } from '../helpers/auth';
import { openTestStore, resetGraph } from '../helpers/store';
import { MINI, manualClock } from './fixture';

/**
 * Two servers on one Neo4j, as `serve --shard 0/2` and `serve --shard 1/2` run them: each polls its
 * half of the lab, and a browser connected to either gets every cycle's links — its own server's
 * as the cycle ends, the other's read from the store when the shared cycle number moves on.
 */
interface Server {
  poller: Poller;
  live: Live;
  http: http.Server;
  base: string;
}

let store: Store;
let lab: LabMode;
let token: string;
const servers: Server[] = [];
const sockets: Socket[] = [];
const clock = manualClock();

beforeAll(async () => {
  store = await openTestStore();
  await resetGraph(store);
  await importPlanDir(store, MINI);
  lab = await startLabMode(store, { basePort: 0, shortfalls: [], env: {}, clock: clock.now });
  const auth = await testAuth(store);
  token = auth.tokens.viewer;
  for (const index of [0, 1]) {
    const poller = createPoller({
      store,
      targets: lab.targets,
      profiles: lab.profiles,
      clock: clock.now,
      shard: { index, count: 2 },
      timeoutMs: 1000,
      retries: 1,
    });
    const server = http.createServer();
    const live = attachLive(server, { store, trust: auth.trust, poller, othersEveryMs: 200 });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    servers.push({ poller, live, http: server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  }
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  for (const s of servers) {
    await s.poller.stop();
    await s.live.close();
    s.http.closeAllConnections();
    await new Promise<void>((r) => s.http.close(() => r()));
  }
  await lab?.stop();
  if (store) {
    await resetGraph(store);
    await store.close();
  }
});

/** A browser on `server`, subscribed to `room`, recording the links it is pushed (latest state per link). */
async function browser(server: Server, room: string): Promise<{ events: LinksEvent[]; latest: Map<string, LinksEvent['links'][number]> }> {
  const socket = connect(server.base, { transports: ['websocket'], forceNew: true, auth: { token } });
  sockets.push(socket);
  const rec = { events: [] as LinksEvent[], latest: new Map<string, LinksEvent['links'][number]>() };
  socket.on('links', (e: LinksEvent) => {
    rec.events.push(e);
    for (const l of e.links) rec.latest.set(l.id, l);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const ack = (await socket.timeout(5000).emitWithAck('subscribe', room)) as { ok: boolean };
  expect(ack.ok).toBe(true);
  return rec;
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (const started = Date.now(); !check();) {
    if (Date.now() - started > 8000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('live pushes across shards', () => {
  it("pushes the other shard's cycles to a browser on either server, in the same shape", async () => {
    const [a, b] = servers as [Server, Server];
    const onA = await browser(a, 'all');
    const onB = await browser(b, 'all');

    // Server B's poller polls its half; the browser on A gets those links although A polled nothing.
    const cycleB = await b.poller.pollOnce();
    expect(cycleB.devices.length).toBeGreaterThan(0);
    expect(cycleB.links.length).toBeGreaterThan(0);
    expect(cycleB.seq).toBeGreaterThan(0);
    await until(() => cycleB.links.every((l) => onA.latest.has(l.id)), "B's links on A");
    for (const l of cycleB.links) {
      const got = onA.latest.get(l.id)!;
      expect({ state: got.state, meetsTarget: got.meetsTarget, county: got.county, reason: got.reason }).toEqual({
        state: l.state,
        meetsTarget: l.meetsTarget,
        county: l.county,
        reason: l.reason,
      });
      expect(got.polledAt).toBe(l.polledAt === null ? null : new Date(l.polledAt).toISOString());
    }
    // …and the browser on B got them from B's own cycle.
    await until(() => cycleB.links.every((l) => onB.latest.has(l.id)), "B's links on B");

    // The other way round, a minute later: A polls its half, B's browser gets A's links.
    clock.advance(60_000);
    const seenOnB = onB.events.length;
    const cycleA = await a.poller.pollOnce();
    expect(cycleA.devices.filter((d) => cycleB.devices.some((x) => x.hostname === d.hostname))).toEqual([]);
    await until(
      () => cycleA.links.every((l) => onB.events.slice(seenOnB).some((e) => e.links.some((x) => x.id === l.id))),
      "A's links on B",
    );
    expect(onB.events.slice(seenOnB).every((e) => e.room === 'all')).toBe(true);
  });

  it("sends a county room only its own links from the other shard's cycle", async () => {
    const [a, b] = servers as [Server, Server];
    const rooms = ['441302', '441303'];
    const browsers = await Promise.all(rooms.map((room) => browser(a, room)));
    clock.advance(60_000);
    const before = browsers.map((x) => x.events.length);
    const cycleB = await b.poller.pollOnce();
    const touched = rooms.filter((room) => cycleB.links.some((l) => l.county === room));
    expect(touched.length).toBeGreaterThan(0);
    for (const [i, room] of rooms.entries()) {
      const mine = cycleB.links.filter((l) => l.county === room);
      if (mine.length === 0) continue;
      const rec = browsers[i]!;
      await until(() => mine.every((l) => rec.events.slice(before[i]).some((e) => e.links.some((x) => x.id === l.id))), `${room} links`);
      const pushed = rec.events.slice(before[i]);
      expect(pushed.every((e) => e.room === room && e.links.every((l) => l.county === room))).toBe(true);
    }
  });
});
