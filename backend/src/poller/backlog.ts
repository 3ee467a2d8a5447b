import type { DevicePollRecord } from '../monitor/types';

/** A cycle Neo4j did not take yet: its records and the time it was judged at. */
export interface PendingCycle {
  records: readonly DevicePollRecord[];
  /** The cycle's judgement time (the poller's clock when it was to be written), ms. */
  now: number;
}

/** What /metrics says about the backlog. */
export interface BacklogStats {
  /** Cycles waiting for Neo4j now. */
  cycles: number;
  /** Judgement time of the oldest waiting cycle, ms; undefined when none waits. */
  oldestAt: number | undefined;
  /** Cycles dropped since start because they fell out of the window (oldest first). */
  droppedCycles: number;
  /** Device polls in those cycles. */
  droppedPolls: number;
}

/**
 * The poll cycles Neo4j could not take (it is away), kept in order until it
 * is back, and written then, oldest first, each with its own judgement time
 * — so a store outage shorter than the window loses no sample. Bounded: a
 * cycle older than `windowMs` before the newest one (or beyond `maxCycles`)
 * is dropped, oldest first, and counted.
 *
 * @example const b = new CycleBacklog(30 * 60_000); b.push({ records, now }); b.peek()
 */
export class CycleBacklog {
  readonly #cycles: PendingCycle[] = [];
  #droppedCycles = 0;
  #droppedPolls = 0;

  /**
   * @param windowMs how much time of cycles is kept, ms (POLL_BUFFER_MINUTES; default 30 min)
   * @param maxCycles a hard ceiling on the count, whatever their times (memory bound)
   */
  constructor(
    readonly windowMs: number,
    readonly maxCycles = 100_000,
  ) {}

  get size(): number {
    return this.#cycles.length;
  }

  /** Appends a cycle; returns the cycles that fell out of the window (already counted). */
  push(cycle: PendingCycle): PendingCycle[] {
    this.#cycles.push(cycle);
    const dropped: PendingCycle[] = [];
    while (this.#cycles.length > this.maxCycles || (this.#cycles.length > 1 && cycle.now - this.#cycles[0]!.now > this.windowMs)) {
      const old = this.#cycles.shift()!;
      this.#droppedCycles++;
      this.#droppedPolls += old.records.length;
      dropped.push(old);
    }
    return dropped;
  }

  /** The oldest waiting cycle. */
  peek(): PendingCycle | undefined {
    return this.#cycles[0];
  }

  /** Removes the oldest (after it was written). */
  shift(): void {
    this.#cycles.shift();
  }

  stats(): BacklogStats {
    return {
      cycles: this.#cycles.length,
      oldestAt: this.#cycles[0]?.now,
      droppedCycles: this.#droppedCycles,
      droppedPolls: this.#droppedPolls,
    };
  }
}
