/**
 * Single points of failure: for every site, which one link or one device whose
 * loss cuts the site off from the city core.
 *
 * Model. Nodes are devices, edges are the links given (the caller passes only
 * usable ones: built and not down). The **core** is a set of devices (the city's
 * core and backup-core); a site is **reached** when ANY of its devices is
 * connected to ANY core device. A failure element cuts a site off when, with it
 * removed, none of the site's devices reaches any remaining core device. A
 * site's own devices are never reported as SPOFs for itself.
 *
 * Method (linear time, iterative — no recursion, so 10k-node chains are fine):
 * 1. Subdivide every link with a node of its own, so a link failure becomes a
 *    node failure (a link-node is a cut vertex exactly when the link is a bridge),
 *    and join all core devices to one virtual root R, which cannot fail.
 * 2. One Hopcroft–Tarjan DFS from R gives `disc`/`low`. A vertex p separates its
 *    DFS child v (and v's subtree) from R exactly when `low[v] ≥ disc[p]`.
 * 3. In undirected graphs, the vertices separating v from R are p (if it
 *    separates v) plus those separating p, so "nearest separator" pointers
 *    `sep[v] = (p ≠ R && low[v] ≥ disc[p]) ? p : sep[p]`, filled in DFS preorder,
 *    form a tree — the undirected analogue of a dominator tree — and v's SPOFs are
 *    its proper ancestors in it.
 * 4. A site with devices d1…dk is cut by x iff x cuts every di: the intersection
 *    of their ancestor chains, i.e. the chain from their lowest common ancestor m
 *    in the separator tree (m itself excluded when m is one of the site's devices).
 * Cost: O(devices + links) for steps 1–3, O(n log depth) for the LCA index, plus
 * O(chain length) per site to list its SPOFs — the size of the answer (small for a
 * three-tier network; a long chain of distinct sites makes the answer itself quadratic).
 * Checked against a brute-force oracle (remove each element, search again) in spof.test.ts.
 */
import type { Device, LinkEnd } from '../plan/types';
import { buildCsr } from './graph';

/** One element whose failure can cut sites off. */
export type FailureElement = { kind: 'link'; id: string } | { kind: 'device'; hostname: string };

/** The graph to analyse: plan devices and links fit as they are. */
export interface FailureGraph {
  /** Site codes to report on; sites without any device are reported unreached. Device sites are added. */
  sites?: readonly string[];
  devices: ReadonlyArray<Pick<Device, 'hostname' | 'site'>>;
  /** Usable links only. Links naming unknown devices, and loops on one device, are ignored. */
  links: ReadonlyArray<{ id: string; a: Pick<LinkEnd, 'device'>; b: Pick<LinkEnd, 'device'> }>;
  /** Hostnames of the core devices. */
  core: readonly string[];
}

export interface SiteFailures {
  /** Some device of the site reaches the core. */
  reached: boolean;
  /** Elements whose single loss cuts the site off, nearest the core first. Empty when unreached. */
  failures: FailureElement[];
}

export interface FailureAnalysis {
  /** Per site code. */
  sites: Map<string, SiteFailures>;
  /** Every element that is a SPOF for at least one site, with those sites; most sites first. */
  impact: Array<{ element: FailureElement; sites: string[] }>;
}

/**
 * Find every site's single points of failure.
 *
 * @example
 * // city-core —L1— county —L2— town (one core device, so it is a SPOF too)
 * singlePointsOfFailure({ devices, links, core: ['city-core'] }).sites.get('town')
 * // → { reached: true, failures: [{kind:'device',hostname:'city-core'}, {kind:'link',id:'L1'},
 * //                               {kind:'device',hostname:'county'}, {kind:'link',id:'L2'}] }
 */
export function singlePointsOfFailure(graph: FailureGraph): FailureAnalysis {
  const deviceCount = graph.devices.length;
  const index = new Map<string, number>();
  graph.devices.forEach((d, i) => index.set(d.hostname, i + 1)); // node 0 is the virtual root R

  // Edges: R–core, and device–linkNode–device for each usable link.
  const ends: number[] = [];
  const coreNodes = new Set<number>();
  for (const h of graph.core) {
    const v = index.get(h);
    if (v !== undefined && !coreNodes.has(v)) {
      coreNodes.add(v);
      ends.push(0, v);
    }
  }
  const linkIds: string[] = [];
  for (const link of graph.links) {
    const a = index.get(link.a.device);
    const b = index.get(link.b.device);
    if (a === undefined || b === undefined || a === b) continue;
    const ln = deviceCount + 1 + linkIds.length;
    linkIds.push(link.id);
    ends.push(a, ln, ln, b);
  }
  const n = deviceCount + 1 + linkIds.length;
  const csr = buildCsr(n, ends);
  const { visited, parent, order, count, low, disc } = dfs(csr);

  // Separator tree, filled in preorder so a parent's entry is ready before its children's.
  const sep = new Int32Array(n);
  const depth = new Int32Array(n);
  for (let k = 1; k < count; k++) {
    const v = order[k]!;
    const p = parent[v]!;
    sep[v] = p !== 0 && low[v]! >= disc[p]! ? p : sep[p]!;
    depth[v] = sep[v] === 0 ? 0 : depth[sep[v]]! + 1;
  }

  const element = (v: number): FailureElement =>
    v > deviceCount ? { kind: 'link', id: linkIds[v - deviceCount - 1]! } : { kind: 'device', hostname: graph.devices[v - 1]!.hostname };
  const lca = ancestorIndex(sep, depth, n);
  const bySite = new Map<string, number[]>();
  for (const code of graph.sites ?? []) bySite.set(code, []);
  graph.devices.forEach((d, i) => {
    const list = bySite.get(d.site);
    if (list) list.push(i + 1);
    else bySite.set(d.site, [i + 1]);
  });

  const sites = new Map<string, SiteFailures>();
  const impact = new Map<number, string[]>();
  for (const [code, nodes] of bySite) {
    let m = -1;
    for (const v of nodes) if (visited[v]) m = m === -1 ? v : lca(m, v);
    if (m === -1) {
      sites.set(code, { reached: false, failures: [] });
      continue;
    }
    const failures: FailureElement[] = [];
    // Only m itself can be one of the site's devices: an own device above m would be the common ancestor.
    for (let x = nodes.includes(m) ? sep[m]! : m; x !== 0; x = sep[x]!) {
      failures.push(element(x));
      const list = impact.get(x);
      if (list) list.push(code);
      else impact.set(x, [code]);
    }
    sites.set(code, { reached: true, failures: failures.reverse() });
  }

  const impactList = [...impact].map(([v, codes]) => ({ element: element(v), sites: codes }));
  impactList.sort((p, q) => q.sites.length - p.sites.length);
  return { sites, impact: impactList };
}

/**
 * Lowest common ancestor in the separator tree by binary lifting: O(n log depth)
 * to build, O(log depth) per query — so a site with thousands of devices on a long
 * chain costs no more than its answer.
 */
function ancestorIndex(parentOf: Int32Array, depth: Int32Array, n: number): (x: number, y: number) => number {
  let maxDepth = 0;
  for (let v = 0; v < n; v++) if (depth[v]! > maxDepth) maxDepth = depth[v]!;
  let levels = 1;
  while (1 << levels <= maxDepth) levels++;
  const up = new Int32Array(levels * n);
  up.set(parentOf);
  for (let k = 1; k < levels; k++) {
    for (let v = 0; v < n; v++) up[k * n + v] = up[(k - 1) * n + up[(k - 1) * n + v]!]!;
  }
  return (x, y) => {
    if (depth[x]! < depth[y]!) [x, y] = [y, x];
    for (let k = 0, diff = depth[x]! - depth[y]!; diff > 0; k++, diff >>= 1) if (diff & 1) x = up[k * n + x]!;
    if (x === y) return x;
    for (let k = levels - 1; k >= 0; k--) {
      if (up[k * n + x] !== up[k * n + y]) {
        x = up[k * n + x]!;
        y = up[k * n + y]!;
      }
    }
    return up[x]!;
  };
}

/** Iterative Hopcroft–Tarjan DFS from node 0: discovery times, low-links, DFS parents and preorder. */
function dfs(csr: { nodeCount: number; start: Int32Array; target: Int32Array }) {
  const n = csr.nodeCount;
  const disc = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const parent = new Int32Array(n).fill(-1);
  const next = csr.start.slice(0, n); // next adjacency slot to scan, per node
  const stack = new Int32Array(n);
  const order = new Int32Array(n);
  const visited = new Uint8Array(n);
  let sp = 0;
  let time = 0;
  stack[sp++] = 0;
  disc[0] = low[0] = time;
  order[time++] = 0;
  visited[0] = 1;
  while (sp > 0) {
    const v = stack[sp - 1]!;
    if (next[v]! < csr.start[v + 1]!) {
      const w = csr.target[next[v]!++]!;
      if (disc[w] === -1) {
        parent[w] = v;
        disc[w] = low[w] = time;
        order[time++] = w;
        visited[w] = 1;
        stack[sp++] = w;
      } else if (w !== parent[v] && disc[w]! < low[v]!) {
        // The subdivided graph has no parallel edges, so skipping the parent by node is exact.
        low[v] = disc[w]!;
      }
    } else {
      sp--;
      const p = parent[v]!;
      if (p !== -1 && low[v]! < low[p]!) low[p] = low[v]!;
    }
  }
  return { disc, low, parent, order, count: time, visited };
}
