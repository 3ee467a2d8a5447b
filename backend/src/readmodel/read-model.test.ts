import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readModel } from './read-model';

describe('readModel', () => {
  const setup = (opts: { ttlMs?: number; minAgeMs?: number } = {}) => {
    let now = 1_000_000;
    let version = 'v1';
    let revision = 'r1';
    let value = { n: 1 };
    let computed = 0;
    const model = readModel({
      compute: async () => {
        computed++;
        await new Promise((r) => setTimeout(r, 5));
        return value;
      },
      version: () => Promise.resolve(version),
      revision: () => Promise.resolve(revision),
      clock: () => now,
      versionCheckMs: 0,
      ...opts,
    });
    return {
      model,
      computed: () => computed,
      tick: (ms: number) => (now += ms),
      setVersion: (v: string) => (version = v),
      setRevision: (r: string) => (revision = r),
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

  it('computes again when the revision changes; requests meanwhile get the previous snapshot, the one that found the change waits', async () => {
    const s = setup();
    const first = await s.model.get();
    s.setRevision('r2');
    s.setValue({ n: 2 });
    const finder = s.model.get(); // finds the new revision: starts the computation and waits for it
    const meanwhile = await s.model.get(); // arrives while it runs: not queued behind it
    expect(meanwhile).toBe(first);
    const second = await finder;
    expect(second.value).toEqual({ n: 2 });
    expect(second.revision).toBe('r2');
    expect(await s.model.get()).toBe(second);
    expect(s.computed()).toBe(2);
  });

  it('makes every request wait for a computation of a new version (the shape changed): none gets the old one', async () => {
    const s = setup();
    await s.model.get();
    s.setVersion('v2');
    s.setValue({ n: 2 });
    const [a, b] = await Promise.all([s.model.get(), s.model.get()]);
    expect(a).toBe(b);
    expect(a.value).toEqual({ n: 2 });
    expect(s.computed()).toBe(2);
  });

  it('gives requests during an invalidated computation the previous snapshot, and forgets a failed computation', async () => {
    let fail = false;
    let n = 0;
    const model = readModel({
      compute: async () => {
        await new Promise((r) => setTimeout(r, 5));
        if (fail) throw new Error('store away');
        return { n: ++n };
      },
      version: () => Promise.resolve('v1'),
      versionCheckMs: 0,
    });
    const first = await model.get();
    model.invalidate();
    fail = true;
    const finder = model.get();
    expect(await model.get()).toBe(first);
    await expect(finder).rejects.toThrow('store away');
    fail = false;
    expect((await model.get()).value).toEqual({ n: 2 }); // still invalidated: the next request computes again
  });
});
