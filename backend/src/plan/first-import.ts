import type { Plan } from '@extranet/topology';
import { resolveFromRoot, type Config } from '../config';
import { bulkImportNewStore, isNewEmbeddedStore } from '../neo4j/bulk-import';
import { Store } from '../neo4j/store';
import { planCsvFiles } from './bulk-csv';
import { encodeSnapshot } from './snapshot';
import { STAGE_FROM, finishBulkImport, importPlan, type ImportOptions, type ImportResult } from './service';

export interface OpenAndImportOptions extends ImportOptions {
  /**
   * A first import into a new embedded store (no NEO4J_URI, no store in NEO4J_DATA_DIR yet) of at
   * least `bulkFrom` records is written by Neo4j's bulk importer before the server starts (default
   * true). False: always through Cypher, as into a running server.
   */
  bulk?: boolean;
  /** Records (sites, devices, interfaces and links) from which a new store is bulk-imported (default {@link STAGE_FROM}). */
  bulkFrom?: number;
  /** Where the store's own lines go (starting the embedded Neo4j). */
  storeProgress?: (line: string) => void;
}

/**
 * Opens the store and imports `plan` into it. Into a store that already
 * exists (or an external Neo4j) this is {@link importPlan}: the diff, written
 * through Cypher in one transaction (staged when large). Into a new embedded
 * store, a large plan is first written by Neo4j's bulk importer — the
 * initial-load path Neo4j provides, several times faster than transactions —
 * then the server starts on it and {@link finishBulkImport} writes the plan's
 * settings and snapshot. Either way the caller gets the open store (to close)
 * and the diff from what was stored before.
 */
export async function openAndImport(
  config: Config,
  plan: Plan,
  opts: OpenAndImportOptions = {},
): Promise<{ store: Store; result: ImportResult; bulk: boolean }> {
  const say = opts.progress ?? (() => {});
  const dataDir = resolveFromRoot(config.NEO4J_DATA_DIR);
  const records = plan.sites.length + plan.devices.length + plan.links.length + plan.devices.reduce((n, d) => n + d.interfaces.length, 0);
  const bulk =
    opts.bulk !== false && !opts.dryRun && !config.NEO4J_URI && records >= (opts.bulkFrom ?? STAGE_FROM) && isNewEmbeddedStore(dataDir);
  // Hashed and compressed (off the main thread) while the importer and the server work: the last step stores it.
  const snapshot = bulk ? encodeSnapshot(plan) : undefined;
  snapshot?.bytes().catch(() => {});
  if (bulk) {
    const started = performance.now();
    say("import: a new store — written by Neo4j's bulk importer before the server starts");
    await bulkImportNewStore(planCsvFiles(plan), { dataDir, heap: config.NEO4J_HEAP, progress: say });
    say(`import: new store written in ${((performance.now() - started) / 1000).toFixed(1)} s; starting Neo4j on it`);
  }
  const opening = performance.now();
  const store = await Store.open(config, opts.storeProgress);
  if (bulk) say(`import: Neo4j started and its indexes built in ${((performance.now() - opening) / 1000).toFixed(1)} s`);
  try {
    const result = snapshot ? await finishBulkImport(store, plan, say, snapshot) : await importPlan(store, plan, opts);
    return { store, result, bulk };
  } catch (e) {
    await store.close();
    throw e;
  }
}
