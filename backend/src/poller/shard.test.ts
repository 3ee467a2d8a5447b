import { describe, expect, it } from 'vitest';
import { fnv1a32, inShard, parseShard } from './shard';

describe('shards', () => {
  it('parses i/N', () => {
    expect(parseShard('1/4')).toEqual({ index: 1, count: 4 });
    expect(parseShard(' 0/1 ')).toEqual({ index: 0, count: 1 });
  });

  it.each(['4/4', '1/0', 'a/b', '1', '-1/2'])('rejects %s with BAD_REQUEST', (text) => {
    expect(() => parseShard(text)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST', field: 'shard' }));
  });

  it('hashes with FNV-1a (reference vectors)', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('puts every device in exactly one of N shards, roughly evenly', () => {
    const hosts = Array.from({ length: 400 }, (_, i) => `hz-4413${String(i).padStart(5, '0')}-acc-01`);
    const counts = [0, 1, 2, 3].map((index) => hosts.filter((h) => inShard(h, { index, count: 4 })).length);
    expect(counts.reduce((a, b) => a + b)).toBe(400);
    for (const c of counts) expect(c).toBeGreaterThan(60);
  });
});
