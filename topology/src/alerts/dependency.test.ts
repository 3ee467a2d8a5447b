import { describe, expect, it } from 'vitest';
import { generatePlan, seededRandom } from '../plan/generate';
import { isManagedDevice } from '../monitor/compliance';
import { bfs, buildCsr } from '../monitor/graph';
import { singlePointsOfFailure } from '../monitor/spof';
import { analyseDependencies, type DependencyAnalysis } from './dependency';
import type { AlertSnapshot } from './snapshot';

/** A generated plan with seeded failures: links down, devices silent (a core device and county devices too, so failures hide behind others). */
function snapshotWithFailures(seed: number, linkShare: number, deviceShare: number): AlertSnapshot {
  const { plan } = generatePlan({ counties: 12, townships: 240, zones: 3 }, seededRandom(seed));
  const random = seededRandom(seed + 1000);
  const city = plan.sites.find((s) => s.tier === 'city')!.code;
  const core = plan.devices.filter((d) => d.site === city && (d.role === 'core' || d.role === 'backup-core')).map((d) => d.hostname);
  const silent = new Set(plan.devices.filter((d) => random() < (d.hostname === core[0] ? 0.5 : deviceShare)).map((d) => d.hostname));
  return {
    sites: plan.sites.map((s) => ({ code: s.code, name: s.name, tier: s.tier })),
    devices: plan.devices.map((d) => ({ hostname: d.hostname, site: d.site, role: d.role, managed: isManagedDevice(d) })),
    links: plan.links.map((l) => ({
      id: l.id,
      kind: l.kind,
      status: l.status,
      a: { device: l.a.device },
      b: { device: l.b.device },
      state: random() < linkShare ? 'down' : 'up',
      meetsTarget: true,
      targetMbps: l.targetMbps,
    })),
    deviceStatus: new Map(plan.devices.map((d) => [d.hostname, silent.has(d.hostname) ? 'timeout' : 'ok'])),
    core,
  };
}

/**
 * The definitions, searched by brute force: per root cause, one BFS from the core with it and every
 * failure behind a root restored (the sites that come back), and one SPOF pass (the sites that get a
 * backup path back) — what the analysis did before it searched only what each root brings back.
 */
function bruteForce(snap: AlertSnapshot, d: DependencyAnalysis): Map<string, { cutOff: string[]; degraded: string[] }> {
  const index = new Map(snap.devices.map((x, i) => [x.hostname, i]));
  const built = snap.links.filter((l) => l.status === 'built' && index.has(l.a.device) && index.has(l.b.device));
  const failedDevice = new Set(
    snap.devices.filter((x) => x.managed && snap.deviceStatus.get(x.hostname) === 'timeout').map((x) => x.hostname),
  );
  const failedLink = new Set(
    built.filter((l) => l.state === 'down' && !failedDevice.has(l.a.device) && !failedDevice.has(l.b.device)).map((l) => l.id),
  );
  const csr = buildCsr(
    snap.devices.length,
    built.flatMap((l) => [index.get(l.a.device)!, index.get(l.b.device)!]),
  );
  const out = new Map<string, { cutOff: string[]; degraded: string[] }>();
  for (const key of d.causes.keys()) {
    const restored = new Set([key, ...d.behind.keys()]);
    const ok = (h: string) => !failedDevice.has(h) || restored.has(`device:${h}`);
    const usable = (l: (typeof built)[number]) =>
      (!failedLink.has(l.id) || restored.has(`link:${l.id}`)) && ok(l.a.device) && ok(l.b.device);
    const tree = bfs(
      csr,
      snap.core.filter((h) => ok(h)).map((h) => index.get(h)!),
      (e) => usable(built[e]!),
    );
    const back = new Set(snap.devices.filter((_, i) => tree.dist[i] !== -1).map((x) => x.site));
    const spof = singlePointsOfFailure({
      sites: snap.sites.map((s) => s.code),
      devices: snap.devices,
      links: built.filter(usable),
      core: snap.core,
    });
    out.set(key, {
      cutOff: [...d.unreached.keys()].filter((c) => back.has(c)).sort(),
      degraded: [...d.backupLost.keys()]
        .filter((c) => {
          const s = spof.sites.get(c);
          return s?.reached === true && !s.failures.some((f) => f.kind === 'link');
        })
        .sort(),
    });
  }
  return out;
}

describe('dependency analysis at scale', () => {
  it.each([
    [1, 0.03, 0.01],
    [2, 0.08, 0.03],
    [3, 0.15, 0.05],
  ])(
    'finds per root cause what a search of the whole network finds (seed %i, %f of links, %f of devices failed)',
    (seed, links, devices) => {
      const snap = snapshotWithFailures(seed, links, devices);
      const d = analyseDependencies(snap);
      const expected = bruteForce(snap, d);
      expect(d.causes.size).toBeGreaterThan(5);
      expect([...d.causes.values()].some((c) => c.cutOff.length > 0)).toBe(true);
      expect([...d.causes.values()].some((c) => c.degraded.length > 0)).toBe(true);
      for (const [key, c] of d.causes) expect({ key, cutOff: c.cutOff, degraded: c.degraded }).toEqual({ key, ...expected.get(key)! });
    },
  );

  it('gives a backup path back only through a loop that reaches the core', () => {
    // core =L1/L1b= county K; K –L2– T1, K –L3– T2, T1 –L4– T2. L1b and L4 down: K, T1 and T2 each lost
    // their backup; L1b gives K its own back, L4 alone gives none (L1 still separates all three).
    const dev = (hostname: string, site: string, role: string) => ({ hostname, site, role, managed: true });
    const link = (id: string, a: string, b: string, down = false) => ({
      id,
      kind: 'uplink' as const,
      status: 'built' as const,
      a: { device: a },
      b: { device: b },
      state: down ? ('down' as const) : ('up' as const),
      meetsTarget: true,
      targetMbps: 100,
    });
    const snap: AlertSnapshot = {
      sites: [
        { code: 'C', name: 'C', tier: 'city' },
        { code: 'K', name: 'K', tier: 'county' },
        { code: 'T1', name: 'T1', tier: 'township' },
        { code: 'T2', name: 'T2', tier: 'township' },
      ],
      devices: [dev('c', 'C', 'core'), dev('k', 'K', 'county-router'), dev('t1', 'T1', 'access'), dev('t2', 'T2', 'access')],
      links: [
        link('L1', 'c', 'k'),
        link('L1b', 'c', 'k', true),
        link('L2', 'k', 't1'),
        link('L3', 'k', 't2'),
        link('L4', 't1', 't2', true),
      ],
      deviceStatus: new Map([
        ['c', 'ok'],
        ['k', 'ok'],
        ['t1', 'ok'],
        ['t2', 'ok'],
      ]),
      core: ['c'],
    };
    const d = analyseDependencies(snap);
    expect([...d.backupLost.keys()].sort()).toEqual(['K', 'T1', 'T2']);
    expect(d.causes.get('link:L1b')?.degraded).toEqual(['K']);
    expect(d.causes.get('link:L4')?.degraded).toEqual([]);
    const expected = bruteForce(snap, d);
    for (const [key, c] of d.causes) expect({ key, cutOff: c.cutOff, degraded: c.degraded }).toEqual({ key, ...expected.get(key)! });
  });
});
