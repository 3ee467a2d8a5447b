import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { pageCacheSize } from './page-cache';

const GB = 1024 ** 3;

describe('pageCacheSize', () => {
  it('auto: a quarter of the machine memory', () => {
    expect(pageCacheSize('auto', 24 * GB)).toBe('6144m');
    expect(pageCacheSize('auto', 16 * GB + 123)).toBe('4096m');
  });

  it('auto: never below 256 MB, on a small machine', () => {
    expect(pageCacheSize('auto', 512 * 1024 ** 2)).toBe('256m');
    expect(pageCacheSize('auto', 1 * GB)).toBe('256m');
  });

  it('a size that is set is kept as it is', () => {
    expect(pageCacheSize('512m', 24 * GB)).toBe('512m');
    expect(pageCacheSize('4g', 1 * GB)).toBe('4g');
  });
});

describe('loadConfig: NEO4J_PAGECACHE', () => {
  it('is auto unless set', () => {
    expect(loadConfig({}).NEO4J_PAGECACHE).toBe('auto');
  });

  it('takes auto or a size', () => {
    expect(loadConfig({ NEO4J_PAGECACHE: '2g' }).NEO4J_PAGECACHE).toBe('2g');
    expect(loadConfig({ NEO4J_PAGECACHE: 'auto' }).NEO4J_PAGECACHE).toBe('auto');
  });

  it('refuses anything else and says what is allowed', () => {
    expect(() => loadConfig({ NEO4J_PAGECACHE: 'lots' })).toThrow(/NEO4J_PAGECACHE.*auto or a size such as 256m or 4g/);
  });
});
