import type { Logger } from 'pino';
import type { RetentionOptions, RetentionResult } from '../monitor/retention';
import type { CycleResult, DeviceSchedule, SchedulerView } from '../monitor/types';
import type { Store } from '../neo4j/store';
import type { SnmpProfile } from '../snmp/profiles';
import type { SnmpTarget } from '../snmp/session';
import type { Shard } from './shard';
import type { TargetResolver } from './targets';
import type { BacklogStats } from './backlog';

/** The poller's options and interface (implementation: poller.ts). */

export interface PollerOptions {
  store: Store;
  /** hostname → agent address; in tests the lab's loopback ports, in production mgmtAddress:161. */
  targets: TargetResolver | ReadonlyMap<string, SnmpTarget>;
  /** Credentials by profile name (the plan's `snmpProfile`). */
  profiles: ReadonlyMap<string, SnmpProfile>;
  /** ms since the epoch. Default Date.now. */
  clock?: () => number;
  /** Default 60 000 ms. */
  intervalMs?: number;
  /** Per-device interval, ms; default `intervalMs` for all. */
  intervalFor?: (hostname: string) => number;
  /** Devices polled at once. Default 16. */
  concurrency?: number;
  /** Per SNMP attempt, ms. Default 2000. */
  timeoutMs?: number;
  /** Default 1. */
  retries?: number;
  /** Ceiling of the back-off of failing devices. Default 900 000 ms. */
  maxBackoffMs?: number;
  /** Shortest time between two scheduled cycles: polls due within it are batched. Default 1000 ms. */
  batchWindowMs?: number;
  /** Default: all devices. */
  shard?: Shard;
  /** End states older than this are stale (links "not-polled"). Default 3 × intervalMs. */
  maxAgeMs?: number;
  /** GETBULK ceiling. Default the session's (25). */
  maxRepetitions?: number;
  /** History retention; `maintenance` (default: on in shard 0) runs the daily rollup and pruning. */
  history?: Partial<Omit<RetentionOptions, 'now'>> & { maintenance?: boolean };
  onCycle?: (cycle: CycleResult) => void;
  log?: Logger;
  /** How much time of cycles is held while Neo4j is away, written in order when it is back; older ones are dropped. Default 30 min. */
  bufferWindowMs?: number;
}

export type { DeviceSchedule } from '../monitor/types';

/** The scheduler; as a {@link SchedulerView} it is what the monitor API reads. */
export interface Poller extends SchedulerView {
  readonly clock: () => number;
  readonly intervalMs: number;
  readonly maxAgeMs: number;
  readonly shard: Shard;
  /** Runs the scheduling loop on real timers until `stop()` (expects a real-time clock; tests step `tick()` instead). */
  start(): void;
  /** Stops the loop, waits for the running cycle, closes every session. */
  stop(): Promise<void>;
  /** Polls every device of the shard now (or the named ones), as one cycle. */
  pollOnce(opts?: { hostnames?: readonly string[] }): Promise<CycleResult>;
  /** Polls the devices due at `clock()`, as one cycle; undefined when none is due. */
  tick(): Promise<CycleResult | undefined>;
  /** Adds a cycle listener; returns its remover. */
  onCycle(listener: (cycle: CycleResult) => void): () => void;
  devices(): DeviceSchedule[];
  lastCycle(): CycleResult | undefined;
  /** Daily rollup and pruning of the history now. */
  maintain(): Promise<RetentionResult>;
  /** The cycles held while Neo4j is away, and those dropped beyond the window. */
  backlog(): BacklogStats;
}
