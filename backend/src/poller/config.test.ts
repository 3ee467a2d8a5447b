import { describe, expect, it } from 'vitest';
import { loadPollerConfig, parseIntervals } from './config';

describe('loadPollerConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadPollerConfig({});
    expect(c).toMatchObject({
      intervalMs: 60_000,
      concurrency: 16,
      timeoutMs: 2000,
      retries: 1,
      maxBackoffMs: 900_000,
      shard: { index: 0, count: 1 },
      retentionDays: 35,
      rollupRetentionDays: 400,
      targets: { mode: 'mgmt' },
      lab: { basePort: 16100, seed: 1 },
    });
    expect(c.intervalFor('anything')).toBe(60_000);
  });

  it('reads per-device intervals and the target mode', () => {
    const c = loadPollerConfig({ POLL_INTERVALS: 'hz-4413-*=30,hz-441302-agg-01=120', SNMP_TARGETS: 'mgmt', POLL_SHARD: '1/3' });
    expect(c.intervalFor('hz-4413-core-01')).toBe(30_000);
    expect(c.intervalFor('hz-441302-agg-01')).toBe(120_000);
    expect(c.intervalFor('hz-441303-agg-01')).toBe(60_000);
    expect(c.targets).toEqual({ mode: 'mgmt' });
    expect(c.shard).toEqual({ index: 1, count: 3 });
    expect(loadPollerConfig({ SNMP_TARGETS: '/etc/extranet/targets.yaml' }).targets).toEqual({
      mode: 'file',
      path: '/etc/extranet/targets.yaml',
    });
  });

  it('polls the network unless lab mode is asked for', () => {
    expect(loadPollerConfig({}).targets).toEqual({ mode: 'mgmt' });
    expect(loadPollerConfig({}, { lab: false }).targets).toEqual({ mode: 'mgmt' });
    expect(loadPollerConfig({ SNMP_TARGETS: 'targets.yaml' }, { lab: false }).targets).toEqual({ mode: 'file', path: 'targets.yaml' });
    expect(loadPollerConfig({}, { lab: true }).targets).toEqual({ mode: 'lab' });
  });

  it('refuses SNMP_TARGETS in lab mode rather than guess which is meant', () => {
    expect(() => loadPollerConfig({ SNMP_TARGETS: 'mgmt' }, { lab: true })).toThrow(
      /SNMP_TARGETS: lab mode \(--lab, LAB=1\)[^\n]*Got: mgmt/,
    );
  });

  it('names every bad variable at once', () => {
    expect(() => loadPollerConfig({ POLL_SHARD: '2/2', POLL_INTERVALS: 'x=1', POLL_CONCURRENCY: '1' })).toThrow(
      /POLL_SHARD[\s\S]*POLL_INTERVALS/,
    );
    expect(() => loadPollerConfig({ POLL_INTERVAL_SECONDS: 'soon' })).toThrow(/POLL_INTERVAL_SECONDS/);
  });

  it('turns globs into anchored patterns', () => {
    const [[re, ms]] = parseIntervals('hz-4413-*=30') as [[RegExp, number]];
    expect(ms).toBe(30_000);
    expect(re.test('hz-4413-core-01')).toBe(true);
    expect(re.test('xhz-4413-core-01')).toBe(false);
  });
});
