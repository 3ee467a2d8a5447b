import { isIPv6 } from 'node:net';
import snmp from 'net-snmp';
import type { Logger } from 'pino';
import { classifySnmpError, isTooBig, SnmpError } from './errors';
import { compareOids, instanceOf, isUnder } from './oid';
import type { SnmpProfile } from './profiles';
import { AdaptiveRepetitions } from './repetitions';
import { targetDgram } from './target-socket';
import { usmUser } from './usm';
import { decodeVarbind, isException, type Varbind } from './varbind';

/**
 * The one module that owns net-snmp client sessions. Everything else in the
 * backend talks SNMP through {@link SnmpSession}: requests, GETBULK table walks
 * with adaptive repetitions and a GETNEXT fallback, error classification.
 * Values come back raw (Counter64 as exact BigInt); rate math lives in topology.
 */

/** Where an agent listens. */
export interface SnmpTarget {
  host: string;
  /** UDP port; 161 on real devices, 16100 + i in the lab. */
  port: number;
}

export interface SessionOptions {
  /** Wait per attempt, in ms. Default 2000. */
  timeoutMs?: number;
  /** Resends after the first attempt (same request id). Default 1. */
  retries?: number;
  /** Ceiling of GETBULK max-repetitions; the session adapts below it. Default 25 (snmp_exporter's). */
  maxRepetitions?: number;
  /**
   * `auto` (default): GETBULK; after two bulk failures (timeout or error) that a
   * GETNEXT retry survives, the session uses GETNEXT for the rest of its life.
   * `never`: GETNEXT only, for agents known to be broken on bulk.
   */
  bulk?: 'auto' | 'never';
  /** Receives warnings (malformed packets, fallback to GETNEXT); never secrets. */
  log?: Logger;
}

/** Counters of what a session did, for metrics (`snmp_scrape_packets_sent` …) and tests. */
export interface SessionStats {
  /** Requests sent (retries of one request not counted: net-snmp hides them). */
  requests: number;
  getRequests: number;
  bulkRequests: number;
  nextRequests: number;
  /** Varbinds received in responses. */
  varbinds: number;
  /** Messages that could not be parsed and were dropped. */
  malformed: number;
  /** Datagrams from another address or port than the agent's, dropped unread. */
  stray: number;
  /** Current adaptive max-repetitions. */
  maxRepetitions: number;
  /** False once the session has fallen back to GETNEXT (or was opened with bulk: 'never'). */
  bulk: boolean;
}

/** Rows of each walked column: column OID → (instance suffix, e.g. "5" → varbind). */
export type ColumnRows = Map<string, Map<string, Varbind>>;

/** What {@link SnmpSession.walk} reads: scalars by GETNEXT (the GETBULK non-repeaters) and whole columns. */
export interface WalkRequest {
  /**
   * OIDs whose *next* object is read once, in the first request (GETBULK
   * non-repeaters), e.g. `1.3.6.1.2.1.1.3` → sysUpTime.0. Saves the separate GET.
   */
  next?: readonly string[];
  /** Column OIDs (…Entry.column), numeric, walked to their end. */
  columns: readonly string[];
  /**
   * An object whose next instance is asked in EVERY request of the walk, as a
   * GETBULK non-repeater (a GETNEXT varbind after a fallback), e.g. sysUpTime
   * `1.3.6.1.2.1.1.3`: each reply then carries the agent's own time of its rows,
   * so a late reply or a retry cannot skew a rate (see {@link WalkResult.replies}).
   */
  stamp?: string;
}

/** One reply of a walk: the `stamp` varbind it carried and when it arrived (ms, the walk's clock). */
export interface WalkReply {
  stamp: Varbind | undefined;
  at: number;
}

export interface WalkResult {
  /** The varbind that follows each of `next`, in order (may be an exception such as endOfMibView: check it). */
  next: Varbind[];
  columns: ColumnRows;
  /** Every reply in order (with its `stamp` varbind when the request asked one). */
  replies: WalkReply[];
  /** Column OID → (instance suffix → index into `replies` of the reply that carried the row). */
  replyOf: Map<string, Map<string, number>>;
}

export interface WalkOptions {
  /** Ceiling of max-repetitions for this walk (default: the session's). */
  maxRepetitions?: number;
  /** Called when the answer to `next` arrives (to timestamp scalars such as sysUpTime). */
  onNext?: () => void;
  /** Timestamps each reply (`WalkReply.at`), ms; default Date.now. */
  clock?: () => number;
}

export interface SnmpSession {
  readonly target: SnmpTarget;
  /**
   * GET of scalar or instance OIDs, in order.
   * @throws SnmpError `no-such-object` if any is not implemented; other kinds as classified
   */
  get(oids: readonly string[]): Promise<Varbind[]>;
  /**
   * Walks several table columns at once with multi-column GETBULK: each column
   * continues from its own last OID and stops when it leaves its subtree or hits
   * endOfMibView; short responses (agents capping varbinds) are continued, not
   * mistaken for the end.
   * @param columns column OIDs (…Entry.column), numeric
   * @param opts.maxRepetitions ceiling for this walk (default: the session's)
   */
  bulkColumns(columns: readonly string[], opts?: { maxRepetitions?: number }): Promise<ColumnRows>;
  /**
   * {@link bulkColumns} plus scalars in the same first request: `next` OIDs go
   * as GETBULK non-repeaters (as GETNEXT varbinds when the session has fallen
   * back), so a poll of sysUpTime and a table costs no extra round trip.
   */
  walk(request: WalkRequest, opts?: WalkOptions): Promise<WalkResult>;
  stats(): SessionStats;
  /** Closes the socket; pending requests fail with `protocol`. Idempotent. */
  close(): void;
}

/** Bulk failures (each rescued by GETNEXT) before a session stops trying bulk. */
const BULK_FAILURES_BEFORE_FALLBACK = 2;
/** Rows per column before a walk is declared runaway (a looping agent). */
const MAX_ROWS_PER_COLUMN = 100_000;

type RawCallback<T> = (error: Error | null, result: T) => void;

class NetSnmpSession implements SnmpSession {
  readonly target: SnmpTarget;
  readonly #name: string;
  readonly #session: snmp.Session;
  readonly #log: Logger | undefined;
  readonly #maxRepetitions: number;
  readonly #reps: AdaptiveRepetitions;
  readonly #stats = { requests: 0, getRequests: 0, bulkRequests: 0, nextRequests: 0, varbinds: 0, malformed: 0, stray: 0 };
  #bulk: boolean;
  #bulkFailures = 0;
  #closed = false;

  constructor(target: SnmpTarget, profile: SnmpProfile, options: SessionOptions) {
    this.target = target;
    this.#name = isIPv6(target.host) ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
    this.#log = options.log;
    this.#maxRepetitions = options.maxRepetitions ?? 25;
    this.#reps = new AdaptiveRepetitions(this.#maxRepetitions);
    this.#bulk = options.bulk !== 'never';
    const common: snmp.SessionOptions = {
      port: target.port,
      timeout: options.timeoutMs ?? 2000,
      retries: options.retries ?? 1,
      backoff: 1,
      transport: isIPv6(target.host) ? 'udp6' : 'udp4',
      // Only the agent's own address and port are heard: net-snmp matches a reply by request id alone.
      dgramModule: targetDgram(target, (from) => {
        this.#stats.stray++;
        this.#log?.debug(
          { target: this.#name, from: `${from.address}:${from.port}`, bytes: from.size },
          'datagram not from the agent dropped',
        );
      }),
    };
    // The version is always explicit: net-snmp defaults to SNMPv1 (no Counter64, no GETBULK).
    this.#session =
      profile.version === '2c'
        ? snmp.createSession(target.host, profile.community, { ...common, version: snmp.Version2c })
        : snmp.createV3Session(target.host, usmUser(profile), { ...common, version: snmp.Version3 });
    // Without an 'error' listener a malformed datagram would crash the process.
    this.#session.on('error', (error) => {
      this.#stats.malformed++;
      this.#log?.warn({ target: this.#name, err: error.message }, 'malformed SNMP message dropped');
    });
  }

  async get(oids: readonly string[]): Promise<Varbind[]> {
    try {
      this.#stats.getRequests++;
      const raw = await this.#raw<snmp.VarBind[]>((cb) => this.#session.get([...oids], cb));
      this.#stats.varbinds += raw.length;
      const varbinds = raw.map(decodeVarbind);
      const missing = varbinds.filter(isException);
      if (missing.length > 0) {
        throw new SnmpError('no-such-object', this.#name, `not implemented: ${missing.map((m) => m.oid).join(', ')}`, {
          reason: missing[0]?.type,
        });
      }
      return varbinds;
    } catch (e) {
      throw classifySnmpError(e, this.#name);
    }
  }

  async bulkColumns(columns: readonly string[], opts: { maxRepetitions?: number } = {}): Promise<ColumnRows> {
    return (await this.walk({ columns }, opts)).columns;
  }

  async walk(request: WalkRequest, opts: WalkOptions = {}): Promise<WalkResult> {
    this.#reps.setCeiling(opts.maxRepetitions ?? this.#maxRepetitions);
    const { columns } = request;
    let pendingNext = request.next ?? [];
    const { stamp } = request;
    const clock = opts.clock ?? Date.now;
    const result: WalkResult = { next: [], columns: new Map(), replies: [], replyOf: new Map() };
    const walks = columns.map((root) => {
      const rows = new Map<string, Varbind>();
      const replyOf = new Map<string, number>();
      result.columns.set(root, rows);
      result.replyOf.set(root, replyOf);
      return { root, last: '', done: false, rows, replyOf };
    });
    try {
      for (;;) {
        const active = walks.filter((w) => !w.done);
        if (active.length === 0 && pendingNext.length === 0) return result;
        const stamps = stamp === undefined ? 0 : 1;
        const scalars = pendingNext.length + stamps;
        const from = active.map((w) => (w.last === '' ? w.root : `${w.root}.${w.last}`));
        const head = stamp === undefined ? pendingNext : [stamp, ...pendingNext];
        const answer = await this.#step(scalars === 0 ? from : [...head, ...from], scalars);
        const reply = result.replies.length;
        let stampVb: Varbind | undefined;
        if (stamps > 0) {
          const raw = answer[0]?.[0];
          if (raw === undefined) throw new SnmpError('protocol', this.#name, `no answer for ${stamp}`);
          stampVb = decodeVarbind(raw);
        }
        result.replies.push({ stamp: stampVb, at: clock() });
        let progressed = false;
        if (pendingNext.length > 0) {
          for (let k = 0; k < pendingNext.length; k++) {
            const raw = answer[stamps + k]?.[0];
            if (raw === undefined) throw new SnmpError('protocol', this.#name, `no answer for ${pendingNext[k]}`);
            result.next.push(decodeVarbind(raw));
          }
          pendingNext = [];
          progressed = true;
          opts.onNext?.();
        }
        for (let i = 0; i < active.length; i++) {
          const walk = active[i]!;
          const rows = answer[scalars + i];
          const n = rows?.length ?? 0;
          for (let r = 0; r < n; r++) {
            const vb = decodeVarbind(rows![r]!);
            // Leaving the subtree, an exception, or a non-increasing OID (buggy agents
            // loop) all end this column; later repetitions for it are beyond its end.
            if (isException(vb) || !isUnder(walk.root, vb.oid)) {
              walk.done = true;
              break;
            }
            // Rows of one column share its OID up to the instance: compare instances only.
            const index = instanceOf(walk.root, vb.oid);
            if (walk.last !== '' && compareOids(index, walk.last) <= 0) {
              walk.done = true;
              break;
            }
            walk.rows.set(index, vb);
            walk.replyOf.set(index, reply);
            walk.last = index;
            if (walk.rows.size > MAX_ROWS_PER_COLUMN) throw new SnmpError('protocol', this.#name, `runaway walk of ${walk.root}`);
          }
          if (walk.done || n > 0) progressed = true;
        }
        if (!progressed) throw new SnmpError('protocol', this.#name, 'agent answered without advancing any column');
      }
    } catch (e) {
      throw classifySnmpError(e, this.#name);
    }
  }

  stats(): SessionStats {
    return { ...this.#stats, maxRepetitions: this.#reps.current, bulk: this.#bulk };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#session.close();
  }

  /**
   * One step of a walk: the next rows of each still-active column, GETBULK or
   * GETNEXT. The first `nonRepeaters` OIDs are read once (one varbind each).
   * Always one array per requested OID.
   */
  async #step(oids: string[], nonRepeaters = 0): Promise<snmp.VarBind[][]> {
    if (!this.#bulk) return this.#next(oids);
    try {
      this.#stats.bulkRequests++;
      const reps = this.#reps.current;
      const answer = await this.#raw<Array<snmp.VarBind[] | snmp.VarBind>>((cb) => this.#session.getBulk(oids, nonRepeaters, reps, cb));
      let varbinds = 0;
      const rows = answer.map((a, k) => {
        // net-snmp hands non-repeaters back as single varbinds, repeaters as arrays.
        const list = k < nonRepeaters ? (a === undefined ? [] : [a as snmp.VarBind]) : ((a as snmp.VarBind[] | undefined) ?? []);
        varbinds += list.length;
        return list;
      });
      this.#stats.varbinds += varbinds;
      this.#reps.succeed();
      this.#bulkFailures = 0;
      return rows;
    } catch (e) {
      if (isTooBig(e) && this.#reps.current > 1) {
        this.#reps.shrink();
        return this.#step(oids, nonRepeaters);
      }
      const error = classifySnmpError(e, this.#name);
      if (error.kind !== 'timeout' && error.kind !== 'protocol') throw error;
      this.#reps.shrink();
      // Retry this step with GETNEXT: if the agent is simply gone this throws the timeout.
      const answer = await this.#next(oids);
      if (++this.#bulkFailures >= BULK_FAILURES_BEFORE_FALLBACK) {
        this.#bulk = false;
        this.#log?.warn({ target: this.#name, cause: error.kind }, 'agent fails on GETBULK; using GETNEXT for this session');
      }
      return answer;
    }
  }

  async #next(oids: string[]): Promise<snmp.VarBind[][]> {
    this.#stats.nextRequests++;
    const raw = await this.#raw<snmp.VarBind[]>((cb) => this.#session.getNext(oids, cb));
    this.#stats.varbinds += raw.length;
    return raw.map((vb) => [vb]);
  }

  /** Promise around a net-snmp call; rejects with net-snmp's raw error (classified by the caller). */
  #raw<T>(call: (cb: RawCallback<T>) => void): Promise<T> {
    if (this.#closed) return Promise.reject(new SnmpError('protocol', this.#name, 'session is closed'));
    this.#stats.requests++;
    return new Promise<T>((resolve, reject) => {
      try {
        call((error, result) => (error ? reject(error) : resolve(result)));
      } catch (e) {
        reject(e);
      }
    });
  }
}

/**
 * Opens a session to one agent. One UDP socket per session (net-snmp fixes the
 * target per session): open one per device and close it when done.
 *
 * @param target agent address and UDP port
 * @param profile credentials; v2c or v3 (v3 discovers the engine on the first request)
 * @param options timeout 2000 ms, 1 retry, maxRepetitions 25, bulk 'auto' by default
 * @example
 * const s = openSession({ host: '127.0.0.1', port: 16100 }, profile, { timeoutMs: 1000 });
 * try { const [up] = await s.get(['1.3.6.1.2.1.1.3.0']); } finally { s.close(); }
 */
export function openSession(target: SnmpTarget, profile: SnmpProfile, options: SessionOptions = {}): SnmpSession {
  return new NetSnmpSession(target, profile, options);
}
