/**
 * Pacing of the whole-network work that follows poll cycles (the live coverage push, the alert
 * evaluation): each judges every link of the plan, so at national size (52,000 links) one takes
 * seconds, while a cycle ends every second. Run back to back, they would keep a core and Neo4j busy
 * all the time, and the cycles' own write transactions (which must fit in the interval) would wait
 * for the CPU. So after a run of `ms` such work rests `REST_FACTOR × ms` — at most a third of the
 * time — and the cycles that end meanwhile share the next run. At Huizhou's size a run takes
 * milliseconds, and so does the rest.
 */
export const REST_FACTOR = 2;

/** Resolves after the rest due to a run of `ms` (an unref'd timer: it never keeps the process up). */
export function restAfter(ms: number): Promise<void> {
  const rest = Math.max(0, Math.round(REST_FACTOR * ms));
  return new Promise((resolve) => setTimeout(resolve, rest).unref());
}
