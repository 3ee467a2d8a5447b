import { beforeEach, describe, expect, it } from 'vitest';
import { singlePointsOfFailure, type FailureGraph } from './spof';
import { cachedSinglePointsOfFailure, clearFailureCache, linkRedundancy } from './spof-cache';

/** city core C, county k (uplink L1, backup L3 when `backup`), township t under k (L2); built anew each call. */
function network(opts: { backup?: boolean; tEnd?: string } = {}): FailureGraph {
  return {
    sites: ['city', 'K', 'T'],
    devices: [
      { hostname: 'C', site: 'city' },
      { hostname: 'C2', site: 'city' },
      { hostname: 'k', site: 'K' },
      { hostname: 't', site: 'T' },
    ],
    links: [
      { id: 'core', a: { device: 'C' }, b: { device: 'C2' } },
      { id: 'L1', a: { device: 'C' }, b: { device: 'k' } },
      { id: 'L2', a: { device: opts.tEnd ?? 'k' }, b: { device: 't' } },
      ...(opts.backup ? [{ id: 'L3', a: { device: 'C2' }, b: { device: 'k' } }] : []),
    ],
    core: ['C', 'C2'],
  };
}

describe('cachedSinglePointsOfFailure', () => {
  beforeEach(() => clearFailureCache());

  it('answers as singlePointsOfFailure does, and the same input built anew gets the same answer without a new analysis', () => {
    const first = cachedSinglePointsOfFailure(network());
    expect(first).toEqual(singlePointsOfFailure(network()));
    expect(cachedSinglePointsOfFailure(network())).toBe(first);
  });

  it('a link more, or a link with another end, is another input', () => {
    const plain = cachedSinglePointsOfFailure(network());
    const backed = cachedSinglePointsOfFailure(network({ backup: true }));
    expect(backed).not.toBe(plain);
    expect(backed.sites.get('K')!.failures).toEqual([]);
    expect(plain.sites.get('K')!.failures).toEqual([
      { kind: 'device', hostname: 'C' },
      { kind: 'link', id: 'L1' },
    ]);
    const moved = cachedSinglePointsOfFailure(network({ tEnd: 'C2' }));
    expect(moved.sites.get('T')!.failures).toEqual([
      { kind: 'device', hostname: 'C2' },
      { kind: 'link', id: 'L2' },
    ]);
    expect(moved).toEqual(singlePointsOfFailure(network({ tEnd: 'C2' })));
  });

  it('a device at another site, or another core, is another input', () => {
    const base = cachedSinglePointsOfFailure(network());
    const g = network();
    g.devices = g.devices.map((d) => (d.hostname === 't' ? { ...d, site: 'K' } : d));
    expect(cachedSinglePointsOfFailure(g)).not.toBe(base);
    expect(cachedSinglePointsOfFailure({ ...network(), core: ['C'] })).toEqual(singlePointsOfFailure({ ...network(), core: ['C'] }));
  });

  it('keeps the last four answers, most recently used', () => {
    const a = cachedSinglePointsOfFailure(network());
    const backed = cachedSinglePointsOfFailure(network({ backup: true }));
    const moved = cachedSinglePointsOfFailure(network({ tEnd: 'C2' }));
    cachedSinglePointsOfFailure(network({ tEnd: 'C' }));
    expect(cachedSinglePointsOfFailure(network())).toBe(a); // used again: now the newest
    cachedSinglePointsOfFailure(network({ tEnd: 'C2', backup: true })); // the fifth drops the oldest (backup)
    expect(cachedSinglePointsOfFailure(network())).toBe(a);
    expect(cachedSinglePointsOfFailure(network({ tEnd: 'C2' }))).toBe(moved);
    expect(cachedSinglePointsOfFailure(network({ backup: true }))).not.toBe(backed); // analysed again
    expect(cachedSinglePointsOfFailure(network({ backup: true }))).toEqual(backed);
  });

  it('a shared answer cannot be changed', () => {
    const r = cachedSinglePointsOfFailure(network());
    expect(() => (r.sites.get('T')!.failures as unknown[]).push('x')).toThrow(TypeError);
    expect(() => (r.impact as unknown[]).pop()).toThrow(TypeError);
    expect(() => ((r.sites.get('T') as { reached: boolean }).reached = false)).toThrow(TypeError);
  });

  it('linkRedundancy: the sites reached, those with a link SPOF, kept with the analysis', () => {
    const plain = cachedSinglePointsOfFailure({ ...network(), devices: [...network().devices, { hostname: 'x', site: 'X' }] });
    const r = linkRedundancy(plain);
    expect([...r.reached].sort()).toEqual(['K', 'T', 'city']);
    expect([...r.noBackup].sort()).toEqual(['K', 'T']);
    expect(linkRedundancy(plain)).toBe(r);
    // With the backup, K keeps its redundancy; T still hangs on one link.
    const backed = linkRedundancy(cachedSinglePointsOfFailure(network({ backup: true })));
    expect([...backed.noBackup]).toEqual(['T']);
  });
});
