import type { CycleResult, DevicePollRecord } from '../monitor/types';
import type { DeviceRuntime } from './poll-device';
import { CycleBacklog } from './backlog';

/**
 * What the scheduler keeps while it runs, shared by its steps (plan refresh,
 * cycle, loop). Times in ms since the epoch, from the poller's one clock.
 */
export interface SchedulerState {
  /** The devices of this shard, by hostname. */
  runtimes: Map<string, DeviceRuntime>;
  /** Start of every device's grid: the clock at the first placement, kept for the life of the poller. */
  anchor: number | undefined;
  /** When the plan was last read, or its reading last failed; -Infinity before the first read. */
  planLoadedAt: number;
  /** The monitor's schema exists (created once, retried until it is). */
  schemaReady: boolean;
  /** Calendar day of the last history maintenance. */
  maintainedDay: string | undefined;
  lastCycle: CycleResult | undefined;
  listeners: Set<(cycle: CycleResult) => void>;
  /** Polls running now, by hostname (launch.ts). */
  inFlight: Map<string, Promise<DevicePollRecord>>;
  /** Records of polls that ended and await their cycle. */
  finished: DevicePollRecord[];
  /** Poll slots taken, and the polls waiting for one. */
  slotsInUse: number;
  slotWaiters: Array<() => void>;
  /** Called when a poll ends (the loop wakes to store a record its cycle did not wait for). */
  onFinished: (() => void) | undefined;
  /** Cycles Neo4j did not take yet (it was away), oldest first. */
  backlog: CycleBacklog;
}

export function newSchedulerState(bufferWindowMs: number): SchedulerState {
  return {
    runtimes: new Map(),
    anchor: undefined,
    planLoadedAt: -Infinity,
    schemaReady: false,
    maintainedDay: undefined,
    lastCycle: undefined,
    listeners: new Set(),
    inFlight: new Map(),
    finished: [],
    slotsInUse: 0,
    slotWaiters: [],
    onFinished: undefined,
    backlog: new CycleBacklog(bufferWindowMs),
  };
}
