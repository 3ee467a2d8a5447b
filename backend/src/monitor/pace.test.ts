import { describe, expect, it } from 'vitest';
import { CycleFollower, REST_FACTOR } from './pace';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A follower whose runs take `runMs` each and are recorded: the `at` judged, when it started and ended. */
function follower(runMs: number, quietMs: number) {
  const runs: Array<{ at: number; start: number; end: number }> = [];
  const errors: string[] = [];
  const f = new CycleFollower(
    async (at) => {
      const start = performance.now();
      await sleep(runMs);
      runs.push({ at, start, end: performance.now() });
      if (at < 0) throw new Error(`bad ${at}`);
    },
    (e) => errors.push(e.message),
    { quietMs },
  );
  return { f, runs, errors };
}

/** Ends a cycle every `everyMs` until `untilMs` from now (noteCycle: no run asked). */
async function cyclesFor(f: CycleFollower, everyMs: number, untilMs: number): Promise<void> {
  const end = performance.now() + untilMs;
  while (performance.now() < end) {
    f.noteCycle();
    await sleep(everyMs);
  }
}

describe('CycleFollower: whole-network work after poll cycles, paced', () => {
  it('runs at once, and the cycles that end during a run share the next one, at the latest end', async () => {
    const { f, runs } = follower(60, 10_000);
    f.request(1);
    await sleep(10);
    f.request(2);
    f.request(4);
    f.request(3);
    await f.idle();
    expect(runs.map((r) => r.at)).toEqual([1, 4]);
  });

  it('rests REST_FACTOR × the run while cycles keep ending', async () => {
    const { f, runs } = follower(80, 200);
    f.request(1);
    f.request(2); // due after the first run's rest
    await cyclesFor(f, 20, 500);
    await f.idle();
    expect(runs.map((r) => r.at)).toEqual([1, 2]);
    const ranFor = runs[0]!.end - runs[0]!.start;
    expect(runs[1]!.start - runs[0]!.end).toBeGreaterThanOrEqual(REST_FACTOR * ranFor - 5);
  });

  it('ends the rest once no cycle has ended for the quiet time', async () => {
    const { f, runs } = follower(300, 40);
    f.request(1);
    await sleep(20);
    f.request(2); // the last cycle: 40 ms later the poller is quiet, long before a 600 ms rest is over
    await f.idle();
    expect(runs.map((r) => r.at)).toEqual([1, 2]);
    const waited = runs[1]!.start - runs[0]!.end;
    expect(waited).toBeLessThan(150);
  });

  it('idle waits for a run due after the rest, not for the rest after the last run', async () => {
    const { f, runs } = follower(100, 10_000);
    f.request(1);
    await sleep(10);
    f.request(2);
    const t = performance.now();
    await f.idle();
    expect(runs.map((r) => r.at)).toEqual([1, 2]);
    // Run, rest of ~200 ms, run; and not the ~200 ms rest after the second run.
    expect(performance.now() - t).toBeLessThan(100 + REST_FACTOR * 100 + 100 + 150);
  });

  it('reports a failed run and goes on with the next', async () => {
    const { f, runs, errors } = follower(5, 0);
    f.request(-1);
    await f.idle();
    f.request(7);
    await f.idle();
    expect(runs.map((r) => r.at)).toEqual([-1, 7]);
    expect(errors).toEqual(['bad -1']);
  });

  it('wake starts the run still due at once; after stop nothing runs', async () => {
    const { f, runs } = follower(200, 10_000);
    f.request(1);
    await sleep(10);
    f.request(2);
    await sleep(250); // first run over, resting (~400 ms)
    expect(runs.map((r) => r.at)).toEqual([1]);
    f.wake();
    await f.idle();
    expect(runs.map((r) => r.at)).toEqual([1, 2]);
    expect(runs[1]!.start - runs[0]!.end).toBeLessThan(150);
    f.stop();
    f.request(3);
    await f.idle();
    await sleep(50);
    expect(runs.map((r) => r.at)).toEqual([1, 2]);
  });
});
