import { describe, expect, it } from 'vitest';
import { Delivery } from './delivery';

describe('delivery with retries', () => {
  it('backs off exponentially and records success after failures', async () => {
    const waits: number[] = [];
    let calls = 0;
    const d = new Delivery({ attempts: 4, baseMs: 100, clock: () => 5, sleep: (ms) => (waits.push(ms), Promise.resolve()) });
    d.send('webhook', () => (++calls < 3 ? Promise.reject(new Error(`fail ${calls}`)) : Promise.resolve()));
    await d.idle();
    expect(waits).toEqual([100, 200]);
    expect(d.statusOf('webhook')).toMatchObject({ sent: 1, failed: 0, retrying: 0, lastSuccessAt: 5, lastError: 'fail 2' });
  });
  it('gives up after the last attempt, counting the failure', async () => {
    const given: string[] = [];
    const d = new Delivery({ attempts: 2, baseMs: 1, clock: () => 7, sleep: () => Promise.resolve(), onGiveUp: (_d, e) => given.push(e) });
    d.send('alertmanager', () => Promise.reject(new Error('refused')));
    await d.idle();
    expect(d.statusOf('alertmanager')).toMatchObject({ sent: 0, failed: 1, lastFailureAt: 7, lastError: 'refused' });
    expect(given).toEqual(['refused']);
  });
});
