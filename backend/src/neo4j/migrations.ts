import { ALERT_MIGRATIONS } from '../alerts/store';
import { AUTH_MIGRATIONS } from '../auth/store';
import { PLAN_MIGRATIONS } from '../plan/staging-store';
import type { Store } from './store';

/**
 * Idempotent schema migrations, run at every start. Each statement uses
 * IF NOT EXISTS, so running them twice changes nothing.
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

export async function migrate(store: Store): Promise<void> {
  // Schema commands cannot share a transaction with each other in Neo4j: one each.
  for (const statement of MIGRATIONS) {
    await store.write((tx) => tx.run(statement));
  }
}
