import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevicePollRecord } from '../../backend/src/monitor/types';
import { createPoller } from '../../backend/src/poller/poller';
import { MINI, startStack, type Stack } from './fixture';

/**
 * One router stops answering (a bound loopback port that never replies: a true
 * timeout, not an ICMP refusal); the others must still be polled on their own
 * phase, every interval, on real timers — with ONE poll slot, so a dead poll
 * that held its slot would show as lateness of everyone else.
 */
let s: Stack;
let silent: dgram.Socket;
beforeAll(async () => {
  s = await startStack({ plan: MINI });
  silent = dgram.createSocket('udp4');
  silent.on('message', () => undefined); // read and drop
  await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  silent?.close();
  await s?.close();
});

const INTERVAL = 2000;
const TIMEOUT = 400;

describe('a dead router', () => {
  it('delays no one: the others are polled on time, the dead one is backed off and probed with one packet', async () => {
    const hosts = [...s.lab.targets.keys()].sort();
    const dead = hosts[1]!;
    const targets = new Map(s.lab.targets);
    targets.set(dead, { host: '127.0.0.1', port: silent.address().port });
    const p = createPoller({
      store: s.store,
      targets,
      profiles: s.lab.profiles,
      intervalMs: INTERVAL,
      timeoutMs: TIMEOUT,
      retries: 1,
      concurrency: 1,
      batchWindowMs: 100,
    });
    const records: DevicePollRecord[] = [];
    p.onCycle((c) => records.push(...c.devices));
    const t0 = Date.now();
    p.start();
    await new Promise((r) => setTimeout(r, 9000));
    await p.stop();

    const of = (h: string) => records.filter((r) => r.hostname === h).sort((a, b) => a.startedAt! - b.startedAt!);
    const live = hosts.filter((h) => h !== dead);
    // The first interval is warm-up (the first plan read, v3 engine discovery): measured from the second on.
    const warm = Math.min(...records.map((r) => r.startedAt!)) + INTERVAL;
    const lateness = live.flatMap((h) =>
      of(h)
        .filter((r) => r.dueAt! >= warm)
        .map((r) => r.startedAt! - r.dueAt!),
    );
    const summary = {
      dead: of(dead).map((r) => ({ start: r.startedAt! - t0, ms: Math.round(r.durationMs), requests: r.requests, status: r.status })),
      lateMaxMs: Math.max(...lateness),
      polls: live.map((h) => of(h).length),
    };
    console.log('dead-router', JSON.stringify(summary));
    // Every live device was polled every interval, all answering.
    for (const h of live) {
      expect(of(h).length, h).toBeGreaterThanOrEqual(3);
      expect(of(h).every((r) => r.status === 'ok')).toBe(true);
    }
    // Started on time. The polls due while the dead one's first poll ran (4 attempts of 400 ms) are the ones a
    // blocking scheduler would start only after it: here they wait at most for its slot, given back after one timeout.
    const firstDead = of(dead)[0]!;
    const during = live.flatMap((h) =>
      of(h).filter((r) => r.dueAt! >= firstDead.startedAt! && r.dueAt! < firstDead.startedAt! + firstDead.durationMs),
    );
    console.log('due during the dead poll', JSON.stringify(during.map((r) => [r.hostname, r.startedAt! - r.dueAt!])));
    expect(during.length).toBeGreaterThanOrEqual(2);
    for (const r of during) expect(r.startedAt! - r.dueAt!, r.hostname).toBeLessThan(TIMEOUT + 250);
    const sorted = [...lateness].sort((x, y) => x - y);
    expect(sorted[Math.floor(sorted.length / 2)]!).toBeLessThan(100); // the median poll starts on time
    // The dead one: first a full failure, then back-off (gaps of 2, then 4 intervals), each retry one probe packet.
    const attempts = of(dead);
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(attempts.length).toBeLessThanOrEqual(3);
    expect(attempts.every((r) => r.status === 'timeout')).toBe(true);
    for (const retry of attempts.slice(1)) {
      expect(retry.requests).toBe(1);
      expect(retry.durationMs).toBeLessThan(TIMEOUT * 1.5);
    }
    if (attempts.length === 3) expect(attempts[2]!.dueAt! - attempts[1]!.dueAt!).toBeGreaterThan(attempts[1]!.dueAt! - attempts[0]!.dueAt!);
  });
});
