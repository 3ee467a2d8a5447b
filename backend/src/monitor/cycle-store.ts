import type { ManagedTransaction } from 'neo4j-driver';
import { INTERFACE_STATE_KEYS } from './end-state';
import {
  judgeLink,
  linkStateProps,
  type CycleWriteOptions,
  type StoredDevice,
  type StoredEnd,
  type StoredLink,
  type StoredLinkRow,
} from './link-judgement';
import { encodeKeptCounters, LEGACY_COUNTER_PROPS } from './kept-counters';
import { ANSWERED, type DevicePollRecord, type InterfaceResult, type LinkUpdate } from './types';
import { countyOfSiteCypher } from '../graph/store';
import { appendSamples } from './history-store';
import { columnRow, setColumns } from '../neo4j/rows';

/**
 * Cypher of a poll cycle, all in the caller's ONE write transaction (the cycle is numbered at the
 * end, with step 3c, see {@link writeCycle}):
 * 1. device statuses → `(:Device)`;
 * 2. interface states and the counters kept for the next rate (one property, `ctr`) → `(:Interface)`;
 * 3. every link with an end on a polled device is judged again (pure
 *    `linkCompliance` on the stored end states, so an end polled by another
 *    shard counts too) → `(:Link)`;
 * 4. one sample per link whose traffic came from an end polled in this batch is
 *    appended to its hour bucket (history-store.ts `appendSamples`).
 * Each step is one UNWIND over the batch. Units: ms, bps, Mbps (0 = unknown in arrays).
 *
 * The queries go in two runs, each sent without waiting for the answers within it (the driver
 * pipelines them; Neo4j runs a transaction's queries in the order sent): steps 1, 2 and the read of
 * 3a; then, once the links are judged, 4 and 3c. While Neo4j runs one query Node packs the next (the
 * interface states are most of the bytes), and a batch waits for two answers instead of seven.
 */

export type { CycleWriteOptions };

export interface CycleWriteResult {
  links: LinkUpdate[];
  samplesWritten: number;
  /** The cycle's number among every process's cycles (`(:CycleMeta).seq`); 0 for an empty batch (nothing written). */
  seq: number;
}

/**
 * Time spent in each step of {@link writeCycle} since the process started, ms (summed over cycles; the
 * pipeline benchmark reads it). The queries of a run are pipelined, so a query's time runs from the
 * previous answer (or the run's start) to its own: what Neo4j spent on it, as seen from Node.
 */
export const cycleStepMs: Record<string, number> = {};

/** The answers of one pipelined run, timed in the order the queries were sent (see {@link cycleStepMs}). */
function timedRun() {
  let last = performance.now();
  let previous: Promise<unknown> = Promise.resolve();
  const answers: Promise<unknown>[] = [];
  return {
    /** `sent` is a query already sent; its answer is timed after the previous one's. */
    add<T>(name: string, sent: Promise<T>): Promise<T> {
      const answered = previous
        .then(
          () => sent,
          () => sent,
        )
        .finally(() => {
          const now = performance.now();
          cycleStepMs[name] = (cycleStepMs[name] ?? 0) + now - last;
          last = now;
        });
      answered.catch(() => undefined); // awaited by `all`: not unhandled meanwhile
      previous = answered;
      answers.push(answered);
      return answered;
    },
    /** Waits for every answer of the run; throws the first failure once all have answered (none is left pending). */
    async all(): Promise<void> {
      const failed = (await Promise.allSettled(answers)).find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}

/** Writes one cycle's records (steps 1–4 above) in the caller's transaction; returns the links judged again and the samples appended. */
export async function writeCycle(
  tx: ManagedTransaction,
  devices: readonly DevicePollRecord[],
  opts: CycleWriteOptions,
): Promise<CycleWriteResult> {
  if (devices.length === 0) return { links: [], samplesWritten: 0, seq: 0 };
  const interfaces = devices.flatMap((d) => d.interfaces);
  const states = timedRun();
  void states.add('devices', writeDeviceStatuses(tx, devices));
  void states.add('interfaces', writeInterfaceStates(tx, interfaces));
  const read = states.add(
    'readLinks',
    readLinksOfDevices(
      tx,
      devices.map((d) => d.hostname),
    ),
  );
  await states.all();
  const rows = await read;
  const fresh = new Set(interfaces.filter((i) => i.inBps !== undefined).map((i) => i.key));
  const t = performance.now();
  const judged = rows.map((row) => judgeLink(row, fresh, opts));
  cycleStepMs.judge = (cycleStepMs.judge ?? 0) + performance.now() - t;
  const links = judged.map((j) => j.update);
  const samples = judged.flatMap((j) => (j.sample ? [j.sample] : []));
  const judgements = timedRun();
  void judgements.add('samples', appendSamples(tx, samples));
  // Last: numbering the cycle locks (:CycleMeta) until commit, so cycles of every process commit in the
  // order of their numbers and a reader that saw number n has seen every cycle up to n. Taken at the
  // end, the lock is held for the link states and the commit only, not while the batch is written
  // (another shard's batch is written meanwhile, and waits only for this short tail).
  const seq = judgements.add(
    'linkStates',
    writeLinkStates(
      tx,
      judged.map((j, k) => ({ update: j.update, stored: rows[k]!.link })),
    ),
  );
  await judgements.all();
  return { links, samplesWritten: samples.length, seq: await seq };
}

/**
 * Counts the cycles written, by any process (`(:CycleMeta {id: 'cycles'}).seq`), in the query that writes
 * the link states (step 3c), and gives this one's number: a read model in another process (another
 * shard's server) sees it change and knows its coverage is out of date, and its live pushes read the
 * links this cycle judged (`cycleSeq`), within a second, without a channel of their own.
 */
const NUMBER_CYCLE = "MERGE (c:CycleMeta {id: 'cycles'}) SET c.seq = coalesce(c.seq, 0) + 1, c.at = timestamp() WITH c.seq AS seq";

/** The number of cycles written so far by every process (0 before the first). */
export async function readCycleSeq(tx: ManagedTransaction): Promise<number> {
  const r = await tx.run("OPTIONAL MATCH (c:CycleMeta {id: 'cycles'}) RETURN coalesce(c.seq, 0) AS seq");
  return r.records[0]!.get('seq') as number;
}

/**
 * Step 1: each polled device's status → `(:Device)`. Devices that answered set the same properties
 * each time (their last success, no failure), so they are sent by position with no map (no Eager
 * step); those that did not answer (a few) keep their last success and set their error, in the map.
 */
async function writeDeviceStatuses(tx: ManagedTransaction, devices: readonly DevicePollRecord[]): Promise<void> {
  const runs = [];
  for (const [names, group] of [
    [ANSWERED_COLUMNS, devices.filter((d) => ANSWERED.has(d.status))],
    [DEVICE_COLUMNS, devices.filter((d) => !ANSWERED.has(d.status))],
  ] as const) {
    if (group.length === 0) continue;
    const rows = group.map((d) => columnRow(d.hostname, deviceProps(d), names));
    runs.push(tx.run(`UNWIND $rows AS x MATCH (n:Device {hostname: x[0]}) SET ${setColumns('n', names, rows)}`, { rows }));
  }
  await Promise.all(runs);
}

/** What every poll sets on its device, sent by position (neo4j/rows.ts); the others in the row's map. */
const DEVICE_COLUMNS = ['pollStatus', 'pollFailures', 'lastPollAt', 'pollDurationMs', 'pollRequests', 'pollVarbinds'] as const;
/** What every poll a device answered sets. */
const ANSWERED_COLUMNS = [...DEVICE_COLUMNS, 'lastSuccessAt', 'failingSince'] as const;

/** Step 2: each interface read → its state and kept counters on `(:Interface)`. */
async function writeInterfaceStates(tx: ManagedTransaction, interfaces: readonly InterfaceResult[]): Promise<void> {
  if (interfaces.length === 0) return;
  const rows = interfaces.map((i) => columnRow(i.key, interfaceProps(i), INTERFACE_COLUMNS));
  await tx.run(`UNWIND $rows AS x MATCH (i:Interface {key: x[0]}) SET ${setColumns('i', INTERFACE_COLUMNS, rows)}`, { rows });
}

/** What every poll sets on an interface it read, sent by position (neo4j/rows.ts). */
const INTERFACE_COLUMNS = [
  'ifIndex',
  'matchedBy',
  'ifHighSpeedMbps',
  'operStatus',
  'lastPolled',
  'inBps',
  'outBps',
  'rateRejected',
  'inErrorsPerSec',
  'outErrorsPerSec',
  'inDiscardsPerSec',
  'ctr',
] as const;

/** Step 3a: every link with an end on one of the hosts, with both ends' stored state. */
async function readLinksOfDevices(tx: ManagedTransaction, hosts: readonly string[]): Promise<StoredLinkRow[]> {
  // One flat list per link rather than maps: at national size the driver's decoding of ~35 keyed values per
  // link was a third of this step (a batch of 680 devices reads ~850 links).
  const rows = await tx.run(
    `MATCH (d:Device)-[:HAS]->(:Interface)<-[:END]-(l:Link) WHERE d.hostname IN $hosts
     WITH DISTINCT l
     MATCH (l)-[:END {side: 'a'}]->(ia:Interface)<-[:HAS]-(da:Device)
     MATCH (l)-[:END {side: 'b'}]->(ib:Interface)<-[:HAS]-(db:Device)-[:AT]->(sb:Site)
     WITH l, ia, da, ib, db, ${countyOfSiteCypher('sb')} AS county
     RETURN [${LINK_FIELDS.map((f) => `l.${f}`).join(', ')},
             ${END_FIELDS.map((f) => `ia.${f}`).join(', ')}, ${DEVICE_FIELDS.map((f) => `da.${f}`).join(', ')},
             ${END_FIELDS.map((f) => `ib.${f}`).join(', ')}, ${DEVICE_FIELDS.map((f) => `db.${f}`).join(', ')}, county] AS r`,
    { hosts },
  );
  return rows.records.map((r) => {
    const v = r.get('r') as unknown[];
    let k = 0;
    const take = <T>(fields: readonly string[]): T => Object.fromEntries(fields.map((f) => [f, v[k++]])) as T;
    const link = take<StoredLink>(LINK_FIELDS);
    const aEnd = take<StoredEnd>(END_FIELDS);
    const aDevice = take<StoredDevice>(DEVICE_FIELDS);
    const bEnd = take<StoredEnd>(END_FIELDS);
    const bDevice = take<StoredDevice>(DEVICE_FIELDS);
    return { link, a: { end: aEnd, device: aDevice }, b: { end: bEnd, device: bDevice }, county: (v[k] as string | null) ?? null };
  });
}

/** The properties step 3a reads, in the order of its list (missing ones come back null). */
const LINK_FIELDS = [
  'id',
  'kind',
  'tier',
  'targetMbps',
  'contractedMbps',
  'status',
  'operStatus',
  'meetsTarget',
  'reason',
  'capacityMbps',
  'reasonDetail',
  'staleSince',
  'stateChanged',
] as const;
const END_FIELDS = ['key', 'ifName', ...INTERFACE_STATE_KEYS] as const;
const DEVICE_FIELDS = ['hostname', 'role', 'mgmtAddress', 'failingSince'] as const;

/**
 * Step 3c: the cycle numbered ({@link NUMBER_CYCLE}), and each judged link's state → `(:Link)`, with the
 * cycle that judged it (`cycleSeq`; `stateChanged`: its state changed then); returns the cycle's number.
 * The readings (rates, percentages, poll time) and the cycle are set every time; the judgement (state,
 * reason, capacity, staleness, `stateChanged`) only where it differs from what step 3a read — most links
 * keep theirs from cycle to cycle, and every property sent costs Neo4j a lookup.
 */
async function writeLinkStates(tx: ManagedTransaction, judged: ReadonlyArray<{ update: LinkUpdate; stored: StoredLink }>): Promise<number> {
  const rows = judged.map(({ update: u, stored }) => columnRow(u.id, linkStateProps(u, stored), READING_COLUMNS));
  const r = await tx.run(
    `${NUMBER_CYCLE}
     CALL (seq) { UNWIND $rows AS x MATCH (l:Link {id: x[0]}) SET ${setColumns('l', READING_COLUMNS, rows)}, l.cycleSeq = seq }
     RETURN seq`,
    { rows },
  );
  return r.records[0]!.get('seq') as number;
}

/** What every judgement sets on its link, sent by position (neo4j/rows.ts); the changed judgement in the row's map; `cycleSeq` in the query. */
const READING_COLUMNS = ['lastInBps', 'lastOutBps', 'lastInPct', 'lastOutPct', 'polledAt'] as const;

/** Device properties written after a poll; `+=` leaves absent keys alone (lastSuccessAt survives failures). */
function deviceProps(d: DevicePollRecord): Record<string, unknown> {
  const answered = ANSWERED.has(d.status);
  return {
    pollStatus: d.status,
    pollFailures: d.failures,
    lastPollAt: d.at,
    pollDurationMs: d.durationMs,
    pollRequests: d.requests,
    pollVarbinds: d.varbinds,
    ...(answered && { lastSuccessAt: d.at }),
    // The first failed poll after an answered one: the device's readings are stale since then (topology readingAge).
    ...(answered ? { failingSince: null } : d.failures === 1 ? { failingSince: d.startedAt ?? d.at } : {}),
    ...(d.error && { lastErrorAt: d.at, lastErrorStatus: d.status, lastError: d.error.message, lastErrorHint: d.error.hint ?? null }),
  };
}

/**
 * Interface properties: state for the API, and the counters kept for the next rate as one property (`ctr`,
 * kept-counters.ts); the separate counter properties of an earlier version are removed when still there.
 */
function interfaceProps(i: InterfaceResult): Record<string, unknown> {
  return {
    ifIndex: i.ifIndex,
    matchedBy: i.matchedBy,
    ifHighSpeedMbps: i.ifHighSpeedMbps,
    operStatus: i.operStatus,
    lastPolled: i.counters.at,
    inBps: i.inBps ?? null,
    outBps: i.outBps ?? null,
    rateRejected: i.rejected ?? null,
    inErrorsPerSec: i.inErrorsPerSec ?? null,
    outErrorsPerSec: i.outErrorsPerSec ?? null,
    inDiscardsPerSec: i.inDiscardsPerSec ?? null,
    ctr: encodeKeptCounters(i.counters),
    ...(i.dropLegacyCounters && Object.fromEntries(LEGACY_COUNTER_PROPS.map((p) => [p, null]))),
  };
}
