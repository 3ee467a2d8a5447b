/**
 * The plan reads the map needs (`/api/topology`, `/api/sites`, `/api/links`),
 * projected from a plan the way the back end projects the imported graph
 * (backend/src/graph/store.ts `readTopology`, the sites and links lists), so
 * the benchmark can serve a plan of any size without importing it.
 */
import type { Plan } from '../../topology/src/index';
import { INTERNET_NODE, type LinkRow, type SiteRow, type TopologyView } from '../../topology/src/plan/views';
import { siteRow } from '../../backend/src/plan/rows';

export interface PlanViews {
  /** `GET /api/sites/:code` of the city (the plan-only coverage needs its devices' roles). */
  city: { code: string; detail: unknown };
  topology: TopologyView;
  sites: { items: SiteRow[] };
  links: { items: LinkRow[] };
}

export function planViews(plan: Plan): PlanViews {
  const siteOfDevice = new Map(plan.devices.map((d) => [d.hostname, d.site]));
  const children = new Map<string, number>();
  for (const s of plan.sites) if (s.parent) children.set(s.parent, (children.get(s.parent) ?? 0) + 1);
  const devices = new Map<string, number>();
  for (const d of plan.devices) devices.set(d.site, (devices.get(d.site) ?? 0) + 1);
  const byCode = (a: { code: string }, b: { code: string }) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
  const sites = [...plan.sites].sort(byCode);
  const facts = (l: Plan['links'][number]) => ({
    id: l.id,
    kind: l.kind,
    tier: l.tier,
    status: l.status ?? 'built',
    targetMbps: l.targetMbps ?? plan.targets[l.tier],
    contractedMbps: l.contractedMbps ?? null,
    carrier: l.carrier ?? null,
  });
  const links = [...plan.links].sort((a, b) => (a.id < b.id ? -1 : 1));
  const nodes: TopologyView['nodes'] = sites.map((s) => ({
    id: s.code,
    name: s.name,
    tier: s.tier,
    kind: s.kind,
    parent: s.parent ?? null,
    legalCounty: s.legalCounty ?? null,
  }));
  if (links.some((l) => l.kind === 'internet-exit')) {
    nodes.push({ id: INTERNET_NODE, name: '互联网出口', tier: 'internet', kind: 'internet', parent: null, legalCounty: null });
  }
  const cityRow = sites.find((s) => s.code === plan.city)!;
  const city = {
    code: plan.city,
    detail: {
      code: cityRow.code,
      name: cityRow.name,
      tier: cityRow.tier,
      kind: cityRow.kind,
      parent: null,
      legalCounty: null,
      status: cityRow.status ?? 'built',
      children: children.get(cityRow.code) ?? 0,
      devices: devices.get(cityRow.code) ?? 0,
      childSites: sites.filter((s) => s.parent === plan.city).map((s) => ({ code: s.code, name: s.name, tier: s.tier })),
      deviceList: plan.devices
        .filter((d) => d.site === plan.city)
        .map((d) => ({
          hostname: d.hostname,
          role: d.role,
          vendor: d.vendor ?? null,
          model: d.model ?? null,
          mgmtAddress: d.mgmtAddress ?? null,
          snmpProfile: d.snmpProfile ?? null,
          interfaces: [],
        })),
      links: [],
    },
  };
  return {
    city,
    topology: {
      nodes,
      links: links.map((l) => ({
        ...facts(l),
        source: siteOfDevice.get(l.a.device)!,
        target: l.kind === 'internet-exit' ? INTERNET_NODE : siteOfDevice.get(l.b.device)!,
      })),
    },
    sites: {
      items: sites.map((s) => ({
        ...siteRow(s), // the site as the import stores it
        children: children.get(s.code) ?? 0,
        devices: devices.get(s.code) ?? 0,
      })),
    },
    links: {
      items: links.map((l) => ({
        ...facts(l),
        a: { ...l.a, site: siteOfDevice.get(l.a.device)! },
        b: { ...l.b, site: siteOfDevice.get(l.b.device)! },
      })),
    },
  };
}
