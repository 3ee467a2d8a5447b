import type { ManagedTransaction } from 'neo4j-driver';
import { DomainError, diffPlans, emptyPlan, isEmptyDiff, type Plan, type PlanDiff } from '@extranet/topology';
import type { Store } from '../neo4j/store';
import { loadPlanOrThrow } from './load';
import { SNAPSHOT_SECTIONS, encodeSnapshot, plansToDiff, type EncodedSnapshot } from './snapshot';
import { WRITE_BATCH } from './rows';
import { clearStagedBatch, stagingSteps } from './staging-store';
import {
  lockPlan,
  planGeneration,
  planRecordCounts,
  readPlan,
  readSnapshotHeader,
  readSnapshotSections,
  siteCount,
  writePlanChanges,
} from './store';

export interface ImportResult {
  changed: boolean;
  diff: PlanDiff;
}

export interface ImportOptions {
  dryRun?: boolean;
  /** One line per phase and per written batch: what, how many, how fast. */
  progress?: (line: string) => void;
  /** Stage the additions from this many added records on (default {@link STAGE_FROM}). */
  stageFrom?: number;
}

/**
 * A plan import may run longer than an API request: it gets this many times
 * NEO4J_TX_TIMEOUT_MS (a first import of a national plan writes half a million
 * records in one transaction).
 */
export const IMPORT_TIMEOUT_FACTOR = 20;

/**
 * From this many added records on (sites, devices, interfaces and links), the
 * additions are staged: written in transactions of their own under labels no
 * reader matches, then published with everything else in one short
 * transaction. One transaction holding a national plan's half a million new
 * records and relationships outgrows Neo4j's default transaction memory
 * (70 % of a 1 GB heap); relabelling them does not.
 */
export const STAGE_FROM = 20_000;

/**
 * Imports a validated plan in ONE write transaction: the plan lock is taken,
 * the stored plan is read back and diffed, and only what differs is written
 * (writePlanChanges), in batches of bounded size. Any error rolls everything
 * back: a reader sees the old plan or the new one, never half of one.
 */
export async function importPlan(store: Store, plan: Plan, opts: ImportOptions = {}): Promise<ImportResult> {
  const say = opts.progress ?? (() => {});
  const timeoutMs = store.txTimeoutMs * IMPORT_TIMEOUT_FACTOR;
  const started = performance.now();
  const snapshot = encodeSnapshot(plan);
  say(`import: hashed the plan in ${seconds(started)}`);
  if (opts.dryRun) {
    const diff = await store.read((tx) => diffWithStored(tx, plan, snapshot, say), { timeoutMs });
    return { changed: !isEmptyDiff(diff), diff };
  }
  const { diff, generation } = await store.read(
    async (tx) => ({ generation: await planGeneration(tx), diff: await diffWithStored(tx, plan, snapshot, say) }),
    { timeoutMs },
  );
  say(`import: diff — ${describeDiff(diff)}`);
  if (isEmptyDiff(diff)) {
    say(`import: nothing to write — ${seconds(started)} in all`);
    return { changed: false, diff };
  }
  // Compressing the new snapshot (off the main thread) overlaps the writes; the publishing transaction stores it.
  snapshot.bytes().catch(() => {});
  // A large addition (a first import of a province or a country) is staged first.
  const added = diff.sites.added.length + diff.devices.added.length + diff.interfaces.added.length + diff.links.added.length;
  const staged = added >= (opts.stageFrom ?? STAGE_FROM);
  if (staged) await stage(store, plan, diff, say, timeoutMs);
  try {
    await store.write(
      async (tx) => {
        const now = await lockPlan(tx);
        if (now !== generation) {
          throw new DomainError(
            'PLAN_CHANGED',
            'another import changed the stored plan while this one was being written; nothing was written',
            {
              hint: 'run the import again',
            },
          );
        }
        const write = performance.now();
        await writePlanChanges(tx, plan, diff, rateReporter(say), { staged, snapshot });
        say(`import: ${staged ? 'published and ' : ''}written in ${seconds(write)}; committing`);
      },
      { timeoutMs },
    );
  } catch (e) {
    if (staged) await clearStaged(store, timeoutMs).catch(() => {});
    throw e;
  }
  say(`import: committed — ${seconds(started)} in all`);
  return { changed: true, diff };
}

/**
 * Completes a first import whose records Neo4j's bulk importer wrote into a new
 * store (see first-import.ts): checks the store holds exactly the plan's
 * records, then writes what the importer does not — the plan's settings, its
 * generation and the snapshot the next import diffs against — in one
 * transaction. Returns the diff from an empty store, as an import would.
 */
export async function finishBulkImport(
  store: Store,
  plan: Plan,
  say: (line: string) => void = () => {},
  snapshot: EncodedSnapshot = encodeSnapshot(plan),
): Promise<ImportResult> {
  const started = performance.now();
  const diff = diffPlans(emptyPlan(), plan);
  const none = { added: [], changed: [], removed: [] };
  await store.write(
    async (tx) => {
      if ((await lockPlan(tx)) !== 0) throw new Error('the new store already holds an imported plan: nothing was written');
      const stored = await planRecordCounts(tx);
      if (stored.some((n, i) => n !== snapshot.counts[i])) {
        throw new Error(
          `the bulk importer wrote ${stored.join('/')} sites/devices/interfaces/links, the plan has ${snapshot.counts.join('/')}`,
        );
      }
      // The records are written: only the settings, generation and snapshot are left.
      await writePlanChanges(tx, plan, { settings: diff.settings, sites: none, devices: none, interfaces: none, links: none }, undefined, {
        snapshot,
      });
    },
    { timeoutMs: store.txTimeoutMs * IMPORT_TIMEOUT_FACTOR },
  );
  say(`import: the plan's settings and snapshot written in ${seconds(started)}`);
  return { changed: true, diff };
}

/**
 * The diff from the stored plan to `plan`. When the stored snapshot of the last
 * import is current, an unchanged plan is recognised by its hash, and a change
 * is diffed against the snapshot's changed sections only; otherwise (a store
 * written before snapshots) the stored plan is read back from the graph.
 */
async function diffWithStored(
  tx: ManagedTransaction,
  plan: Plan,
  snapshot: EncodedSnapshot,
  say: (line: string) => void,
): Promise<PlanDiff> {
  const started = performance.now();
  const header = await readSnapshotHeader(tx);
  if (header === null) return diffPlans(await timed(say, 'read the stored plan', () => readPlan(tx), describePlan), plan);
  if (header.hash === snapshot.hash) {
    say(`import: the stored plan's hash matches — checked in ${seconds(started)}`);
    return diffPlans(emptyPlan(), emptyPlan());
  }
  const differing = SNAPSHOT_SECTIONS.filter((k) => k === 'settings' || header.hashes[k] !== snapshot.hashes[k]);
  const { before, after } = await plansToDiff(plan, await readSnapshotSections(tx, differing));
  const diff = diffPlans(before, after);
  say(`import: diffed ${differing.join(', ')} against the stored snapshot in ${seconds(started)}`);
  return diff;
}

/** Writes the plan's added records under staging labels, batch by batch, after clearing what an unfinished import left. */
async function stage(store: Store, plan: Plan, diff: PlanDiff, say: (line: string) => void, timeoutMs: number): Promise<void> {
  const cleared = await clearStaged(store, timeoutMs);
  if (cleared > 0) say(`import: cleared ${cleared.toLocaleString('en')} staged records an unfinished import left`);
  const report = rateReporter(say);
  for (const step of stagingSteps(plan, diff)) {
    for (let i = 0; i < step.rows.length; i += WRITE_BATCH) {
      const rows = step.rows.slice(i, i + WRITE_BATCH);
      await store.write((tx) => tx.run(step.query, { rows }), { timeoutMs });
      report(step.phase, Math.min(step.rows.length, i + WRITE_BATCH), step.rows.length);
    }
  }
}

async function clearStaged(store: Store, timeoutMs: number): Promise<number> {
  let cleared = 0;
  for (let n = -1; n !== 0; cleared += n) n = await store.write(clearStagedBatch, { timeoutMs });
  return cleared;
}

/** Progress lines: at most one a second per phase, and its last, with the phase's rate. */
function rateReporter(say: (line: string) => void): (phase: string, done: number, total: number) => void {
  let phase = '';
  let previous = performance.now();
  let phaseStart = previous;
  let last = 0;
  return (p, done, total) => {
    const now = performance.now();
    if (p !== phase) {
      // A phase starts where the one before ended (its first batch is already done when it reports).
      phase = p;
      phaseStart = previous;
      last = 0;
    }
    previous = now;
    if (done < total && now - last < 1_000) return;
    const rate = Math.round((done * 1000) / Math.max(1, now - phaseStart));
    last = now;
    say(`import: ${p} ${done.toLocaleString('en')}/${total.toLocaleString('en')} (${rate.toLocaleString('en')}/s)`);
  };
}

/** Loads, validates and imports a plan directory. */
export async function importPlanDir(store: Store, dir: string, opts: ImportOptions = {}): Promise<ImportResult> {
  const plan = await loadPlanOrThrow(dir);
  return importPlan(store, plan, opts);
}

/** Number of sites stored: 0 means a fresh database. */
export async function countSites(store: Store): Promise<number> {
  return store.read(siteCount);
}

async function timed<T>(say: (line: string) => void, what: string, work: () => Promise<T>, describe: (value: T) => string): Promise<T> {
  const started = performance.now();
  const value = await work();
  say(`import: ${what} — ${describe(value)} in ${seconds(started)}`);
  return value;
}

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

function describePlan(plan: Plan): string {
  return `${plan.sites.length.toLocaleString('en')} sites, ${plan.devices.length.toLocaleString('en')} devices, ${plan.links.length.toLocaleString('en')} links`;
}

/** `sites +84 ~0 -0, …` for the kinds that change. */
export function describeDiff(diff: PlanDiff): string {
  const parts = (Object.entries(diff) as [string, PlanDiff[keyof PlanDiff]][])
    .filter(([, d]) => d.added.length + d.changed.length + d.removed.length > 0)
    .map(([kind, d]) => `${kind} +${d.added.length} ~${d.changed.length} -${d.removed.length}`);
  return parts.length === 0 ? 'no changes' : parts.join(', ');
}
