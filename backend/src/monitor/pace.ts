/**
 * Pacing of the whole-network work that follows poll cycles (the live coverage push, the alert
 * evaluation): each judges every link of the plan, so at national size (52,000 links) one takes
 * seconds, while a cycle ends every second. Run back to back, they would keep a core and Neo4j busy
 * all the time, and the cycles' own write transactions (which must fit in the interval) would wait
 * for the CPU. So after a run of `ms` such work rests `REST_FACTOR × ms` — at most a fifth of the
 * time — and the cycles that end meanwhile share the next run. At Huizhou's size a run takes
 * milliseconds, and so does the rest. At national size an alert evaluation takes ~3 s: one starts
 * every ~15 s, four a 60 s interval, each judging every link on its latest reading (a link's reading
 * changes once an interval). With a rest of twice the run (a third of the time) there were five or
 * six, and the interval's writes took ~4 s longer on 2 cores (README, *Scale*).
 *
 * The rest only makes room for cycles: it ends early once none has ended for {@link QUIET_MS} (the
 * poller is between intervals, or idle), so the run due after an interval's last cycle starts then,
 * not after a rest that no cycle uses.
 */
export const REST_FACTOR = 4;

/**
 * No cycle for this long and the rest ends: three of the poller's default batching windows (1 s), in
 * which a poller at work ends a cycle each.
 */
export const QUIET_MS = 3_000;

/**
 * Runs `work(at)` after poll cycles, paced (see above): `request(at)` after a cycle that ended at
 * `at` (ms since the epoch) runs it now, or — while a run or its rest is under way — once, after the
 * rest, for the latest `at` requested meanwhile. `noteCycle()` tells it of a cycle that needs no run
 * (the rest ends only when no cycle at all has ended for {@link QUIET_MS}).
 */
export class CycleFollower {
  readonly #work: (at: number) => Promise<void>;
  readonly #onError: (e: Error) => void;
  readonly #quietMs: number;
  #pendingAt: number | undefined;
  /** performance.now() at the last cycle's end. */
  #lastCycle = -Infinity;
  /** The loop of runs and rests, while one is under way. */
  #running: Promise<void> | undefined;
  /** Whether a run (not its rest) is under way. */
  #working = false;
  /** `idle` callers, told when a run ends. */
  #waiters: Array<() => void> = [];
  #wake: (() => void) | undefined;
  #stopped = false;

  constructor(work: (at: number) => Promise<void>, onError: (e: Error) => void, opts: { quietMs?: number } = {}) {
    this.#work = work;
    this.#onError = onError;
    this.#quietMs = opts.quietMs ?? QUIET_MS;
  }

  noteCycle(): void {
    this.#lastCycle = performance.now();
  }

  request(at: number): void {
    this.noteCycle();
    if (this.#stopped) return;
    this.#pendingAt = Math.max(this.#pendingAt ?? -Infinity, at);
    this.#running ??= this.#loop();
  }

  /** Resolves when no run is under way or due (a rest after the last one may still be). */
  async idle(): Promise<void> {
    while (this.#running && (this.#working || this.#pendingAt !== undefined)) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** Ends the rest under way: the run still due starts at once (`idle` waits for it). */
  wake(): void {
    this.#wake?.();
  }

  /** No run starts after this; the one under way finishes, and its rest is cut short. */
  stop(): void {
    this.#stopped = true;
    this.#pendingAt = undefined;
    this.wake();
  }

  async #loop(): Promise<void> {
    try {
      while (this.#pendingAt !== undefined && !this.#stopped) {
        const at = this.#pendingAt;
        this.#pendingAt = undefined;
        const started = performance.now();
        this.#working = true;
        try {
          await this.#work(at);
        } catch (e) {
          this.#onError(e as Error);
        } finally {
          this.#working = false;
          this.#tellWaiters();
        }
        await this.#rest(performance.now() - started);
      }
    } finally {
      // In the step that found nothing due: a request after it starts a new loop.
      this.#running = undefined;
      this.#tellWaiters();
    }
  }

  #tellWaiters(): void {
    for (const w of this.#waiters.splice(0)) w();
  }

  /** The rest after a run of `ms`: `REST_FACTOR × ms`, ended when no cycle has ended for the quiet time, or by `wake`. */
  #rest(ms: number): Promise<void> {
    const until = performance.now() + REST_FACTOR * ms;
    return new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const end = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const check = () => {
        const now = performance.now();
        const quietAt = this.#lastCycle + this.#quietMs;
        if (this.#stopped || now >= until || now >= quietAt) return end();
        // An unref'd timer: a rest never keeps the process up.
        timer = setTimeout(check, Math.ceil(Math.min(until, quietAt) - now)).unref();
      };
      this.#wake = end;
      check();
    });
  }
}
