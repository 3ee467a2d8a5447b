import { loadConfig } from '../../backend/src/config';
import { Store } from '../../backend/src/neo4j/store';

/** A Store on the test run's Neo4j, with its password (both from tests/setup/neo4j.ts). */
export async function openTestStore(): Promise<Store> {
  if (!process.env.NEO4J_URI) throw new Error('NEO4J_URI is not set: integration tests need tests/setup/neo4j.ts');
  return Store.open(loadConfig());
}

/** Deletes everything a test file wrote, so the next file starts from an empty graph. */
export async function resetGraph(store: Store): Promise<void> {
  await store.write((tx) => tx.run('MATCH (n) DETACH DELETE n'));
}
