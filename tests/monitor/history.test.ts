import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore } from '../helpers/store';
import { createPoller } from '../../backend/src/poller/poller';
import { decodeKeptCounters } from '../../backend/src/monitor/kept-counters';
import { encodeRowTimes } from '../../backend/src/monitor/row-times';
import { getJson, MINI, MINUTE, nodeProps, startStack, T0, type Stack } from './fixture';

/**
 * The utilization history lives in Neo4j: it survives a restart of the
 * manager (store closed and reopened, new poller), is rolled up per day when
 * the day is over, and old raw samples are pruned while the daily figures stay.
 */
let s: Stack;
const LINK = 'L-4413-441302';
const DAY_MS = 86_400_000;
/** 2025-03-04 in Huizhou (UTC+8). */
const DAY = { from: '2025-03-04T00:00:00+08:00', to: '2025-03-05T00:00:00+08:00' };
const utilization = (q: { from: string; to: string }) =>
  getJson(`${s.base}/api/links/${LINK}/utilization?from=${encodeURIComponent(q.from)}&to=${encodeURIComponent(q.to)}`);

beforeAll(async () => {
  s = await startStack({ plan: MINI });
});
afterAll(async () => {
  await s?.close();
});

describe('history', () => {
  let before: Array<{ at: string; inBps: number }>;
  let rolledP95: number;

  it('survives a restart: store closed and reopened, a new poller, the same samples read back', async () => {
    await s.poller.pollOnce();
    for (let k = 0; k < 3; k++) {
      s.clock.advance(MINUTE);
      await s.poller.pollOnce();
    }
    before = (await utilization(DAY)).body.samples;
    expect(before).toHaveLength(3);

    const { clock, lab } = s;
    await s.close({ stopLab: false }); // the manager goes down; the routers do not
    const store = await openTestStore();
    s = await startStack({ plan: MINI, store, runningLab: lab, clock });
    const { status, body } = await utilization(DAY);
    expect(status).toBe(200);
    expect(body.samples).toEqual(before);
    expect(body.daily[0]).toMatchObject({ day: '2025-03-04', samples: 3, source: 'samples' });
  });

  it('after the restart, the first poll already yields a rate (the counters were kept in Neo4j)', async () => {
    s.clock.advance(MINUTE);
    const c = await s.poller.pollOnce();
    const l = c.links.find((x) => x.id === LINK)!;
    expect(l.inBps!).toBeGreaterThan(0);
    expect(l.inBps!).toBeLessThan(1e9);
    expect((await utilization(DAY)).body.samples).toHaveLength(4);
  });

  it('restarts with rates from a store whose counters are in the separate properties of the format before, and replaces them', async () => {
    // What an earlier version kept: twelve ctr* properties per interface instead of the one `ctr`.
    const rows = (await s.store.read(async (tx) =>
      (await tx.run('MATCH (i:Interface) WHERE i.ctr IS NOT NULL RETURN i.key AS key, i.ctr AS ctr')).records.map((r) => r.toObject()),
    )) as Array<{ key: string; ctr: string }>;
    expect(rows.length).toBeGreaterThan(10);
    const old = rows.map(({ key, ctr }) => {
      const c = decodeKeptCounters(ctr)!;
      return {
        key,
        props: {
          ctrAt: c.at,
          ctrIfIndex: c.ifIndex,
          ctrUptimeCs: c.uptimeCs.toString(),
          ctrTimes: encodeRowTimes(c.times, c),
          ctrDiscontinuityCs: c.discontinuityCs.toString(),
          ctrIn: c.inOctets.toString(),
          ctrOut: c.outOctets.toString(),
          ctrWidth: c.width,
          ctrSpeedMbps: c.speedMbps,
          ctrInErrors: c.inErrors?.toString() ?? null,
          ctrOutErrors: c.outErrors?.toString() ?? null,
          ctrInDiscards: c.inDiscards?.toString() ?? null,
        },
      };
    });
    await s.store.write((tx) => tx.run('UNWIND $old AS x MATCH (i:Interface {key: x.key}) SET i += x.props REMOVE i.ctr', { old }));
    const { clock, lab } = s;
    await s.close({ stopLab: false, closeStore: false });
    s = await startStack({ plan: MINI, store: s.store, runningLab: lab, clock });

    s.clock.advance(MINUTE);
    const c = await s.poller.pollOnce();
    const l = c.links.find((x) => x.id === LINK)!;
    expect(l.inBps!).toBeGreaterThan(0);
    expect(l.inBps!).toBeLessThan(1e9);
    expect((await utilization(DAY)).body.samples).toHaveLength(5);
    const left = await nodeProps(s.store, 'MATCH (i:Interface) WHERE i.ctrAt IS NOT NULL OR i.ctrIn IS NOT NULL RETURN count(i)', {});
    expect(left).toBe(0);
    const packed = await nodeProps(s.store, 'MATCH (i:Interface) WHERE i.ctr IS NOT NULL RETURN count(i)', {});
    expect(packed).toBe(rows.length);
  });

  it('rolls the finished day up at the first cycle of the next day: max, avg, p95 per direction', async () => {
    const samples: Array<{ inBps: number; outBps: number }> = (await utilization(DAY)).body.samples;
    s.clock.set(Date.parse('2025-03-05T00:30:00+08:00'));
    const c = await s.poller.pollOnce(); // maintenance runs once per day, after the cycle
    expect(c.devices.every((d) => d.status === 'ok')).toBe(true);
    const day = await nodeProps(s.store, "MATCH (:Link {id: $id})-[:HAS_DAY]->(d:UtilDay {day: '2025-03-04'}) RETURN d {.*}", { id: LINK });
    const ins = samples.map((x) => x.inBps);
    expect(day).toMatchObject({ samples: 5, inMax: Math.max(...ins), inP95: Math.max(...ins) }); // 5 samples: rank ⌈4.75⌉ = 5
    expect(day.inAvg).toBeCloseTo(ins.reduce((a, b) => a + b) / 5, 3);
    expect(day.outMax).toBe(Math.max(...samples.map((x) => x.outBps)));
    rolledP95 = day.inP95;
    const rolled = await nodeProps(s.store, "MATCH (b:UtilBucket {day: '2025-03-04'}) WHERE b.rolled IS NULL RETURN count(b)", {});
    expect(rolled).toBe(0);
  });

  it('prunes raw samples after the retention, keeps the daily figures', async () => {
    s.clock.set(T0 + 40 * DAY_MS);
    const r = await s.poller.maintain();
    expect(r.bucketsDeleted).toBeGreaterThan(0);
    const { status, body } = await utilization(DAY);
    expect(status).toBe(200);
    expect(body.samples).toEqual([]);
    expect(body.daily).toEqual([expect.objectContaining({ day: '2025-03-04', samples: 5, source: 'rollup' })]);
    expect(body.daily[0].in).toMatchObject({ p95: rolledP95, max: rolledP95 });
  });

  it('drops daily figures after their own retention', async () => {
    const p = createPoller({
      store: s.store,
      targets: s.lab.targets,
      profiles: s.lab.profiles,
      clock: s.clock.now,
      history: { rollupRetentionDays: 30 },
    });
    const r = await p.maintain();
    expect(r.daysDeleted).toBeGreaterThan(0);
    expect((await utilization(DAY)).body.daily).toEqual([]);
    await p.stop();
  });
});
