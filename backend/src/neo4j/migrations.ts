import { ALERT_MIGRATIONS } from '../alerts/store';
import { AUTH_MIGRATIONS } from '../auth/store';
import { PLAN_MIGRATIONS } from '../plan/staging-store';
import type { Store } from './store';

/**
 * Idempotent schema migrations, run at every start. Each statement is named and uses IF NOT
 * EXISTS, so running them twice changes nothing (see {@link applySchema}).
 */
export const MIGRATIONS: readonly string[] = [
  'CREATE CONSTRAINT site_code IF NOT EXISTS FOR (s:Site) REQUIRE s.code IS UNIQUE',
  'CREATE CONSTRAINT device_hostname IF NOT EXISTS FOR (d:Device) REQUIRE d.hostname IS UNIQUE',
  'CREATE CONSTRAINT interface_key IF NOT EXISTS FOR (i:Interface) REQUIRE i.key IS UNIQUE',
  'CREATE CONSTRAINT link_id IF NOT EXISTS FOR (l:Link) REQUIRE l.id IS UNIQUE',
  'CREATE CONSTRAINT prefix_vrf_cidr IF NOT EXISTS FOR (p:Prefix) REQUIRE (p.vrf, p.cidr) IS UNIQUE',
  'CREATE CONSTRAINT request_key_vrf_key IF NOT EXISTS FOR (k:RequestKey) REQUIRE (k.vrf, k.key) IS UNIQUE',
  'CREATE INDEX site_tier IF NOT EXISTS FOR (s:Site) ON (s.tier)',
  'CREATE INDEX link_tier IF NOT EXISTS FOR (l:Link) ON (l.tier)',
  'CREATE INDEX link_status IF NOT EXISTS FOR (l:Link) ON (l.status)',
  ...AUTH_MIGRATIONS,
  ...ALERT_MIGRATIONS,
  ...PLAN_MIGRATIONS,
];

/** Runs {@link MIGRATIONS} (see {@link applySchema}). */
export async function migrate(store: Store): Promise<void> {
  await applySchema(store, MIGRATIONS);
}

/** The name a `CREATE CONSTRAINT|INDEX <name> IF NOT EXISTS …` statement gives, or undefined. */
export function schemaName(statement: string): string | undefined {
  return /^CREATE\s+(?:CONSTRAINT|(?:RANGE\s+|TEXT\s+|POINT\s+)?INDEX)\s+(\w+)\s+IF\s+NOT\s+EXISTS\b/i.exec(statement)?.[1];
}

/**
 * Creates the constraints and indexes of `statements` that the store does not have yet, by name,
 * all in ONE write transaction; returns how many were run (0 when every one exists: one read).
 *
 * Why: run one at a time, a transaction each, the ~35 statements cost a start ~0.4 s on a store that
 * has them all, and several seconds after a national bulk import (each constraint's index filled
 * and checked in turn). Together, Neo4j does it in one commit. A statement without a name
 * {@link schemaName} can read is always run (its IF NOT EXISTS keeps it idempotent).
 *
 * @example
 * await applySchema(store, ['CREATE INDEX site_tier IF NOT EXISTS FOR (s:Site) ON (s.tier)']);
 */
export async function applySchema(store: Store, statements: readonly string[]): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const existing = await store.read(async (tx) => {
      const names = new Set<string>();
      for (const show of ['SHOW CONSTRAINTS YIELD name', 'SHOW INDEXES YIELD name']) {
        for (const r of (await tx.run(show)).records) names.add(r.get('name') as string);
      }
      return names;
    });
    const missing = statements.filter((s) => {
      const name = schemaName(s);
      return name === undefined || !existing.has(name);
    });
    if (missing.length === 0) return 0;
    try {
      await store.write(async (tx) => {
        for (const statement of missing) await tx.run(statement);
      });
      return missing.length;
    } catch (e) {
      // Another process starting at the same time created one of them first (IF NOT EXISTS does not
      // cover a creation not yet committed): read again and create what is still missing.
      if (attempt >= SCHEMA_ATTEMPTS || !ALREADY_EXISTS.test((e as { code?: string }).code ?? '')) throw e;
    }
  }
}

/** Neo4j's codes for a schema rule made meanwhile by another transaction (same name, or the same rule). */
const ALREADY_EXISTS = /^Neo\.ClientError\.Schema\.\w*AlreadyExists$/;
const SCHEMA_ATTEMPTS = 5;

const ensured = new WeakMap<Store, Map<readonly string[], Promise<void>>>();

/**
 * {@link applySchema} once per store and list: later calls share the first run; a failed run is
 * tried again at the next call. For the schema of a feature that not every process uses (the
 * monitoring history, coverage over time), created when it is first needed.
 */
export function ensureSchema(store: Store, statements: readonly string[]): Promise<void> {
  let runs = ensured.get(store);
  if (!runs) ensured.set(store, (runs = new Map<readonly string[], Promise<void>>()));
  let run = runs.get(statements);
  if (!run) {
    run = applySchema(store, statements).then(() => {});
    run.catch(() => runs.delete(statements));
    runs.set(statements, run);
  }
  return run;
}
