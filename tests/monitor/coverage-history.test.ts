import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coverageSnapshot, type CoverageSnapshot } from '@extranet/topology';
import { startCoverageSnapshots, takeSnapshotIfDue } from '../../backend/src/coverage-history/service';
import { writeSnapshot } from '../../backend/src/coverage-history/store';
import { getJson, MINI, startStack, T0, type Stack } from './fixture';

/**
 * Honest coverage and coverage over time, against the real Neo4j and the lab's agents:
 * a fresh start (no cycle has ended) is "no data", never "below target"; the daily
 * snapshot waits for readings, is taken once per day, read back equal to what
 * `/api/coverage` said, and pruned beyond the retention.
 */
let s: Stack;
const DAY_MS = 86_400_000;
const history = (q = '') => getJson(`${s.base}/api/coverage/history${q}`);

beforeAll(async () => {
  s = await startStack({ plan: MINI });
});
afterAll(async () => {
  await s?.close();
});

describe('honest coverage at a fresh start', () => {
  it('before the first cycle ends no site is below target; the headline counts the sites without data', async () => {
    const { status, body } = await getJson(`${s.base}/api/coverage`);
    expect(status).toBe(200);
    for (const tier of ['city', 'county', 'township'] as const) {
      expect(body.tiers[tier].gaps.belowTarget).toEqual([]);
      expect(body.tiers[tier].noData).toBe(body.tiers[tier].gaps.noData.length);
    }
    expect(body.overall.noData).toBeGreaterThan(0);
    expect(body.overall.noData).toBe(body.gaps.filter((g: { gaps: string[] }) => g.gaps.includes('no-data')).length);
    expect(body.gaps.some((g: { gaps: string[] }) => g.gaps.includes('below-target'))).toBe(false);
    expect(body.counties.every((c: { meetsTarget: boolean; noData: boolean }) => c.meetsTarget || c.noData)).toBe(true);
  });

  it('takes no snapshot while nothing has been read (it would say nothing about the network)', async () => {
    const r = await takeSnapshotIfDue(s.store, { clock: s.clock.now, maxAgeMs: s.poller.maxAgeMs, retentionDays: 400 });
    expect(r.taken).toBeNull();
    expect((await history()).body.days).toEqual([]);
  });
});

describe('coverage over time', () => {
  let first: CoverageSnapshot;

  it('after the first cycle of the day: readings, and one snapshot equal to /api/coverage', async () => {
    const snaps = startCoverageSnapshots(s.store, s.poller, { retentionDays: 400 });
    await s.poller.pollOnce();
    await snaps.takeIfDue(); // after the cycle listener's own run
    snaps.stop();
    const cov = (await getJson(`${s.base}/api/coverage`)).body;
    expect(cov.overall.noData).toBe(0);
    const { status, body } = await history();
    expect(status).toBe(200);
    expect(body).toMatchObject({ from: '2024-01-29', to: '2025-03-04', retentionDays: 400 });
    expect(body.days).toHaveLength(1);
    first = body.days[0];
    expect(first).toEqual(coverageSnapshot(cov, '2025-03-04', cov.at));
    expect(first.counties.map((c) => c.code)).toEqual(cov.counties.map((c: { code: string }) => c.code));
  });

  it('is idempotent per day: another cycle the same day changes nothing', async () => {
    s.clock.advance(3_600_000);
    await s.poller.pollOnce();
    const r = await takeSnapshotIfDue(s.store, { clock: s.clock.now, maxAgeMs: s.poller.maxAgeMs, retentionDays: 400 });
    expect(r.taken).toBeNull();
    expect((await history()).body.days).toEqual([first]);
  });

  it('takes the next day at its first cycle, and prunes days beyond the retention', async () => {
    const old = (day: string): CoverageSnapshot => ({ ...first, day, at: `${day}T02:00:00.000Z` });
    await s.store.write(async (tx) => {
      await writeSnapshot(tx, old('2024-01-01')); // 429 days before 2025-03-05: pruned
      await writeSnapshot(tx, old('2024-02-15')); // 384 days before: kept
    });
    s.clock.set(T0 + DAY_MS);
    await s.poller.pollOnce();
    const r = await takeSnapshotIfDue(s.store, { clock: s.clock.now, maxAgeMs: s.poller.maxAgeMs, retentionDays: 400 });
    expect(r).toEqual({ taken: '2025-03-05', pruned: 1 });
    const { body } = await history('?from=2024-01-01');
    expect(body.days.map((d: CoverageSnapshot) => d.day)).toEqual(['2024-02-15', '2025-03-04', '2025-03-05']);
    expect((await history('?from=2025-03-05&to=2025-03-05')).body.days).toHaveLength(1);
  });

  it.each([
    ['a day not on the calendar', '?from=2025-02-30', 'from'],
    ['not a day', '?to=yesterday', 'to'],
    ['from after to', '?from=2025-03-05&to=2025-03-04', 'from'],
    ['an unknown parameter', '?county=441302', undefined],
  ])('answers %s with 400 BAD_REQUEST', async (_, q, field) => {
    const { status, body } = await history(q);
    expect(status).toBe(400);
    expect(body.error.code).toBe('BAD_REQUEST');
    if (field) expect(body.error.field).toBe(field);
  });

  it('needs the read role', async () => {
    expect((await fetch(`${s.base}/api/coverage/history`)).status).toBe(401);
  });
});
