import type { CounterRejection, DeviceStatus, LinkState, MatchedBy, OperStatus, RowTime } from '@extranet/topology';

/**
 * The data a poll cycle produces and the monitor persists: the closed set of
 * device statuses, one record per polled device, one update per link whose
 * state was recomputed. Units: times in ms since the epoch, rates in **bps**,
 * capacities and targets in **Mbps**, percentages in percent of capacity.
 *
 * This module imports nothing from the poller: the poller produces these
 * values (poller/sample.ts, poller/poll-device.ts) and the monitor's stores
 * write them, so both depend on it and it depends on neither.
 */

/** The closed set of device statuses (declared in topology/src/monitor/device-status.ts, shared with the UI). */
export { DEVICE_STATUSES, type DeviceStatus } from '@extranet/topology';
/** Statuses in which the agent answered (its interfaces were read). */
export const ANSWERED: ReadonlySet<DeviceStatus> = new Set(['ok', 'no-such-interface']);

/** What is kept of one interface between polls (in memory, and on the Interface node across restarts). */
/** The counters of an interface that a poll keeps, each with its own {@link RowTime}. */
export type CounterName = 'inOctets' | 'outOctets' | 'inErrors' | 'outErrors' | 'inDiscards';

export interface CounterState {
  /** Local receipt time of the read's first reply, ms. */
  at: number;
  ifIndex: number;
  /** sysUpTime of the read's first reply, cs. */
  uptimeCs: bigint;
  /**
   * Per counter, the sysUpTime and receipt time of the reply that carried its
   * row; the rates use these. Absent (state kept by an older version): `uptimeCs`/`at`.
   */
  times?: Partial<Record<CounterName, RowTime>>;
  /** ifCounterDiscontinuityTime, cs. */
  discontinuityCs: bigint;
  inOctets: bigint;
  outOctets: bigint;
  width: 32 | 64;
  /** ifHighSpeed, Mbps; 0 = unknown. */
  speedMbps: number;
  /** ifInErrors, ifOutErrors, ifInDiscards (Counter32); absent in state kept by an older version. */
  inErrors?: bigint;
  outErrors?: bigint;
  inDiscards?: bigint;
  /** Read back from the separate `ctr*` properties of an earlier version, which the next write of the interface removes. */
  legacyProps?: true;
}

export type RateRejection = CounterRejection | 'first-sample' | 'gap-too-long';

/** One plan interface after a poll. */
export interface InterfaceResult {
  /** `hostname|ifName`, the Interface node's key. */
  key: string;
  /** The plan's name for it. */
  ifName: string;
  ifIndex: number;
  matchedBy: MatchedBy;
  /** ifIndex moved since the previous poll (a reboot renumbered the table). */
  reindexed: boolean;
  /** ifHighSpeed, Mbps (0 = the agent does not know). */
  ifHighSpeedMbps: number;
  operStatus: OperStatus;
  /** Received, bps; absent when the interval was rejected. */
  inBps?: number;
  /** Sent, bps; absent when the interval was rejected. */
  outBps?: number;
  rejected?: RateRejection;
  rejectedDetail?: string;
  /**
   * Packets per second over the same interval, from ifInErrors, ifOutErrors and
   * ifInDiscards (Counter32, one wrap allowed, bounded by the minimum-frame
   * rate). Only when the octet rates were accepted; each absent when its own
   * counter pair was rejected or not kept.
   */
  inErrorsPerSec?: number;
  outErrorsPerSec?: number;
  inDiscardsPerSec?: number;
  counters: CounterState;
  /** The Interface node still holds the counters' separate properties of an earlier version: this write removes them. */
  dropLegacyCounters?: true;
}

/** One poll of one device. */
export interface DevicePollRecord {
  hostname: string;
  /** When the poll finished, ms. */
  at: number;
  /** When the poll started, and when the device was due on its grid, ms (set by the scheduler; start − due = lateness). */
  startedAt?: number;
  dueAt?: number;
  status: DeviceStatus;
  durationMs: number;
  /** SNMP requests sent in this poll (snmp_scrape_packets_sent). */
  requests: number;
  /** Varbinds received (snmp_scrape_pdus_returned). */
  varbinds: number;
  /** Consecutive failed polls, this one included; 0 after an answered poll. */
  failures: number;
  /** Set when status is not `ok`; never carries a secret. */
  error?: { message: string; hint?: string };
  /** Plan interfaces read (empty when the device did not answer). */
  interfaces: InterfaceResult[];
}

/** A link's state after a cycle, as kept on the Link node (times in ms); `linkUpdateToWire` gives what live clients get. */
export type LinkUpdate = LinkState<number>;

/** What one cycle did; handed to `onCycle` listeners (live push, logs). */
export interface CycleResult {
  /** When the cycle started and ended, ms (injected clock). */
  startedAt: number;
  endedAt: number;
  devices: DevicePollRecord[];
  links: LinkUpdate[];
  /** Samples appended to the history. */
  samplesWritten: number;
  /** The cycle's number among every process's cycles (`(:CycleMeta).seq`); absent when it was not stored. */
  seq?: number;
  /** Wall time of the polls (first start to last end) and of the write transaction, ms. */
  pollMs: number;
  storeMs: number;
  /** Set when the cycle's write transaction failed (Neo4j down): the cycle's samples are lost, polling goes on. */
  storeError?: string;
}

/** A device as the scheduler sees it, for the API and /metrics. */
export interface DeviceSchedule {
  hostname: string;
  site: string;
  /** ms. */
  intervalMs: number;
  /** ms since the epoch. */
  nextDueAt: number;
  failures: number;
  last: DevicePollRecord | undefined;
  /** Failed polls per status since the process started. */
  errorsTotal: ReadonlyMap<string, number>;
}

/**
 * What the monitor's API reads of a running scheduler (the poller's `Poller`
 * has this shape), so the API can take a scheduler without importing the poller.
 */
export interface SchedulerView {
  /** ms since the epoch. */
  readonly clock: () => number;
  /** End states older than this are stale, ms. */
  readonly maxAgeMs: number;
  devices(): DeviceSchedule[];
}
