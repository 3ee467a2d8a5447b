import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { singlePointsOfFailure, type FailureElement, type FailureGraph } from './spof';

/** `graph({ C: 'city', k: 'K' }, ['L1 C k', 'L2 k t'], ['C'])`: devices by site, links as "id a b". */
function graph(devices: Record<string, string>, links: string[], core: string[], sites: string[] = []): FailureGraph {
  return {
    sites,
    devices: Object.entries(devices).map(([hostname, site]) => ({ hostname, site })),
    links: links.map((l) => {
      const [id, a, b] = l.split(' ') as [string, string, string];
      return { id, a: { device: a }, b: { device: b } };
    }),
    core,
  };
}
const key = (e: FailureElement) => (e.kind === 'link' ? `link:${e.id}` : `device:${e.hostname}`);
const keys = (es: FailureElement[]) => es.map(key);

describe('singlePointsOfFailure on hand-made graphs', () => {
  it('a chain: every link and every intermediate device is a SPOF, nearest the core first', () => {
    const r = singlePointsOfFailure(graph({ C: 'city', k: 'K', t: 'T' }, ['L1 C k', 'L2 k t'], ['C']));
    expect(keys(r.sites.get('T')!.failures)).toEqual(['device:C', 'link:L1', 'device:k', 'link:L2']);
    expect(keys(r.sites.get('K')!.failures)).toEqual(['device:C', 'link:L1']);
    expect(r.sites.get('city')).toEqual({ reached: true, failures: [] });
  });

  it('a ring with two core devices: nothing is a SPOF', () => {
    const r = singlePointsOfFailure(
      graph({ C1: 'city', C2: 'city', k1: 'K1', k2: 'K2' }, ['A C1 C2', 'B C1 k1', 'D k1 k2', 'E k2 C2'], ['C1', 'C2']),
    );
    expect(r.sites.get('K1')!.failures).toEqual([]);
    expect(r.sites.get('K2')!.failures).toEqual([]);
    expect(r.impact).toEqual([]);
  });

  it('a county whose backup lands on the same city device: the device is a SPOF, the links are not', () => {
    const r = singlePointsOfFailure(graph({ C1: 'city', C2: 'city', k: 'K' }, ['core C1 C2', 'up C1 k', 'backup C1 k'], ['C1', 'C2']));
    expect(keys(r.sites.get('K')!.failures)).toEqual(['device:C1']);
  });

  it('a township with a backup via a neighbouring township keeps only the county chain as SPOFs', () => {
    const r = singlePointsOfFailure(graph({ C: 'city', k: 'K', t1: 'T1', t2: 'T2' }, ['L1 C k', 'L2 k t1', 'L3 k t2', 'L4 t1 t2'], ['C']));
    expect(keys(r.sites.get('T1')!.failures)).toEqual(['device:C', 'link:L1', 'device:k']);
    expect(keys(r.sites.get('T2')!.failures)).toEqual(['device:C', 'link:L1', 'device:k']);
    expect(r.impact[0]!.sites.sort()).toEqual(['K', 'T1', 'T2']);
  });

  it('reports disconnected sites, including sites without devices', () => {
    const r = singlePointsOfFailure(graph({ C: 'city', k: 'K', x: 'X' }, ['L1 C k'], ['C'], ['EMPTY']));
    expect(r.sites.get('X')).toEqual({ reached: false, failures: [] });
    expect(r.sites.get('EMPTY')).toEqual({ reached: false, failures: [] });
  });

  it("never counts a site's own devices, and a site with two homes has no SPOF", () => {
    // K has a router k and a switch s behind it; T is dual-homed through two devices to two counties.
    const r = singlePointsOfFailure(
      graph(
        { C: 'city', C2: 'city', k: 'K', s: 'K', j: 'J', ta: 'T', tb: 'T' },
        ['c C C2', 'L1 C k', 'Ls k s', 'L2 C2 j', 'Ta s ta', 'Tb j tb'],
        ['C', 'C2'],
      ),
    );
    expect(keys(r.sites.get('K')!.failures)).toEqual(['device:C', 'link:L1']);
    expect(r.sites.get('T')!.failures).toEqual([]);
  });

  it('ignores links to unknown devices and loops', () => {
    const r = singlePointsOfFailure(graph({ C: 'city', k: 'K' }, ['L1 C k', 'L2 k k', 'L3 k ghost'], ['C']));
    expect(keys(r.sites.get('K')!.failures)).toEqual(['device:C', 'link:L1']);
  });

  it('handles a 30 000-device chain without recursion', () => {
    // One site for the middle so the answer stays linear in size (per-site lists are O(depth)).
    const n = 30_000;
    const devices: Record<string, string> = { d0: 'city' };
    const links: string[] = [];
    for (let i = 1; i < n; i++) {
      devices[`d${i}`] = i === n - 1 ? 'END' : 'MID';
      links.push(`L${i} d${i - 1} d${i}`);
    }
    const r = singlePointsOfFailure(graph(devices, links, ['d0']));
    // d0 (the only core device), n-2 middle devices and n-1 links.
    expect(r.sites.get('END')!.failures).toHaveLength(1 + (n - 2) + (n - 1));
    expect(keys(r.sites.get('MID')!.failures)).toEqual(['device:d0', 'link:L1']);
  });
});

/** The oracle: remove each element in turn and search from the remaining core devices. */
function bruteForce(g: FailureGraph): Map<string, { reached: boolean; failures: Set<string> }> {
  const siteOf = new Map(g.devices.map((d) => [d.hostname, d.site]));
  const siteCodes = new Set([...(g.sites ?? []), ...g.devices.map((d) => d.site)]);
  const reachedSites = (skipLink?: string, skipDevice?: string): Set<string> => {
    const seen = new Set(g.core.filter((c) => c !== skipDevice && siteOf.has(c)));
    const queue = [...seen];
    while (queue.length) {
      const v = queue.pop()!;
      for (const l of g.links) {
        if (l.id === skipLink || !siteOf.has(l.a.device) || !siteOf.has(l.b.device)) continue;
        const w = l.a.device === v ? l.b.device : l.b.device === v ? l.a.device : undefined;
        if (w !== undefined && w !== skipDevice && !seen.has(w)) {
          seen.add(w);
          queue.push(w);
        }
      }
    }
    return new Set([...seen].map((d) => siteOf.get(d)!));
  };
  const base = reachedSites();
  const out = new Map([...siteCodes].map((s) => [s, { reached: base.has(s), failures: new Set<string>() }]));
  const record = (k: string, reached: Set<string>, exempt?: string) => {
    for (const s of base) if (!reached.has(s) && s !== exempt) out.get(s)!.failures.add(k);
  };
  for (const l of g.links) record(`link:${l.id}`, reachedSites(l.id));
  for (const d of g.devices) record(`device:${d.hostname}`, reachedSites(undefined, d.hostname), d.site);
  return out;
}

const randomGraph: fc.Arbitrary<FailureGraph> = fc
  .record({ deviceCount: fc.integer({ min: 1, max: 14 }), siteCount: fc.integer({ min: 1, max: 7 }) })
  .chain(({ deviceCount, siteCount }) =>
    fc.record({
      deviceSites: fc.array(fc.integer({ min: 0, max: siteCount - 1 }), { minLength: deviceCount, maxLength: deviceCount }),
      links: fc.array(fc.tuple(fc.nat(deviceCount - 1), fc.nat(deviceCount - 1)), { maxLength: 24 }),
      coreCount: fc.integer({ min: 1, max: 2 }),
    }),
  )
  .map(({ deviceSites, links, coreCount }) => {
    const devices = deviceSites.map((s, i) => ({ hostname: `d${i}`, site: i < coreCount ? 'S0' : `S${s}` }));
    return {
      sites: ['S0', 'EMPTY'],
      devices,
      links: links.map(([a, b], i) => ({ id: `L${i}`, a: { device: `d${a}` }, b: { device: `d${b}` } })),
      core: devices.slice(0, coreCount).map((d) => d.hostname),
    };
  });

describe('singlePointsOfFailure against a brute-force oracle', () => {
  it('agrees on reachability and on the set of SPOFs for every site of random graphs', () => {
    fc.assert(
      fc.property(randomGraph, (g) => {
        const fast = singlePointsOfFailure(g);
        const slow = bruteForce(g);
        expect([...fast.sites.keys()].sort()).toEqual([...slow.keys()].sort());
        for (const [site, expected] of slow) {
          const got = fast.sites.get(site)!;
          expect(got.reached, site).toBe(expected.reached);
          expect(keys(got.failures).sort(), site).toEqual([...expected.failures].sort());
        }
        for (const { element, sites } of fast.impact) {
          for (const s of sites) expect(slow.get(s)!.failures.has(key(element))).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
