import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertRecord } from '@extranet/topology';
import { readActiveAlerts, writeAck, writeEvaluation } from '../../backend/src/alerts/store';
import type { Store } from '../../backend/src/neo4j/store';
import { openTestStore, resetGraph } from '../helpers/store';

/**
 * How an evaluation's active alerts are stored (backend/src/alerts/store.ts), against the real test
 * Neo4j: a record is written only where it changed, and an alert whose measured value alone changed
 * (a busy link's utilization, at every reading) has its value updated without its record.
 */
const alert = (key: string, over: Partial<AlertRecord> = {}): AlertRecord => ({
  key,
  rule: key.split('|')[0]!,
  kind: 'link-utilization',
  severity: 'warning',
  subject: { kind: 'link', id: key.split(':')[1]! },
  state: 'pending',
  since: 1_000,
  updatedAt: 0,
  cutOff: [],
  degraded: [],
  suppressedBy: [],
  flapping: false,
  labels: { alertname: key.split('|')[0]!, link: key.split(':')[1]! },
  ...over,
});

const BUSY = 'link-utilization|link:L-1';
const DOWN = 'link-down|link:L-2';

describe('alert store: records and values (real Neo4j)', () => {
  let store: Store;
  const write = (at: number, active: AlertRecord[]) =>
    store.write((tx) => writeEvaluation(tx, { at, active, flaps: new Map(), cutOff: [], events: [] }));
  const read = async () => new Map((await store.read((tx) => readActiveAlerts(tx))).alerts.map((a) => [a.key, a]));

  beforeAll(async () => {
    store = await openTestStore();
    await resetGraph(store);
  });
  afterAll(async () => {
    await resetGraph(store);
    await store.close();
  });

  it('new alerts are written whole; the same again writes nothing', async () => {
    const first = [alert(BUSY, { value: 91.5 }), alert(DOWN, { kind: 'link-down', severity: 'critical' })];
    expect(await write(10_000, first)).toEqual({ records: 2, values: 0 });
    expect(await write(20_000, first)).toEqual({ records: 0, values: 0 });
    const stored = await read();
    expect(stored.get(BUSY)).toEqual({ ...first[0], updatedAt: 20_000 });
    expect(stored.get(DOWN)).toEqual({ ...first[1], updatedAt: 20_000 });
    expect(stored.get(DOWN)).not.toHaveProperty('value');
  });

  it('a changed value alone updates the value, not the record; a changed state writes the record', async () => {
    expect(await write(30_000, [alert(BUSY, { value: 97.25 }), alert(DOWN, { kind: 'link-down', severity: 'critical' })])).toEqual({
      records: 0,
      values: 1,
    });
    expect((await read()).get(BUSY)).toMatchObject({ value: 97.25, updatedAt: 30_000, state: 'pending' });
    const fired = alert(BUSY, { value: 97.25, state: 'firing', firedAt: 40_000 });
    expect(await write(40_000, [fired, alert(DOWN, { kind: 'link-down', severity: 'critical' })])).toEqual({ records: 1, values: 0 });
    expect((await read()).get(BUSY)).toEqual({ ...fired, updatedAt: 40_000 });
    // A value that goes away is removed (the link's reading stopped: the alert keeps its state without one).
    const { value: _gone, ...noValue } = fired;
    expect(await write(50_000, [noValue, alert(DOWN, { kind: 'link-down', severity: 'critical' })])).toEqual({ records: 0, values: 1 });
    expect((await read()).get(BUSY)).not.toHaveProperty('value');
  });

  it('an acknowledgement comes back with the value; alerts no longer active are removed', async () => {
    await write(60_000, [alert(BUSY, { value: 88 }), alert(DOWN, { kind: 'link-down', severity: 'critical' })]);
    const acked = await store.write((tx) => writeAck(tx, BUSY, { by: 'ops', at: 61_000, note: '扩容中' }));
    expect(acked).toMatchObject({ value: 88, updatedAt: 60_000, ack: { by: 'ops', note: '扩容中' } });
    expect(await write(70_000, [alert(BUSY, { value: 89 })])).toEqual({ records: 0, values: 1 });
    const stored = await read();
    expect([...stored.keys()]).toEqual([BUSY]);
    expect(stored.get(BUSY)).toMatchObject({ value: 89, ack: { by: 'ops', at: 61_000, note: '扩容中' } });
  });

  it('given the alerts as stored before, sends only those that differ from them', async () => {
    const stored = alert(BUSY, { value: 90 });
    await write(100_000, [stored]);
    const changed = alert(DOWN, { kind: 'link-down', severity: 'critical' });
    const next = [alert(BUSY, { value: 90 }), changed];
    const written = await store.write((tx) =>
      writeEvaluation(tx, { at: 110_000, active: next, previous: new Map([[BUSY, stored]]), flaps: new Map(), cutOff: [], events: [] }),
    );
    expect(written).toEqual({ records: 1, values: 0 }); // the new one; the unchanged one was not sent
    expect([...(await read()).keys()].sort()).toEqual([DOWN, BUSY]);
    // What it does not send is what it was told is stored: a previous set that is not the stored one
    // (here it claims 95) leaves the store as it was for that alert, while without one Neo4j compares.
    const claimed = new Map([[BUSY, alert(BUSY, { value: 95 })]]);
    const withClaim = { at: 120_000, active: [alert(BUSY, { value: 95 })], flaps: new Map(), cutOff: [], events: [] };
    expect(await store.write((tx) => writeEvaluation(tx, { ...withClaim, previous: claimed }))).toEqual({ records: 0, values: 0 });
    expect((await read()).get(BUSY)).toMatchObject({ value: 90 });
    expect(await store.write((tx) => writeEvaluation(tx, withClaim))).toEqual({ records: 0, values: 1 });
    expect((await read()).get(BUSY)).toMatchObject({ value: 95 });
  });

  it('a record stored with its value inside (the earlier layout) reads back the same, and is rewritten once', async () => {
    await resetGraph(store);
    const old = alert(BUSY, { value: 75 });
    const { updatedAt: _u, ...inRecord } = old;
    await store.write((tx) =>
      tx.run("CREATE (:Alert {key: $key, record: $record, state: 'pending'}) MERGE (e:AlertEngine {id: 'state'}) SET e.evaluatedAt = 5", {
        key: BUSY,
        record: JSON.stringify(inRecord),
      }),
    );
    expect((await read()).get(BUSY)).toEqual({ ...old, updatedAt: 5 });
    expect(await write(80_000, [old])).toEqual({ records: 1, values: 0 });
    expect(await write(90_000, [old])).toEqual({ records: 0, values: 0 });
    expect((await read()).get(BUSY)).toEqual({ ...old, updatedAt: 90_000 });
  });
});
