import type { Device, Link, LinkTier } from '@extranet/topology';
import { hash32, seededRandom, shuffled } from './rng';

/**
 * Which interfaces the lab serves below plan, so coverage shows gaps on a
 * fresh lab (as the real Huizhou network has: some townships still on 50 Mbps
 * lines, a county uplink contracted at 500 Mbps). The choice is deterministic
 * per seed and plan; the list is exposed so tests and demos know the answer.
 */

/** An interface whose ifHighSpeed the lab serves below the plan's speed. */
export interface Shortfall {
  hostname: string;
  ifName: string;
  tier: LinkTier;
  /** The plan's speed for the interface, Mbps. */
  planMbps: number;
  /** What the lab serves as ifHighSpeed, Mbps: half the link's target (or of the plan speed without links). */
  actualMbps: number;
  /** The link the interface ends, when the plan's links were given. */
  linkId?: string;
}

/** How many links of each tier to serve below target. Defaults: 3 townships, 1 county. */
export interface ShortfallCounts {
  townships?: number;
  counties?: number;
}

/** Nominal speed when the plan gives none, Mbps. */
export const DEFAULT_SPEED_MBPS = 1000;

/** Map key of one interface. */
export const ifKey = (hostname: string, ifName: string): string => `${hostname}\u0000${ifName}`;

/**
 * The link tier of every interface: from the plan's links when given (an
 * interface on no link gets the speed rule), otherwise by rule — the
 * internet-exit device's ports are `city-internet`, ports of 1000 Mbps and up
 * `city-county`, slower ports `county-township`.
 */
export function interfaceTiers(devices: readonly Device[], links: readonly Link[] = []): Map<string, LinkTier> {
  const tiers = new Map<string, LinkTier>();
  for (const l of links) {
    tiers.set(ifKey(l.a.device, l.a.interface), l.tier);
    tiers.set(ifKey(l.b.device, l.b.interface), l.tier);
  }
  for (const d of devices) {
    for (const i of d.interfaces) {
      const key = ifKey(d.hostname, i.name);
      if (tiers.has(key)) continue;
      const speed = i.speedMbps ?? DEFAULT_SPEED_MBPS;
      tiers.set(key, d.role === 'internet-exit' ? 'city-internet' : speed >= 1000 ? 'city-county' : 'county-township');
    }
  }
  return tiers;
}

/**
 * Picks the links (or, without links, the interfaces) served below target:
 * `townships` of tier county-township and `counties` of tier city-county, by a
 * seeded shuffle of the candidates sorted by name. With links, both ends that
 * the lab serves are lowered to half the link's target.
 *
 * @example chooseShortfalls(plan.devices, { links: plan.links, seed: 1 })
 */
export function chooseShortfalls(
  devices: readonly Device[],
  options: { links?: readonly Link[]; seed?: number; counts?: ShortfallCounts } = {},
): Shortfall[] {
  const seed = options.seed ?? 1;
  const want: [LinkTier, number][] = [
    ['county-township', options.counts?.townships ?? 3],
    ['city-county', options.counts?.counties ?? 1],
  ];
  const served = new Map<string, number>();
  for (const d of devices) for (const i of d.interfaces) served.set(ifKey(d.hostname, i.name), i.speedMbps ?? DEFAULT_SPEED_MBPS);
  const out: Shortfall[] = [];

  if (options.links !== undefined && options.links.length > 0) {
    for (const [tier, count] of want) {
      const candidates = options.links
        .filter((l) => l.tier === tier && [l.a, l.b].some((e) => served.has(ifKey(e.device, e.interface))))
        .sort((x, y) => (x.id < y.id ? -1 : 1));
      for (const link of shuffled(candidates, seededRandom(hash32(seed, 'shortfall', tier))).slice(0, count)) {
        for (const end of [link.a, link.b]) {
          const planMbps = served.get(ifKey(end.device, end.interface));
          if (planMbps === undefined) continue;
          const actualMbps = Math.max(1, Math.floor(link.targetMbps / 2));
          out.push({ hostname: end.device, ifName: end.interface, tier, planMbps, actualMbps, linkId: link.id });
        }
      }
    }
    return out;
  }

  const tiers = interfaceTiers(devices);
  for (const [tier, count] of want) {
    const candidates = devices
      .flatMap((d) => d.interfaces.map((i) => ({ hostname: d.hostname, ifName: i.name })))
      .filter((c) => tiers.get(ifKey(c.hostname, c.ifName)) === tier)
      .sort((x, y) => (ifKey(x.hostname, x.ifName) < ifKey(y.hostname, y.ifName) ? -1 : 1));
    for (const c of shuffled(candidates, seededRandom(hash32(seed, 'shortfall', tier))).slice(0, count)) {
      const planMbps = served.get(ifKey(c.hostname, c.ifName)) as number;
      out.push({ ...c, tier, planMbps, actualMbps: Math.max(1, Math.floor(planMbps / 2)) });
    }
  }
  return out;
}
