import type { Device, Link, LinkCompliance, Site } from '@extranet/topology';
import { computeCoverage } from '../../../topology/src/monitor/coverage';
import { coverageView } from '../../../topology/src/monitor/coverage-view';
import type { LinkRow, SiteDetail, SiteRow } from '../api/types';
import type { CoverageModel } from './model';

/**
 * Coverage from the plan alone, for when the monitoring API is not there:
 * the domain's own `computeCoverage` (topology/src/monitor/coverage.ts — the
 * very rules the backend applies to measurements) run on the plan's sites and
 * links, with each link judged by the plan: a built link is taken to be up at
 * its contracted bandwidth (a link without a contract is taken to meet its
 * target); a planned link is not built. So "below target" here means "the
 * contract is below the target", and gaps and single points of failure are
 * those of the plan.
 *
 * Imported by path, not through `@extranet/topology`'s index, so the bundle does
 * not pull in the plan schema (zod) and the CIDR code the UI has no use for.
 */
export function planLinkState(l: Pick<LinkRow, 'id' | 'status' | 'targetMbps' | 'contractedMbps'>): LinkCompliance {
  const base = { linkId: l.id, targetMbps: l.targetMbps, ...(l.contractedMbps !== null && { contractedMbps: l.contractedMbps }) };
  if (l.status !== 'built') return { ...base, state: 'not-built', meetsTarget: false, reason: 'not-built' };
  if (l.contractedMbps === null) return { ...base, state: 'up', meetsTarget: true };
  const meets = l.contractedMbps >= l.targetMbps;
  return {
    ...base,
    state: 'up',
    capacityMbps: l.contractedMbps,
    capacityBy: 'contract',
    meetsTarget: meets,
    ...(!meets && { reason: 'below-target' as const, detail: `contracted ${l.contractedMbps} Mbps < target ${l.targetMbps} Mbps` }),
  };
}

/**
 * @param sites every site (`GET /api/sites`)
 * @param links every link (`GET /api/links`)
 * @param cityDevices the city's devices with their roles (`GET /api/sites/:city`): the core is its `core` and `backup-core` routers
 */
export function planCoverage(
  sites: readonly SiteRow[],
  links: readonly LinkRow[],
  cityDevices: SiteDetail['deviceList'] = [],
): CoverageModel {
  const planSites: Site[] = sites.map((s) => ({
    code: s.code,
    name: s.name,
    tier: s.tier,
    kind: s.kind,
    status: s.status,
    ...(s.parent !== null && { parent: s.parent }),
  }));
  const roles = new Map(cityDevices.map((d) => [d.hostname, d.role]));
  const devices = new Map<string, Device>();
  for (const l of links) {
    for (const end of [l.a, l.b]) {
      if (!devices.has(end.device)) {
        devices.set(end.device, { hostname: end.device, site: end.site, role: roles.get(end.device) ?? 'access', interfaces: [] });
      }
    }
  }
  const planLinks: Link[] = links.map((l) => ({
    id: l.id,
    kind: l.kind,
    tier: l.tier,
    status: l.status,
    targetMbps: l.targetMbps,
    a: { device: l.a.device, interface: l.a.interface },
    b: { device: l.b.device, interface: l.b.interface },
    ...(l.contractedMbps !== null && { contractedMbps: l.contractedMbps }),
  }));
  const report = computeCoverage({
    sites: planSites,
    devices: [...devices.values()],
    links: planLinks,
    linkStates: links.map(planLinkState),
  });

  // The same mapping the backend's GET /api/coverage uses, so both views read alike.
  return { ...coverageView(report, null), source: 'plan' };
}
