import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readModel } from './read-model';

describe('readModel', () => {
  const setup = (opts: { ttlMs?: number; minAgeMs?: number } = {}) => {
    let now = 1_000_000;
    let version = 'v1';
    let value = { n: 1 };
    let computed = 0;
    const model = readModel({
      compute: async () => {
        computed++;
        await new Promise((r) => setTimeout(r, 5));
        return value;
      },
      version: () => Promise.resolve(version),
      clock: () => now,
      versionCheckMs: 0,
      ...opts,
    });
    return {
      model,
      computed: () => computed,
      tick: (ms: number) => (now += ms),
      setVersion: (v: string) => (version = v),
      setValue: (v: { n: number }) => (value = v),
    };
  };

  it('computes once for many concurrent reads and serves the same snapshot after', async () => {
    const s = setup();
    const [a, b, c] = await Promise.all([s.model.get(), s.model.get(), s.model.get()]);
    expect(s.computed()).toBe(1);
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(await s.model.get()).toBe(a);
    expect(s.computed()).toBe(1);
    expect(JSON.parse(gunzipSync(a.gzip).toString())).toEqual({ n: 1 });
    expect(a.json).toBe('{"n":1}');
  });

  it('computes again when the version changes, when invalidated, and when older than its time to live', async () => {
    const s = setup({ ttlMs: 10_000 });
    const first = await s.model.get();
    s.setVersion('v2');
    s.setValue({ n: 2 });
    const second = await s.model.get();
    expect(second.etag).not.toBe(first.etag);
    s.model.invalidate();
    await s.model.get();
    expect(s.computed()).toBe(3);
    s.tick(9_999);
    await s.model.get();
    expect(s.computed()).toBe(3);
    s.tick(2);
    await s.model.get();
    expect(s.computed()).toBe(4);
  });

  it('keeps the ETag when a new computation gives the same content', async () => {
    const s = setup();
    const first = await s.model.get();
    s.model.invalidate();
    const second = await s.model.get();
    expect(second).not.toBe(first);
    expect(second.etag).toBe(first.etag);
  });

  it('serves an invalidated snapshot younger than minAgeMs', async () => {
    const s = setup({ minAgeMs: 5_000 });
    await s.model.get();
    s.model.invalidate();
    s.tick(4_000);
    await s.model.get();
    expect(s.computed()).toBe(1);
    s.tick(1_001);
    await s.model.get();
    expect(s.computed()).toBe(2);
  });
});
