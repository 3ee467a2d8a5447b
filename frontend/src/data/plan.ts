import { api } from '../api/client';
import type { LinkRow, SiteRow, Topology } from '../api/types';

/**
 * The plan as the UI needs it, fetched once per page load: the drawing view
 * (`/api/topology`), every site with its status (`/api/sites`: the topology
 * nodes do not carry it) and every link with its device ends (`/api/links`).
 */
export interface PlanData {
  topology: Topology;
  sites: SiteRow[];
  links: LinkRow[];
  site: (code: string) => SiteRow | undefined;
  /** A site's name, or the code itself when unknown. */
  nameOf: (code: string) => string;
  /** The city site (root of the hierarchy), when there is one. */
  city: SiteRow | undefined;
  /** The site a device stands at, for devices at the end of some link. */
  siteOfDevice: (hostname: string) => string | undefined;
}

let loading: Promise<PlanData> | undefined;

export function loadPlan(): Promise<PlanData> {
  loading ??= (async () => {
    const [topology, sites, links] = await Promise.all([api.topology(), api.sites(), api.links()]);
    const byCode = new Map(sites.items.map((s) => [s.code, s]));
    const deviceSite = new Map(links.items.flatMap((l) => [[l.a.device, l.a.site], [l.b.device, l.b.site]] as const));
    return {
      topology,
      sites: sites.items,
      links: links.items,
      site: (code) => byCode.get(code),
      nameOf: (code) => byCode.get(code)?.name ?? code,
      city: sites.items.find((s) => s.tier === 'city'),
      siteOfDevice: (hostname) => deviceSite.get(hostname),
    };
  })();
  // A failed load is not cached: the next view that asks tries again.
  loading.catch(() => (loading = undefined));
  return loading;
}
