import {
  computeCoverage,
  coverageView as toCoverageView,
  planCompliance,
  type CoverageReport,
  type CoverageView,
  type EndState,
  type LinkCompliance,
  type LinkEndsState,
  type Plan,
} from '@extranet/topology';

export type { CoverageView };
import type { Store } from '../neo4j/store';
import { planStamp, readPlan } from '../plan/store';
import { endStateOf } from './end-state';
import { readCycleSeq } from './cycle-store';
import { readLinkEnds, type StoredLinkEnd } from './link-state-store';

/**
 * Coverage of the stored plan from the stored measurements, judged at `now`:
 * the pure `planCompliance` + `computeCoverage` of topology/monitor over what
 * the pollers (any shard) last wrote on the interfaces. Freshness is decided
 * here, at read time, so a device that stopped answering turns its links
 * "not-polled" even when no poll has run since.
 */
export interface CoverageOptions {
  /** ms since the epoch. */
  now: number;
  /** End states older than this are stale, ms. */
  maxAgeMs: number;
}

/** The plan each store last read back, with its stamp. */
const plans = new WeakMap<Store, { stamp: string; plan: Plan }>();

/** The link-end reads of this process (whole, or of the links judged since the last), and the ends they brought: read by tests and benchmarks. */
export const linkEndReads = { whole: 0, since: 0, ends: 0 };

/**
 * The link ends each store last read back, for the plan of `stamp`, as of cycle `seq` (every cycle up to
 * it seen, `(:CycleMeta).seq`), keyed `linkId|side`. A later read brings only the ends of the links judged
 * since (`(:Link).cycleSeq`): at national size every link is judged once an interval, and coverage and
 * each alert evaluation read all 104,000 ends again several times an interval.
 */
const endsRead = new WeakMap<Store, { stamp: string; seq: number; ends: Map<string, StoredLinkEnd> }>();

/** How much longer than an ordinary transaction reading the whole plan back may take (at national size, tens of seconds). */
const PLAN_READ_TIMEOUT_FACTOR = 10;

/**
 * Every link of the stored plan judged at `now` (plan order), with the plan.
 *
 * Coverage, the live pushes and the alert evaluation judge the whole plan after every poll cycle;
 * at national size reading its 280,000 records back takes longer than a cycle and than an ordinary
 * transaction may run. So the plan is read back only when it changed since this process last read
 * it (its stamp: the generation and write time, one small read), in a transaction of its own with
 * a longer limit; the link states are read with the stamp, so plan and states always belong
 * together. The link states themselves are read whole once per plan, then only those of the links
 * the cycles judged since the last read: cycles commit in the order of their numbers (cycle-store.ts
 * `markCycle`), so a read that saw number n and the links judged up to n has every end as of n.
 * Callers must not change the plan they are given (it is shared).
 */
export async function loadLinkStates(store: Store, opts: CoverageOptions): Promise<JudgedLinks> {
  for (;;) {
    const known = plans.get(store);
    const read = await store.read(async (tx) => {
      const stamp = await planStamp(tx);
      if (stamp !== known?.stamp) return undefined;
      const seq = await readCycleSeq(tx);
      const have = endsRead.get(store);
      if (have?.stamp === stamp && have.seq <= seq) {
        return { stamp, seq, whole: false, ends: seq === have.seq ? [] : await readLinkEnds(tx, { after: have.seq, upTo: seq }) };
      }
      return { stamp, seq, whole: true, ends: await readLinkEnds(tx) };
    });
    const ends = read && keepEnds(store, read);
    if (ends !== undefined) return judged(known!.plan, ends.values(), opts);
    if (read === undefined) await readBack(store);
  }
}

/**
 * Adds what a read brought to the ends kept for its store (a whole read replaces them) and returns
 * them; undefined when the read brought only the judged ends and the kept ones are now of another
 * plan (a whole read for a new plan finished meanwhile: the caller reads again). Reads may finish out
 * of order: an end replaces the kept one only when its link was judged as late or later.
 */
function keepEnds(
  store: Store,
  read: { stamp: string; seq: number; whole: boolean; ends: readonly StoredLinkEnd[] },
): Map<string, StoredLinkEnd> | undefined {
  linkEndReads[read.whole ? 'whole' : 'since']++;
  linkEndReads.ends += read.ends.length;
  let have = endsRead.get(store);
  if (!read.whole && have?.stamp !== read.stamp) return undefined;
  if (read.whole || have === undefined) {
    have = { stamp: read.stamp, seq: read.seq, ends: new Map(read.ends.map((e) => [`${e.id}|${e.side}`, e])) };
    endsRead.set(store, have);
    return have.ends;
  }
  for (const e of read.ends) {
    const key = `${e.id}|${e.side}`;
    const kept = have.ends.get(key);
    if (kept === undefined || kept.cycleSeq <= e.cycleSeq) have.ends.set(key, e);
  }
  have.seq = Math.max(have.seq, read.seq);
  return have.ends;
}

/** Reads in flight per store: callers that find the plan changed at the same time share one read. */
const reading = new WeakMap<Store, Promise<void>>();

function readBack(store: Store): Promise<void> {
  let r = reading.get(store);
  if (r === undefined) {
    r = store
      .read(async (tx) => ({ stamp: await planStamp(tx), plan: await readPlan(tx) }), {
        timeoutMs: store.txTimeoutMs * PLAN_READ_TIMEOUT_FACTOR,
      })
      .then((fresh) => void plans.set(store, fresh))
      .finally(() => reading.delete(store));
    reading.set(store, r);
  }
  return r;
}

/** The stored plan's links judged at `now`, and per link the error rate of its ends read within the staleness limit (summed). */
export interface JudgedLinks {
  plan: Plan;
  linkStates: LinkCompliance[];
  /** Errors and discards per second per link id, summed over its fresh ends that have a rate (the alert evaluation's input). */
  errorsPerSec: Map<string, number>;
}

/**
 * Each kept end's state for the pure judgement (`endStateOf`), made once per end read rather than at every
 * judgement: coverage and each alert evaluation judge all 104,000 ends at national size, most of them
 * unchanged since the last (an end read again is a new object, so it gets its own).
 */
const endStates = new WeakMap<StoredLinkEnd, EndState | null>();

function endStateOfKept(x: StoredLinkEnd): EndState | undefined {
  let end = endStates.get(x);
  if (end === undefined) {
    end = endStateOf(x.props) ?? null;
    endStates.set(x, end);
  }
  return end ?? undefined;
}

function judged(plan: Plan, ends: Iterable<StoredLinkEnd>, opts: CoverageOptions): JudgedLinks {
  const states = new Map<string, LinkEndsState>();
  const errorsPerSec = new Map<string, number>();
  const freshSince = opts.now - opts.maxAgeMs;
  for (const x of ends) {
    const end = endStateOfKept(x);
    if (end) {
      const both = states.get(x.id);
      if (both) both[x.side] = end;
      else states.set(x.id, x.side === 'a' ? { a: end } : { b: end });
    }
    if (x.errorsPerSec !== null && x.props.lastPolled != null && x.props.lastPolled >= freshSince) {
      errorsPerSec.set(x.id, (errorsPerSec.get(x.id) ?? 0) + x.errorsPerSec);
    }
  }
  return { plan, linkStates: planCompliance(plan, states, { now: opts.now, maxAgeMs: opts.maxAgeMs }), errorsPerSec };
}

export function coverageOf(plan: Plan, linkStates: readonly LinkCompliance[]): CoverageReport {
  return computeCoverage({ sites: plan.sites, devices: plan.devices, links: plan.links, linkStates });
}

export async function loadCoverage(store: Store, opts: CoverageOptions): Promise<CoverageReport> {
  const { plan, linkStates } = await loadLinkStates(store, opts);
  return coverageOf(plan, linkStates);
}

/** The `GET /api/coverage` body: counts per tier and county-level unit, the internet exit, gaps and SPOFs. */
export function coverageView(report: CoverageReport, now: number): CoverageView {
  return toCoverageView(report, new Date(now).toISOString());
}

/**
 * A compact fingerprint of what a coverage display shows (counts, gaps, exit),
 * to tell whether a cycle changed coverage; the timestamp is left out.
 */
export function coverageFingerprint(view: CoverageView): string {
  return JSON.stringify([view.overall, view.tiers, view.internetExit, view.counties.map((c) => [c.code, c.gaps, c.townships])]);
}
