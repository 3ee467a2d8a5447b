import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { defaultAlertRules, emptyAlertState, evaluateAlerts, isManagedDevice, type AlertSnapshot } from '@extranet/topology';
import { loadPlanOrThrow } from '../../backend/src/plan/load';

/**
 * `npm run bench -- alerts [counties] [townships]`: the pure alert evaluation
 * (dependencies, SPOF-based backup loss, lifecycle) after one poll cycle —
 * on the Huizhou plan with a county's uplink and backup down, and on a
 * synthetic three-tier network (default 100 counties × 400 townships, every
 * township with a backup to its neighbour) with one county's only uplink down
 * and its townships' routers silent. Median of repeated evaluations.
 */
export default async function main(args: string[]): Promise<void> {
  const rules = defaultAlertRules();
  const time = (snap: AlertSnapshot, runs: number) => {
    let e = evaluateAlerts(emptyAlertState(), snap, rules, 0);
    const ms: number[] = [];
    for (let i = 1; i <= runs; i++) {
      const t = performance.now();
      e = evaluateAlerts(e.state, snap, rules, i * 60_000);
      ms.push(performance.now() - t);
    }
    ms.sort((a, b) => a - b);
    const alerts = [...e.state.alerts.values()];
    const notified = alerts.filter((a) => a.suppressedBy.length === 0);
    return { ms: ms[ms.length >> 1]!, notified, suppressed: alerts.length - notified.length };
  };

  const plan = await loadPlanOrThrow(path.join(import.meta.dirname, '..', '..', 'plans', 'huizhou'));
  const city = plan.sites.find((s) => s.tier === 'city')!.code;
  const down = new Set(['L-4413-441302', 'B-4413-441302']);
  const hz = time(
    {
      sites: plan.sites.map((s) => ({ code: s.code, name: s.name, tier: s.tier, ...(s.parent && { parent: s.parent }) })),
      devices: plan.devices.map((d) => ({ hostname: d.hostname, site: d.site, role: d.role, managed: isManagedDevice(d) })),
      links: plan.links.map((l) => ({
        id: l.id,
        kind: l.kind,
        status: l.status,
        a: { device: l.a.device },
        b: { device: l.b.device },
        state: down.has(l.id) ? 'down' : 'up',
        meetsTarget: !down.has(l.id),
        targetMbps: l.targetMbps,
      })),
      deviceStatus: new Map(plan.devices.map((d) => [d.hostname, 'ok'])),
      core: plan.devices.filter((d) => d.site === city && (d.role === 'core' || d.role === 'backup-core')).map((d) => d.hostname),
    },
    20,
  );
  console.log(
    `huizhou (${plan.sites.length} sites, ${plan.links.length} links), 441302's uplink and backup down: ${hz.ms.toFixed(1)} ms; ` +
      `notified ${hz.notified.map((a) => `${a.key} (cuts off ${a.cutOff.length})`).join(', ')}`,
  );

  const counties = Number(args[0] ?? 100);
  const towns = Number(args[1] ?? 400);
  const snap = synthetic(counties, towns);
  const big = time(snap, 5);
  console.log(
    `synthetic (${snap.sites.length} sites, ${snap.links.length} links), county C0's only uplink down, its ${towns} township routers silent: ` +
      `${big.ms.toFixed(0)} ms; notified ${big.notified.length} (${big.notified.map((a) => `${a.key}, cuts off ${a.cutOff.length}`).join('; ')}), suppressed ${big.suppressed}`,
  );
}

function synthetic(counties: number, towns: number): AlertSnapshot {
  const sites: AlertSnapshot['sites'][number][] = [{ code: 'X', name: 'city', tier: 'city' }];
  const devices: AlertSnapshot['devices'][number][] = [
    { hostname: 'core', site: 'X', role: 'core', managed: true },
    { hostname: 'bak', site: 'X', role: 'backup-core', managed: true },
  ];
  const links: AlertSnapshot['links'][number][] = [];
  const status = new Map<string, string>();
  const link = (id: string, kind: 'uplink' | 'backup', a: string, b: string, isDown = false) =>
    links.push({
      id,
      kind,
      status: 'built',
      a: { device: a },
      b: { device: b },
      state: isDown ? 'down' : 'up',
      meetsTarget: !isDown,
      targetMbps: 100,
    });
  for (let c = 0; c < counties; c++) {
    sites.push({ code: `C${c}`, name: `C${c}`, tier: 'county', parent: 'X' });
    devices.push({ hostname: `agg-${c}`, site: `C${c}`, role: 'aggregation', managed: true });
    link(`L-${c}`, 'uplink', 'core', `agg-${c}`, c === 0);
    if (c !== 0) link(`B-${c}`, 'backup', 'bak', `agg-${c}`);
    for (let t = 0; t < towns; t++) {
      const code = `C${c}T${t}`;
      sites.push({ code, name: code, tier: 'township', parent: `C${c}` });
      devices.push({ hostname: `acc-${code}`, site: code, role: 'access', managed: true });
      link(`L-${code}`, 'uplink', `agg-${c}`, `acc-${code}`);
      if (t > 0) link(`B-${code}`, 'backup', `acc-C${c}T${t - 1}`, `acc-${code}`);
      if (c === 0) status.set(`acc-${code}`, 'timeout');
    }
  }
  for (const d of devices) if (!status.has(d.hostname)) status.set(d.hostname, 'ok');
  return { sites, devices, links, deviceStatus: status, core: ['core', 'bak'] };
}
