import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../backend/src/lab/lab';
import { interfaceTiers, ifKey } from '../../backend/src/lab/shortfalls';
import { minuteUtilization, newCounters } from '../../backend/src/lab/traffic';
import { newDeviceRuntime, pollDevice } from '../../backend/src/poller/poll-device';
import { DEVICES, startTestLab, V2C, V3 } from './lab-fixture';

/**
 * Replies delayed unevenly (the lab's `slow-reply` fault: about half the
 * requests answered 0–2 s late, at random): every counter is timed by the
 * sysUpTime of its own reply, so the rates stay within 0.5 % of the traffic
 * the lab generated — for the interfaces of every request of the poll, not
 * only the first. Real timers; the lab's clock steps in whole centiseconds
 * (as sysUpTime does) inside one minute, where its traffic is constant.
 */
const SEED = 5;
const start = Date.now();
// A minute boundary, so the whole test falls in one minute of the lab's traffic model.
const T0 = Date.parse('2025-03-04T02:00:00Z');
const clock = () => T0 + Math.floor((Date.now() - start) / 10) * 10;
let lab: Lab;

beforeAll(async () => {
  ({ lab } = await startTestLab({ clock, seed: SEED, counter32Only: ['old-32'], brokenBulk: ['twp-down'] }));
});
afterAll(async () => {
  await lab?.stop();
});

/**
 * The traffic the lab generates on an interface this minute, bits per second (traffic.ts: constant within
 * a minute, drawn against the ifHighSpeed it serves — below plan on the lab's shortfalls).
 */
function generated(hostname: string, ifName: string, mbps: number): { inBps: number; outBps: number } {
  const tier = interfaceTiers(DEVICES).get(ifKey(hostname, ifName))!;
  const c = newCounters(`${SEED}/${hostname}/${ifName}`, tier, T0);
  const inBps = mbps * 1e6 * minuteUtilization(c, Math.floor(T0 / 60_000), false);
  return { inBps, outBps: inBps * c.outRatio };
}

describe('uneven replies', () => {
  it('keep every rate within 0.5 % of the generated traffic, v2c and v3, 64- and 32-bit, over many polls', async () => {
    const cases = [
      { hostname: 'hz-core', profile: V3 }, // GETBULK, a row per request (the lab caps a response at max-repetitions varbinds)
      { hostname: 'twp-down', profile: V2C }, // GETNEXT only (an agent broken on bulk)
      { hostname: 'old-32', profile: V2C }, // the 32-bit fallback walk
    ];
    for (const { hostname } of cases) lab.setFault(hostname, undefined, 'slow-reply', true);
    const POLLS = 5;
    const INTERVAL = 3000;
    const results = await Promise.all(
      cases.map(async ({ hostname, profile }) => {
        const device = DEVICES.find((d) => d.hostname === hostname)!;
        const rt = newDeviceRuntime(device, INTERVAL);
        const ctx = {
          clock,
          target: lab.targets.get(hostname),
          profile,
          // Longer than the longest delay: a late reply is late, not lost (a resend is covered by the per-reply time too).
          session: { timeoutMs: 2500, retries: 1, maxRepetitions: 10, ...(hostname === 'twp-down' && { bulk: 'never' as const }) },
          maxGapMs: 60_000,
        };
        const errors: number[] = [];
        let requests = 0;
        for (let k = 0; k < POLLS; k++) {
          const began = Date.now();
          const r = await pollDevice(rt, ctx);
          expect(r.status, `${hostname} poll ${k}: ${r.error?.message}`).toBe('ok');
          requests = r.requests;
          if (k > 0) {
            for (const i of r.interfaces) {
              expect(i.inBps, `${hostname} ${i.ifName} poll ${k}: ${i.rejectedDetail}`).toBeDefined();
              const g = generated(hostname, i.ifName, i.ifHighSpeedMbps);
              errors.push(i.inBps! / g.inBps - 1, i.outBps! / g.outBps - 1);
            }
          }
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, INTERVAL - (Date.now() - began))));
        }
        rt.session?.session.close();
        return { hostname, requests, worst: Math.max(...errors.map(Math.abs)), n: errors.length };
      }),
    );
    for (const { hostname } of cases) lab.setFault(hostname, undefined, 'slow-reply', false);
    console.log('uneven replies', JSON.stringify(results));
    expect(T0 + (Date.now() - start)).toBeLessThan(T0 + 60_000); // still in the minute
    for (const r of results) {
      expect(r.requests, r.hostname).toBeGreaterThan(1);
      expect(r.worst, r.hostname).toBeLessThan(0.005);
    }
  }, 90_000);
});
