import { bfs, buildCsr } from '../monitor/graph';
import { cachedSinglePointsOfFailure, linkRedundancy } from '../monitor/spof-cache';
import { UNREACHABLE_STATUSES, type AlertSnapshot } from './snapshot';

/**
 * Which failures are causes and which are consequences, from the graph — never
 * from the order things were polled in (LibreNMS's race, research §3.2).
 *
 * Failed elements: built links judged `down`, and managed devices that did not
 * answer (timeout, unreachable). A link is *usable* when it is built, not down
 * and neither end device has failed; links of unknown state count as usable
 * (no news is not a failure). A site is *reached* when one of its devices is
 * connected to a working core device over usable links.
 *
 * - A failed element is a **root cause** when, restored on its own, it would
 *   be reached (a link: one of its ends is reached; a device: it is core or
 *   has a non-down built link to a reached device). Other failed elements lie
 *   behind a root cause: their own alerts are suppressed.
 * - The **cut-off** sites of a root cause x: sites unreached now and reached
 *   once x and every non-root failure are restored — "what comes back when x
 *   is fixed".
 * - A site **lost its backup path** when, with every built link working, no
 *   single link separates it from the core, and now one does; its **causes**
 *   are the root causes whose restoration gives the redundancy back.
 * Cost: two SPOF passes and one bridge tree for the whole network, then per root cause a search of
 * what it brings back (not of the whole network) — at national size (40,000 sites) hundreds of
 * failures are ordinary. A root that brings back a device of a site that lost its backup (rare) gets
 * a SPOF pass of its own.
 */
export type ElementRef = { kind: 'link'; id: string } | { kind: 'device'; hostname: string };

export const elementKey = (e: ElementRef): string => (e.kind === 'link' ? `link:${e.id}` : `device:${e.hostname}`);

export interface DependencyAnalysis {
  /** Root-cause elements, keyed by `elementKey`, with the sites they cut off and the sites that lost their backup path through them (sorted codes). */
  causes: Map<string, { element: ElementRef; cutOff: string[]; degraded: string[] }>;
  /** Sites not reached from the core now, with the root causes that cut them off (empty: cut off by no failure, e.g. not connected in the plan). */
  unreached: Map<string, string[]>;
  /** Sites that had a backup path with everything working and have none now (still reached), with their causes. */
  backupLost: Map<string, string[]>;
  /** Failed elements behind a root cause (keys), with the causes that hide them. */
  behind: Map<string, string[]>;
  /** Devices reached now. */
  reachedDevices: Set<string>;
  /** Causes cutting off a device that did not fail itself (its site's causes); empty when reached. */
  deviceCauses(hostname: string): string[];
  /** Causes cutting off a working link: both its ends unreached (their sites' causes); empty otherwise. */
  linkCauses(id: string): string[];
}

export function analyseDependencies(snap: AlertSnapshot): DependencyAnalysis {
  const index = new Map(snap.devices.map((d, i) => [d.hostname, i]));
  const built = snap.links.filter((l) => l.status === 'built' && index.has(l.a.device) && index.has(l.b.device));
  const failedDevice = new Set(
    snap.devices.filter((d) => d.managed && UNREACHABLE_STATUSES.has(snap.deviceStatus.get(d.hostname) ?? '')).map((d) => d.hostname),
  );
  // A down link with a dead end device is that device's failure, not one of its own.
  const failedLink = new Set(
    built.filter((l) => l.state === 'down' && !failedDevice.has(l.a.device) && !failedDevice.has(l.b.device)).map((l) => l.id),
  );
  const ends: number[] = [];
  for (const l of built) ends.push(index.get(l.a.device)!, index.get(l.b.device)!);
  const csr = buildCsr(snap.devices.length, ends);

  /** Devices reached when the given failures are restored. */
  const reach = (restored: ReadonlySet<string>): Uint8Array => {
    const deviceOk = (h: string) => !failedDevice.has(h) || restored.has(`device:${h}`);
    const sources = snap.core.filter((h) => index.has(h) && deviceOk(h)).map((h) => index.get(h)!);
    const tree = bfs(csr, sources, (e) => {
      const l = built[e]!;
      return (!failedLink.has(l.id) || restored.has(`link:${l.id}`)) && deviceOk(l.a.device) && deviceOk(l.b.device);
    });
    const out = new Uint8Array(snap.devices.length);
    for (let v = 0; v < out.length; v++) out[v] = tree.dist[v] !== -1 ? 1 : 0;
    return out;
  };
  const none = new Set<string>();
  const now = reach(none);
  const reachedDevices = new Set(snap.devices.filter((_, i) => now[i]).map((d) => d.hostname));
  const isReached = (h: string) => reachedDevices.has(h);

  // Root causes: restored alone, the element would be reached.
  const roots: ElementRef[] = [];
  const behindAll: string[] = [];
  for (const l of built) {
    if (!failedLink.has(l.id)) continue;
    if (isReached(l.a.device) || isReached(l.b.device)) roots.push({ kind: 'link', id: l.id });
    else behindAll.push(`link:${l.id}`);
  }
  for (const h of [...failedDevice].sort()) {
    const isCore = snap.core.includes(h);
    const v = index.get(h);
    if (v === undefined) continue;
    let neighbourReached = false;
    for (let i = csr.start[v]!; i < csr.start[v + 1]! && !neighbourReached; i++) {
      const l = built[csr.edge[i]!]!;
      if (!failedLink.has(l.id) && isReached(snap.devices[csr.target[i]!]!.hostname)) neighbourReached = true;
    }
    if (isCore || neighbourReached) roots.push({ kind: 'device', hostname: h });
    else behindAll.push(`device:${h}`);
  }

  /**
   * What restoring a root cause (with every failure behind a root, `restored`) brings back: the devices
   * unreached now that it reaches (`fresh`), and the reached points — devices reached now, or -1 for the
   * core itself — the restored part touches (`attached`). The same as a BFS from the core with those
   * elements restored, minus what is reached now: a path from the reached part into the unreached one
   * can only cross the root (a failure behind a root touches nothing reached, or it would be a root),
   * so the search starts at the root and never enters the reached part. Its cost is the size of what
   * comes back, not of the network.
   */
  const edgeOf = new Map(built.map((l, e) => [l.id, e]));
  const restoredReach = (root: ElementRef, restored: ReadonlySet<string>): { fresh: number[]; attached: Set<number> } => {
    const deviceOk = (h: string) => !failedDevice.has(h) || restored.has(`device:${h}`);
    const usable = (e: number) => {
      const l = built[e]!;
      return (!failedLink.has(l.id) || restored.has(`link:${l.id}`)) && deviceOk(l.a.device) && deviceOk(l.b.device);
    };
    const attached = new Set<number>(); // device indices; -1: the core
    const seen = new Set<number>();
    const fresh: number[] = [];
    const seed = (v: number) => {
      if (now[v] || seen.has(v)) return;
      seen.add(v);
      fresh.push(v);
    };
    if (root.kind === 'link') {
      const e = edgeOf.get(root.id)!;
      const [a, b] = [index.get(built[e]!.a.device)!, index.get(built[e]!.b.device)!];
      if (usable(e)) {
        if (now[a]) attached.add(a);
        if (now[b]) attached.add(b);
        if (now[a]) seed(b);
        if (now[b]) seed(a);
      }
    } else {
      const v = index.get(root.hostname)!;
      if (coreIndex.has(v)) attached.add(-1);
      for (let i = csr.start[v]!; i < csr.start[v + 1]!; i++) if (now[csr.target[i]!] && usable(csr.edge[i]!)) attached.add(csr.target[i]!);
      if (attached.size > 0) seed(v);
    }
    for (let k = 0; k < fresh.length; k++) {
      const v = fresh[k]!;
      for (let i = csr.start[v]!; i < csr.start[v + 1]!; i++) {
        if (!usable(csr.edge[i]!)) continue;
        const t = csr.target[i]!;
        if (now[t]) attached.add(t);
        else seed(t);
      }
    }
    return { fresh, attached };
  };

  const sitesOf = (reached: Uint8Array) => {
    const s = new Set<string>();
    snap.devices.forEach((d, i) => {
      if (reached[i]) s.add(d.site);
    });
    return s;
  };
  const sitesNow = sitesOf(now);
  const allSites = new Set([...snap.sites.map((s) => s.code), ...snap.devices.map((d) => d.site)]);

  // Redundancy: link SPOFs with every built link working, and now.
  const siteList = [...allSites];
  const linkSpofSites = (usable: (l: (typeof built)[number]) => boolean) =>
    linkRedundancy(cachedSinglePointsOfFailure({ sites: siteList, devices: snap.devices, links: built.filter(usable), core: snap.core }));
  const planned = linkSpofSites(() => true);
  const usableWith = (restored: ReadonlySet<string>) => (l: (typeof built)[number]) => {
    const ok = (h: string) => !failedDevice.has(h) || restored.has(`device:${h}`);
    return (!failedLink.has(l.id) || restored.has(`link:${l.id}`)) && ok(l.a.device) && ok(l.b.device);
  };
  const current = linkSpofSites(usableWith(none));
  const lostNow = [...current.noBackup].filter((c) => planned.reached.has(c) && !planned.noBackup.has(c));

  const causes = new Map<string, { element: ElementRef; cutOff: string[]; degraded: string[] }>();
  const unreached = new Map<string, string[]>();
  const backupLost = new Map<string, string[]>();
  for (const c of allSites) if (!sitesNow.has(c)) unreached.set(c, []);
  for (const c of lostNow) backupLost.set(c, []);
  roots.sort((x, y) => (elementKey(x) < elementKey(y) ? -1 : 1));
  const lostSites = new Set(lostNow);
  const bridgesNow = bridgeTree(
    snap,
    csr,
    index,
    (e) => !failedLink.has(built[e]!.id) && !failedDevice.has(built[e]!.a.device) && !failedDevice.has(built[e]!.b.device),
  );
  const coreIndex = new Set(snap.core.flatMap((h) => (index.has(h) ? [index.get(h)!] : [])));
  for (const root of roots) {
    const key = elementKey(root);
    const restored = new Set([key, ...behindAll]);
    const { fresh, attached } = restoredReach(root, restored);
    const cutOff = [...new Set(fresh.map((v) => snap.devices[v]!.site))].filter((c) => unreached.has(c)).sort();
    for (const c of cutOff) unreached.get(c)!.push(key);
    let degraded: string[] = [];
    if (lostNow.length && attached.size > 1) {
      if (fresh.some((v) => lostSites.has(snap.devices[v]!.site))) {
        // Rare: the root brings back a device of a site that lost its backup — a SPOF pass of its own.
        const fixed = linkSpofSites(usableWith(restored));
        degraded = lostNow.filter((c) => fixed.reached.has(c) && !fixed.noBackup.has(c)).sort();
      } else degraded = bridgesNow.closedBy(attached, lostNow);
    } else if (lostNow.length && fresh.some((v) => lostSites.has(snap.devices[v]!.site))) {
      const fixed = linkSpofSites(usableWith(restored));
      degraded = lostNow.filter((c) => fixed.reached.has(c) && !fixed.noBackup.has(c)).sort();
    }
    for (const c of degraded) backupLost.get(c)!.push(key);
    causes.set(key, { element: root, cutOff, degraded });
  }
  // What hides each failure behind a root cause: the causes that cut off its ends' sites.
  // By the indexes above: two more maps of every device and link cost an evaluation ~0.1 s at national size.
  const siteOf = (h: string) => (index.has(h) ? snap.devices[index.get(h)!]!.site : undefined);
  const linkById = (id: string) => (edgeOf.has(id) ? built[edgeOf.get(id)!] : undefined);
  const behind = new Map<string, string[]>();
  for (const key of behindAll) {
    const sites = key.startsWith('link:')
      ? [siteOf(linkById(key.slice(5))!.a.device)!, siteOf(linkById(key.slice(5))!.b.device)!]
      : [siteOf(key.slice(7))!];
    behind.set(key, [...new Set(sites.flatMap((s) => unreached.get(s) ?? []))].sort());
  }
  const causesOfSites = (hosts: string[]) =>
    [...new Set(hosts.flatMap((h) => (isReached(h) ? [] : (unreached.get(siteOf(h) ?? '') ?? []))))].sort();
  return {
    causes,
    unreached,
    backupLost,
    behind,
    reachedDevices,
    deviceCauses: (h) => (isReached(h) ? [] : causesOfSites([h])),
    linkCauses: (id) => {
      const l = linkById(id);
      if (!l) return [];
      const dead = [l.a.device, l.b.device].filter((h) => failedDevice.has(h));
      if (dead.length) {
        // Down because an end device died: that device (or what hides it) is the cause.
        return [...new Set(dead.flatMap((h) => (causes.has(`device:${h}`) ? [`device:${h}`] : (behind.get(`device:${h}`) ?? []))))].sort();
      }
      if (isReached(l.a.device) || isReached(l.b.device)) return [];
      return causesOfSites([l.a.device, l.b.device]);
    },
  };
}

/**
 * The bridges of the usable links now, as a tree of 2-edge-connected blocks rooted at the core's (the
 * core devices joined to one root that cannot fail) — what `singlePointsOfFailure` finds of the link
 * failures, kept to answer, per root cause, which sites that lost their backup get it back when the
 * root is restored, without a SPOF pass per root. A site has a link SPOF exactly when the lowest common
 * block of its reached devices is not the root block (the bridges between them). Restoring a root whose
 * restored part touches the reached network at the points `attached` joins every block on the tree
 * paths between those points into one: a site loses all its link SPOFs exactly when those paths reach
 * the root block and pass its lowest common block — i.e. the points' common block is the root's and
 * the site's block is an ancestor of one of theirs.
 */
function bridgeTree(
  snap: AlertSnapshot,
  csr: ReturnType<typeof buildCsr>,
  index: ReadonlyMap<string, number>,
  usable: (e: number) => boolean,
): { closedBy(attached: ReadonlySet<number>, sites: readonly string[]): string[] } {
  // Vertex 0 is the root; device i is vertex i + 1. Root–core edges are doubled: they never fail.
  const n = snap.devices.length + 1;
  const ends: number[] = [];
  for (const h of snap.core) {
    const v = index.get(h);
    if (v !== undefined) ends.push(0, v + 1, 0, v + 1);
  }
  const linkEdge: number[] = [];
  for (let v = 0; v < csr.nodeCount; v++) {
    for (let i = csr.start[v]!; i < csr.start[v + 1]!; i++) {
      const t = csr.target[i]!;
      const e = csr.edge[i]!;
      if (v < t && usable(e)) {
        ends.push(v + 1, t + 1);
        linkEdge.push(e);
      }
    }
  }
  const g = buildCsr(n, ends);
  // Iterative DFS from the root: discovery times, low links, bridges (by edge, parallel edges kept apart).
  const disc = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const parentEdge = new Int32Array(n).fill(-1);
  const parentVertex = new Int32Array(n).fill(-1);
  const pos = new Int32Array(n);
  const isBridge = new Uint8Array(ends.length >> 1);
  let time = 0;
  const stack = [0];
  disc[0] = low[0] = time++;
  pos[0] = g.start[0]!;
  while (stack.length) {
    const v = stack[stack.length - 1]!;
    if (pos[v]! < g.start[v + 1]!) {
      const i = pos[v]!++;
      const e = g.edge[i]!;
      if (e === parentEdge[v]) continue;
      const w = g.target[i]!;
      if (disc[w] === -1) {
        disc[w] = low[w] = time++;
        parentEdge[w] = e;
        parentVertex[w] = v;
        pos[w] = g.start[w]!;
        stack.push(w);
      } else if (disc[w]! < low[v]!) low[v] = disc[w]!;
    } else {
      stack.pop();
      const p = parentVertex[v]!;
      if (p >= 0) {
        if (low[v]! < low[p]!) low[p] = low[v]!;
        if (low[v]! > disc[p]!) isBridge[parentEdge[v]!] = 1;
      }
    }
  }
  // Blocks: connected over non-bridges; a block's parent is the block across the bridge above it.
  const block = new Int32Array(n).fill(-1);
  const parentBlock: number[] = [];
  const depth: number[] = [];
  const order: number[] = [];
  for (let v = 0; v < n; v++) if (disc[v] !== -1) order.push(v);
  order.sort((x, y) => disc[x]! - disc[y]!);
  for (const s of order) {
    if (block[s] !== -1) continue;
    const b = parentBlock.length;
    const p = parentVertex[s]!;
    parentBlock.push(p >= 0 ? block[p]! : -1);
    depth.push(p >= 0 ? depth[block[p]!]! + 1 : 0);
    block[s] = b;
    const queue = [s];
    for (let k = 0; k < queue.length; k++) {
      const v = queue[k]!;
      for (let i = g.start[v]!; i < g.start[v + 1]!; i++) {
        const w = g.target[i]!;
        if (block[w] === -1 && !isBridge[g.edge[i]!]) {
          block[w] = b;
          queue.push(w);
        }
      }
    }
  }
  const lca = (x: number, y: number) => {
    while (depth[x]! > depth[y]!) x = parentBlock[x]!;
    while (depth[y]! > depth[x]!) y = parentBlock[y]!;
    while (x !== y) {
      x = parentBlock[x]!;
      y = parentBlock[y]!;
    }
    return x;
  };
  const devicesOf = new Map<string, number[]>();
  snap.devices.forEach((d, i) => {
    const list = devicesOf.get(d.site);
    if (list) list.push(i + 1);
    else devicesOf.set(d.site, [i + 1]);
  });
  const siteBlock = new Map<string, number>();
  const blockOfSite = (code: string) => {
    let b = siteBlock.get(code);
    if (b === undefined) {
      b = -1;
      for (const v of devicesOf.get(code) ?? []) if (block[v] !== -1) b = b === -1 ? block[v]! : lca(b, block[v]!);
      siteBlock.set(code, b);
    }
    return b;
  };
  const rootBlock = block[0]!;
  return {
    closedBy(attached, sites) {
      const blocks = [...attached].map((v) => (v === -1 ? rootBlock : block[v + 1]!)).filter((b) => b !== -1);
      if (blocks.length < 2 || blocks.reduce((m, b) => lca(m, b)) !== rootBlock) return [];
      const onPaths = new Set<number>();
      for (let b of blocks) for (; b !== -1 && !onPaths.has(b); b = parentBlock[b]!) onPaths.add(b);
      return sites.filter((c) => onPaths.has(blockOfSite(c))).sort();
    },
  };
}
