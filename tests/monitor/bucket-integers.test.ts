import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendSamples, type BucketSample } from '../../backend/src/monitor/history-store';
import { ensureMonitorSchema } from '../../backend/src/monitor/migrations';
import type { Store } from '../../backend/src/neo4j/store';
import { openTestStore, resetGraph } from '../helpers/store';

const HOUR = Date.parse('2025-03-04T02:00:00Z');
const sample = (linkId: string, k: number): BucketSample => ({
  linkId,
  hour: HOUR,
  day: '2025-03-04',
  at: HOUR + k * 60_000,
  inBps: 123_456_789.6 + k,
  outBps: 2.4,
  capacityMbps: 1000,
});

/**
 * History buckets hold integer arrays (Neo4j packs them in the bits their values need); a bucket an
 * earlier version wrote with floats becomes integers at its next append, its samples kept.
 */
describe('history buckets: integer arrays', () => {
  let store: Store;
  const bucket = async (id: string) =>
    store.read(async (tx) => {
      const r = await tx.run(
        `MATCH (b:UtilBucket {linkId: $id}) OPTIONAL MATCH (l:Link)-[:HAS_BUCKET]->(b)
         RETURN b {.at, .inBps, .outBps, .capacityMbps} AS b, [p IN ['at', 'inBps', 'outBps', 'capacityMbps'] | valueType(b[p])] AS types,
                count(l) AS links`,
        { id },
      );
      const x = r.records[0]!;
      return { ...(x.get('b') as Record<string, number[]>), types: x.get('types') as string[], links: x.get('links') as number };
    });

  beforeAll(async () => {
    store = await openTestStore();
    await resetGraph(store);
    await ensureMonitorSchema(store);
    await store.write((tx) => tx.run("CREATE (:Link {id: 'L-new'}), (l:Link {id: 'L-old'})"));
  });
  afterAll(async () => {
    await resetGraph(store);
    await store.close();
  });

  it('writes a new bucket as integer arrays, rounded, tied to its link once', async () => {
    await store.write((tx) => appendSamples(tx, [sample('L-new', 0)]));
    await store.write((tx) => appendSamples(tx, [sample('L-new', 1)]));
    const b = await bucket('L-new');
    expect(b.types).toEqual(Array(4).fill('LIST<INTEGER NOT NULL> NOT NULL'));
    expect(b).toMatchObject({
      at: [HOUR, HOUR + 60_000],
      inBps: [123_456_790, 123_456_791],
      outBps: [2, 2],
      capacityMbps: [1000, 1000],
      links: 1,
    });
  });

  it('turns a bucket of floats (an earlier version) into integers at its next append, keeping its samples', async () => {
    await store.write((tx) =>
      tx.run(
        `MATCH (l:Link {id: 'L-old'})
         CREATE (l)-[:HAS_BUCKET]->(:UtilBucket {linkId: 'L-old', hour: $hour, day: '2025-03-04', at: [toFloat($at)], inBps: [5.5], outBps: [7.0], capacityMbps: [100.0]})`,
        { hour: HOUR, at: HOUR },
      ),
    );
    expect((await bucket('L-old')).types[0]).toBe('LIST<FLOAT NOT NULL> NOT NULL');
    await store.write((tx) => appendSamples(tx, [sample('L-old', 1)]));
    const b = await bucket('L-old');
    expect(b.types).toEqual(Array(4).fill('LIST<INTEGER NOT NULL> NOT NULL'));
    expect(b).toMatchObject({ at: [HOUR, HOUR + 60_000], inBps: [6, 123_456_791], outBps: [7, 2], capacityMbps: [100, 1000], links: 1 });
  });
});
