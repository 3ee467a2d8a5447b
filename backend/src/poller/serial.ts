/**
 * Runs asynchronous work one piece at a time, in call order, so two poll
 * cycles never overlap. A piece that fails rejects its own promise only; the
 * next piece still runs.
 */
export interface SerialQueue {
  /** Runs `work` after every piece queued before it; settles as `work` does. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Resolves when every piece queued so far has settled (never rejects). */
  idle(): Promise<void>;
}

/** @example const q = serialQueue(); void q.run(cycleA); void q.run(cycleB); await q.idle(); // B started after A ended */
export function serialQueue(): SerialQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(work: () => Promise<T>): Promise<T> {
      const p = tail.then(work);
      tail = p.catch(() => undefined);
      return p;
    },
    idle: () => tail.then(() => undefined),
  };
}
