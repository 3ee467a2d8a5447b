import { describe, expect, it } from 'vitest';
import { serialQueue } from './serial';

const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('serialQueue', () => {
  it('runs pieces one at a time, in call order, even when a later one is quicker', async () => {
    const q = serialQueue();
    const events: string[] = [];
    const piece = (name: string, ms: number) => async () => {
      events.push(`${name} start`);
      await later(ms);
      events.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([q.run(piece('a', 30)), q.run(piece('b', 1))]);
    expect(results).toEqual(['a', 'b']);
    expect(events).toEqual(['a start', 'a end', 'b start', 'b end']);
  });

  it('rejects only the piece that failed; the next one still runs', async () => {
    const q = serialQueue();
    const failed = q.run(() => Promise.reject(new Error('store down')));
    const next = q.run(() => Promise.resolve('ran'));
    await expect(failed).rejects.toThrow('store down');
    await expect(next).resolves.toBe('ran');
  });

  it('is idle only once every queued piece has settled, and idle never rejects', async () => {
    const q = serialQueue();
    let done = false;
    void q.run(() => Promise.reject(new Error('x'))).catch(() => undefined);
    void q.run(async () => {
      await later(20);
      done = true;
    });
    await q.idle();
    expect(done).toBe(true);
  });
});
