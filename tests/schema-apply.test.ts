import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySchema, ensureSchema } from '../backend/src/neo4j/migrations';
import type { Store } from '../backend/src/neo4j/store';
import { openTestStore } from './helpers/store';

// Labels and names of this file only: the schema of the product is left alone.
const INDEX_A = 'CREATE INDEX schema_test_a IF NOT EXISTS FOR (n:SchemaTestA) ON (n.a)';
const UNIQUE_B = 'CREATE CONSTRAINT schema_test_b IF NOT EXISTS FOR (n:SchemaTestB) REQUIRE n.b IS UNIQUE';
const INDEX_C = 'CREATE INDEX schema_test_c IF NOT EXISTS FOR (n:SchemaTestC) ON (n.c)';
const UNIQUE_D = 'CREATE CONSTRAINT schema_test_d IF NOT EXISTS FOR (n:SchemaTestD) REQUIRE n.d IS UNIQUE';
const INDEX_E = 'CREATE INDEX schema_test_e IF NOT EXISTS FOR (n:SchemaTestE) ON (n.e)';
const UNIQUE_F = 'CREATE CONSTRAINT schema_test_f IF NOT EXISTS FOR (n:SchemaTestF) REQUIRE n.f IS UNIQUE';
const NAMES = ['schema_test_a', 'schema_test_b', 'schema_test_c', 'schema_test_d', 'schema_test_e', 'schema_test_f'];

describe('applySchema: the missing constraints and indexes, in one transaction (real Neo4j)', () => {
  let store: Store;
  const present = () =>
    store.read(async (tx) => {
      const names: string[] = [];
      for (const show of ['SHOW CONSTRAINTS YIELD name', 'SHOW INDEXES YIELD name, owningConstraint WHERE owningConstraint IS NULL']) {
        for (const r of (await tx.run(`${show} RETURN name`)).records) names.push(r.get('name') as string);
      }
      return names.filter((n) => NAMES.includes(n)).sort();
    });
  const dropAll = async () => {
    await store.write((tx) =>
      tx.run('MATCH (n) WHERE n:SchemaTestA OR n:SchemaTestB OR n:SchemaTestC OR n:SchemaTestD OR n:SchemaTestF DETACH DELETE n'),
    );
    for (const name of ['schema_test_b', 'schema_test_d', 'schema_test_f'])
      await store.write((tx) => tx.run(`DROP CONSTRAINT ${name} IF EXISTS`));
    for (const name of ['schema_test_a', 'schema_test_c', 'schema_test_e'])
      await store.write((tx) => tx.run(`DROP INDEX ${name} IF EXISTS`));
  };

  beforeAll(async () => {
    store = await openTestStore();
    await dropAll();
  });
  afterAll(async () => {
    await dropAll();
    await store.close();
  });

  it('creates what is missing, then nothing; a dropped index is created again, alone', async () => {
    await store.write((tx) => tx.run('UNWIND range(1, 500) AS i CREATE (:SchemaTestB {b: i})'));
    expect(await applySchema(store, [INDEX_A, UNIQUE_B])).toBe(2);
    expect(await present()).toEqual(['schema_test_a', 'schema_test_b']);
    expect(await applySchema(store, [INDEX_A, UNIQUE_B])).toBe(0);

    await store.write((tx) => tx.run('DROP INDEX schema_test_a'));
    expect(await present()).toEqual(['schema_test_b']);
    expect(await applySchema(store, [INDEX_A, UNIQUE_B])).toBe(1);
    expect(await present()).toEqual(['schema_test_a', 'schema_test_b']);
    // The constraint holds: a second node with the same key is refused.
    await expect(store.write((tx) => tx.run('CREATE (:SchemaTestB {b: 1})'))).rejects.toThrow(/already exists/);
  });

  it('creates none of them when one cannot be made (data that breaks a constraint)', async () => {
    await store.write((tx) => tx.run('CREATE (:SchemaTestD {d: 1}), (:SchemaTestD {d: 1})'));
    await expect(applySchema(store, [INDEX_C, UNIQUE_D])).rejects.toThrow();
    expect((await present()).filter((n) => n === 'schema_test_c' || n === 'schema_test_d')).toEqual([]);
  });

  it('ensureSchema runs once per store and list; a failed run is tried again', async () => {
    const list = [INDEX_C];
    const once = ensureSchema(store, list);
    expect(ensureSchema(store, list)).toBe(once);
    await once;
    const failing = [UNIQUE_D];
    const failed = ensureSchema(store, failing);
    await expect(failed).rejects.toThrow();
    await store.write((tx) => tx.run('MATCH (n:SchemaTestD) WITH n SKIP 1 DELETE n'));
    const again = ensureSchema(store, failing);
    expect(again).not.toBe(failed);
    await again;
    expect(await present()).toEqual(['schema_test_a', 'schema_test_b', 'schema_test_c', 'schema_test_d']);
  });

  it('several processes starting at once on a new store: every one succeeds, each name made once', async () => {
    await store.write((tx) => tx.run('UNWIND range(1, 2000) AS i CREATE (:SchemaTestF {f: i})'));
    const others = await Promise.all([openTestStore(), openTestStore()]);
    try {
      await Promise.all([store, ...others].flatMap((s) => [applySchema(s, [INDEX_E, UNIQUE_F]), applySchema(s, [UNIQUE_F, INDEX_E])]));
    } finally {
      await Promise.all(others.map((s) => s.close()));
    }
    expect((await present()).filter((n) => n === 'schema_test_e' || n === 'schema_test_f')).toEqual(['schema_test_e', 'schema_test_f']);
  });
});
