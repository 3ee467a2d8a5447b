/**
 * The primary path of each site: the chain of `uplink` links from the city core
 * (ARCHITECTURE.md: uplink = "the primary path toward the city core"). Backup
 * and internet-exit links never belong to it. Cost: O(devices + uplinks).
 */
import type { Device, Link } from '../plan/types';
import type { LinkCompliance } from './compliance';
import { bfs, buildCsr, pathTo, type BfsTree } from './graph';

/**
 * Per site: is there a chain of `uplink` links from the core that all meet their
 * target, and which chain is its primary path (that one, or else the shortest
 * uplink chain of the plan, whatever the links' state, to explain the failure)?
 * Two BFS from the core devices; the chain goes to the site's nearest device.
 * `stateOf[i]` is the compliance of `graph.links[i]`; paths are indices into `graph.links`.
 */
export interface PrimaryPaths {
  /** `meets`: a compliant uplink chain exists; `links`: indices into `graph.links`, core first; absent when no chain exists. */
  path(site: string): { meets: boolean; links?: number[] };
}

export function primaryPaths(
  graph: { devices: readonly Pick<Device, 'hostname' | 'site'>[]; links: readonly Link[] },
  core: readonly string[],
  stateOf: ReadonlyArray<LinkCompliance | undefined>,
): PrimaryPaths {
  const index = new Map(graph.devices.map((d, i) => [d.hostname, i]));
  const ends: number[] = [];
  const linkOf: number[] = []; // uplink edge → index in graph.links
  graph.links.forEach((l, i) => {
    if (l.kind !== 'uplink') return;
    const a = index.get(l.a.device);
    const b = index.get(l.b.device);
    if (a === undefined || b === undefined || a === b) return;
    ends.push(a, b);
    linkOf.push(i);
  });
  const csr = buildCsr(graph.devices.length, ends);
  const sources = core.map((h) => index.get(h)!);
  const meeting = bfs(csr, sources, (e) => stateOf[linkOf[e]!]?.meetsTarget === true);
  const planned = bfs(csr, sources);
  const devicesOf = new Map<string, number[]>();
  graph.devices.forEach((d, i) => {
    const list = devicesOf.get(d.site);
    if (list) list.push(i);
    else devicesOf.set(d.site, [i]);
  });
  const nearest = (tree: BfsTree, site: string): number | undefined => {
    let best: number | undefined;
    for (const v of devicesOf.get(site) ?? []) {
      if (tree.dist[v] !== -1 && (best === undefined || tree.dist[v]! < tree.dist[best]!)) best = v;
    }
    return best;
  };
  return {
    path(site) {
      const met = nearest(meeting, site);
      if (met !== undefined) return { meets: true, links: pathTo(meeting, met)!.map((e) => linkOf[e]!) };
      const v = nearest(planned, site);
      return v === undefined ? { meets: false } : { meets: false, links: pathTo(planned, v)!.map((e) => linkOf[e]!) };
    },
  };
}
