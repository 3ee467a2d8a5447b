import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Store } from '../neo4j/store';
import { resolvePollerSettings } from './poller-settings';

const base = { store: {} as Store, targets: new Map(), profiles: new Map(), log: pino({ level: 'silent' }) };

describe('resolvePollerSettings', () => {
  it('applies the defaults: 60 s, stale after 3 intervals, all devices, 16 at once, maintenance in shard 0', () => {
    const s = resolvePollerSettings(base);
    expect(s).toMatchObject({
      clock: Date.now,
      intervalMs: 60_000,
      maxAgeMs: 180_000,
      shard: { index: 0, count: 1 },
      concurrency: 16,
      batchWindowMs: 1000,
      maxBackoffMs: 900_000,
      history: { retentionDays: 35, rollupRetentionDays: 400, utcOffsetMinutes: 480 },
      maintenance: true,
      session: { timeoutMs: 2000, retries: 1 },
    });
    expect(s.session).not.toHaveProperty('maxRepetitions');
    expect(s.intervalFor('any')).toBe(60_000);
  });

  it('derives the staleness limit and per-device interval from the given interval', () => {
    const s = resolvePollerSettings({ ...base, intervalMs: 30_000 });
    expect(s.maxAgeMs).toBe(90_000);
    expect(s.intervalFor('any')).toBe(30_000);
  });

  it('runs the maintenance only in shard 0 unless told, and keeps it out of the retention options', () => {
    expect(resolvePollerSettings({ ...base, shard: { index: 1, count: 2 } }).maintenance).toBe(false);
    const s = resolvePollerSettings({ ...base, shard: { index: 1, count: 2 }, history: { maintenance: true, retentionDays: 7 } });
    expect(s.maintenance).toBe(true);
    expect(s.history).toEqual({ retentionDays: 7, rollupRetentionDays: 400, utcOffsetMinutes: 480 });
  });

  it('uses the injected clock and resolves a target map by hostname', () => {
    const clock = () => 42;
    const target = { host: '127.0.0.1', port: 16100 };
    const s = resolvePollerSettings({ ...base, clock, targets: new Map([['hz-core', target]]) });
    expect(s.clock).toBe(clock);
    expect(s.resolve({ hostname: 'hz-core', site: 'HZ', role: 'core', interfaces: [] })).toEqual(target);
  });
});
