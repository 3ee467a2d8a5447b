import { bfs, buildCsr } from '../monitor/graph';
import { singlePointsOfFailure } from '../monitor/spof';
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
 * Cost: one BFS (and one SPOF pass) per root cause — failures are few.
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
  const linkSpofSites = (usable: (l: (typeof built)[number]) => boolean) => {
    const a = singlePointsOfFailure({
      sites: [...allSites],
      devices: snap.devices,
      links: built.filter(usable),
      core: snap.core,
    });
    const noBackup = new Set<string>();
    for (const [code, s] of a.sites) if (s.reached && s.failures.some((f) => f.kind === 'link')) noBackup.add(code);
    return { noBackup, reached: new Set([...a.sites].filter(([, s]) => s.reached).map(([c]) => c)) };
  };
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
  for (const root of roots) {
    const key = elementKey(root);
    const restored = new Set([key, ...behindAll]);
    const back = sitesOf(reach(restored));
    const cutOff = [...unreached.keys()].filter((c) => back.has(c)).sort();
    for (const c of cutOff) unreached.get(c)!.push(key);
    let degraded: string[] = [];
    if (lostNow.length) {
      const fixed = linkSpofSites(usableWith(restored));
      degraded = lostNow.filter((c) => fixed.reached.has(c) && !fixed.noBackup.has(c)).sort();
      for (const c of degraded) backupLost.get(c)!.push(key);
    }
    causes.set(key, { element: root, cutOff, degraded });
  }
  // What hides each failure behind a root cause: the causes that cut off its ends' sites.
  const siteOf = new Map(snap.devices.map((d) => [d.hostname, d.site]));
  const linkById = new Map(built.map((l) => [l.id, l]));
  const behind = new Map<string, string[]>();
  for (const key of behindAll) {
    const sites = key.startsWith('link:')
      ? [siteOf.get(linkById.get(key.slice(5))!.a.device)!, siteOf.get(linkById.get(key.slice(5))!.b.device)!]
      : [siteOf.get(key.slice(7))!];
    behind.set(key, [...new Set(sites.flatMap((s) => unreached.get(s) ?? []))].sort());
  }
  const causesOfSites = (hosts: string[]) =>
    [...new Set(hosts.flatMap((h) => (isReached(h) ? [] : (unreached.get(siteOf.get(h) ?? '') ?? []))))].sort();
  return {
    causes,
    unreached,
    backupLost,
    behind,
    reachedDevices,
    deviceCauses: (h) => (isReached(h) ? [] : causesOfSites([h])),
    linkCauses: (id) => {
      const l = linkById.get(id);
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
