import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import {
  compactTopology,
  topologyOfCounty,
  type CoverageView,
  type LinkCompliance,
  type Plan,
  type SiteRow,
  type TopologyCompact,
  type TopologyView,
} from '@extranet/topology';
import { coverageOf, coverageView, loadLinkStates } from '../monitor/coverage-service';
import type { Store } from '../neo4j/store';
import { readTopology } from '../graph/store';
import { readPlanInfo } from './store';
import { versionSource } from './versions';
import { listSites } from '../sites/store';
import { listPrefixes } from '../ipam/queries';
import type { PrefixRow } from '../ipam/store';
import { onIpamChange } from '../ipam/changes';
import { readModel, type ReadModel, type Snapshot } from './read-model';

/**
 * The read models of a serving process: the drawing view (changes with the
 * plan) and coverage with its single points of failure (changes with the plan
 * and every poll cycle, and ages: a device that stops answering turns its
 * links not-polled). Created once per app; `/api/topology`, `/api/coverage`
 * and `/metrics` answer from them, and the unfiltered lists `/api/sites` (the
 * plan's) and `/api/ipam/prefixes` (the plan's, and the address space's: every
 * IPAM write of this process clears it at once, one of another process within
 * a second, seen in the history count).
 */
export interface ReadModels {
  topology: ReadModel<TopologyView>;
  /** The coverage view, and the plan and link states it was judged from (for /metrics). */
  coverage: ReadModel<CoverageModel>;
  plan: ReadModel<Awaited<ReturnType<typeof readPlanInfo>>>;
  /** Every site, as `GET /api/sites` without a filter answers. */
  sites: ReadModel<{ items: SiteRow[]; total: number }>;
  /** Every prefix, as `GET /api/ipam/prefixes` without a filter answers. */
  prefixes: ReadModel<{ items: PrefixRow[]; total: number }>;
  /** The per-county and compact forms of the current topology snapshot (kept while that snapshot is current). */
  topologyForm(snapshot: Snapshot<TopologyView>, form: 'full' | 'compact', county: string | undefined): Snapshot<unknown> | undefined;
}

export interface CoverageModel {
  view: CoverageView;
  plan: Plan;
  linkStates: readonly LinkCompliance[];
  now: number;
}

export interface ReadModelsOptions {
  /** ms since the epoch; default Date.now. */
  clock?: () => number;
  /** Staleness limit of measurements, ms (coverage is recomputed at least every sixth of it). */
  maxAgeMs: number;
  /** Poll cycles end: each marks coverage out of date (recomputed at most every `minCoverageAgeMs`). */
  onCycle?: (listener: () => void) => void;
  /** An invalidated coverage younger than this is still served, ms (at national scale a cycle ends every few seconds). Default 0. */
  minCoverageAgeMs?: number;
}

export function createReadModels(store: Store, opts: ReadModelsOptions): ReadModels {
  const clock = opts.clock ?? Date.now;
  // One read a second of every source's version, shared by all the models (each checks it on every get).
  const versions = versionSource(store, { clock });
  const version = async () => (await versions.get()).plan;
  const shared = { clock, versionCheckMs: 0 };
  const topology = readModel({ compute: () => readTopology(store), version, ...shared });
  const coverage = readModel<CoverageModel>({
    compute: async () => {
      const now = clock();
      const { plan, linkStates } = await loadLinkStates(store, { now, maxAgeMs: opts.maxAgeMs });
      return { view: coverageView(coverageOf(plan, linkStates), now), plan, linkStates, now };
    },
    body: (v) => v.view,
    // The plan, and every cycle any process (any shard) writes.
    version,
    revision: async () => String((await versions.get()).cycles),
    ...shared,
    ttlMs: Math.max(1_000, Math.round(opts.maxAgeMs / 6)),
    minAgeMs: opts.minCoverageAgeMs ?? 0,
  });
  opts.onCycle?.(() => {
    versions.forget();
    coverage.invalidate();
  });
  const plan = readModel({ compute: () => readPlanInfo(store), version, ...shared });
  const sites = readModel({
    compute: async () => {
      const items = await listSites(store, {});
      return { items, total: items.length };
    },
    version,
    ...shared,
  });
  const prefixes = readModel({
    compute: async () => {
      const items = await listPrefixes(store, {});
      return { items, total: items.length };
    },
    version,
    revision: async () => String((await versions.get()).ipam),
    ...shared,
  });
  onIpamChange(store, () => {
    versions.forget();
    prefixes.invalidate();
  });

  // Derived forms, memoised per topology snapshot (a new snapshot starts a new memo).
  let memoOf: Snapshot<TopologyView> | undefined;
  const memo = new Map<string, Snapshot<unknown>>();
  const topologyForm: ReadModels['topologyForm'] = (snapshot, form, county) => {
    if (form === 'full' && county === undefined) return snapshot;
    if (memoOf !== snapshot) {
      memo.clear();
      memoOf = snapshot;
    }
    const key = `${form}|${county ?? ''}`;
    const hit = memo.get(key);
    if (hit) return hit;
    const view = county === undefined ? snapshot.value : topologyOfCounty(snapshot.value, county);
    if (view === undefined) return undefined;
    const body: TopologyView | TopologyCompact = form === 'compact' ? compactTopology(view) : view;
    const derived = derive(snapshot, body, key);
    if (memo.size >= 512) memo.clear(); // a national plan has 2,000 units: bounded, cheap to rebuild
    memo.set(key, derived);
    return derived;
  };
  return { topology, coverage, plan, sites, prefixes, topologyForm };
}

/** A snapshot of a form derived from `base`: its own JSON, gzip and ETag. */
function derive(base: Snapshot<unknown>, body: unknown, key: string): Snapshot<unknown> {
  const json = JSON.stringify(body);
  return {
    value: body,
    body,
    json,
    bytes: Buffer.from(json),
    gzip: gzipSync(json),
    etag: `"${createHash('sha256').update(base.etag).update(key).update(json).digest('base64url').slice(0, 27)}"`,
    computedAt: base.computedAt,
    version: base.version,
    revision: base.revision,
  };
}
