import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINI, MINUTE, startStack, type Stack, stackToken } from './fixture';

/**
 * socket.io live updates against the real server: a client subscribed to a
 * county-level unit gets ONE batched `links` event per cycle with that unit's
 * links; `all` gets every link; `coverage` comes when coverage changes.
 */
let s: Stack;
const clients: Socket[] = [];

beforeAll(async () => {
  s = await startStack({ plan: MINI, live: true });
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await s?.close();
});

interface Recorder {
  socket: Socket;
  links: Array<{
    room: string;
    at: string;
    links: Array<{ id: string; county: string | null; inBps: number | null; meetsTarget: boolean }>;
  }>;
  coverage: Array<{ tiers: { county: { meetingTarget: number } } }>;
}

async function client(subscription: unknown): Promise<{ rec: Recorder; ack: any }> {
  const socket = connect(s.base, { transports: ['websocket'], forceNew: true, auth: { token: stackToken() } });
  clients.push(socket);
  const rec: Recorder = { socket, links: [], coverage: [] };
  socket.on('links', (m) => rec.links.push(m));
  socket.on('coverage', (m) => rec.coverage.push(m));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const ack = await socket.timeout(5000).emitWithAck('subscribe', subscription);
  return { rec, ack };
}

/** Waits until `check` holds or fails after 5 s (events arrive asynchronously after the cycle). */
async function until(check: () => boolean): Promise<void> {
  for (const started = Date.now(); !check();) {
    if (Date.now() - started > 5000) throw new Error('timed out waiting for a live event');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('live updates', () => {
  let county: Recorder;
  let all: Recorder;
  let other: Recorder;

  it('accepts subscriptions to a county-level unit or all, and refuses anything else', async () => {
    const a = await client('441302');
    const b = await client('all');
    const c = await client('441303');
    expect([a.ack, b.ack, c.ack]).toEqual([
      { ok: true, room: '441302' },
      { ok: true, room: 'all' },
      { ok: true, room: '441303' },
    ]);
    [county, all, other] = [a.rec, b.rec, c.rec];
    expect((await client('441302001')).ack).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } }); // a township
    expect((await client({ room: 1 })).ack).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('pushes ONE batched links event per room after a cycle, with the links of that subtree', async () => {
    await s.poller.pollOnce();
    s.clock.advance(MINUTE);
    await s.poller.pollOnce();
    await until(() => county.links.length >= 2 && all.links.length >= 2 && other.links.length >= 2);
    await new Promise((r) => setTimeout(r, 100)); // nothing more should come
    expect(county.links).toHaveLength(2);
    const last = county.links[1]!;
    expect(last.room).toBe('441302');
    expect(last.links.map((l) => l.id).sort()).toEqual(
      ['B-4413-441302', 'B-441302-441302001', 'L-441302-441302001', 'L-441302-441302002', 'L-4413-441302'].sort(),
    );
    expect(last.links.every((l) => l.county === '441302')).toBe(true);
    expect(last.links.find((l) => l.id === 'L-4413-441302')!.inBps).toBeGreaterThan(0);
    expect(all.links[1]!.links.map((l) => l.id)).toContain('X-4413-INET');
    expect(all.links[1]!.links).toHaveLength(8);
    expect(other.links[1]!.links.map((l) => l.id).sort()).toEqual(['L-4413-441303', 'L-441303-441303101']);
  });

  it('pushes coverage on the first cycle and when it changes, not otherwise', async () => {
    await until(() => county.coverage.length >= 1);
    const before = county.coverage.length;
    expect(county.coverage[0]!.tiers.county.meetingTarget).toBe(2);

    s.clock.advance(MINUTE);
    await s.poller.pollOnce(); // nothing changed
    await until(() => county.links.length >= 3);
    await new Promise((r) => setTimeout(r, 200));
    expect(county.coverage).toHaveLength(before);

    s.lab.setFault('hz-441302-agg-01', 'GigabitEthernet0/0/0', 'speed-drop', true);
    s.clock.advance(MINUTE);
    await s.poller.pollOnce();
    await until(() => county.coverage.length > before && all.coverage.length > 1);
    expect(county.coverage.at(-1)!.tiers.county.meetingTarget).toBe(1);
    s.lab.setFault('hz-441302-agg-01', 'GigabitEthernet0/0/0', 'speed-drop', false);
  });

  it('sends the latest coverage to a new subscriber at once', async () => {
    const late = await client('all');
    await until(() => late.rec.coverage.length === 1);
    expect(late.rec.coverage[0]!.tiers.county.meetingTarget).toBe(1);
  });

  it('sends a new subscriber the latest state of the links of its room at once, without waiting for a poll', async () => {
    const late = await client('441302');
    await until(() => late.rec.links.length === 1);
    const first = late.rec.links[0]!;
    expect(first.room).toBe('441302');
    expect(first.links.length).toBeGreaterThan(0);
    expect(first.links.every((l) => l.county === '441302')).toBe(true);
  });
});
