import type { PlanSections } from './structure';

/**
 * Lookup tables over the parsed files, shared by the cross-file checks. Each
 * key maps to its FIRST occurrence: later duplicates are reported by the
 * duplicate checks and otherwise ignored, so one typo yields one issue.
 */

export type ParsedSite = PlanSections['sites'][number];
export type ParsedDevice = PlanSections['devices'][number];
export type ParsedLink = PlanSections['links'][number];

/** An item and its position in its file's list (for `sites[3]`-style paths). */
export interface Indexed<T> {
  item: T;
  index: number;
}

export interface PlanIndex {
  sections: PlanSections;
  sites: Map<string, Indexed<ParsedSite>>;
  devices: Map<string, Indexed<ParsedDevice>>;
  /** hostname → interface names of that device. */
  interfaces: Map<string, Set<string>>;
}

/** Builds the lookup tables; never fails. */
export function indexPlan(sections: PlanSections): PlanIndex {
  const interfaces = new Map<string, Set<string>>();
  const devices = firstByKey(sections.devices, (device) => device.hostname);
  for (const [hostname, { item }] of devices) {
    interfaces.set(hostname, new Set(item.interfaces.map((iface) => iface.name)));
  }
  return { sections, sites: firstByKey(sections.sites, (site) => site.code), devices, interfaces };
}

/** Map from key to the first item carrying it. */
export function firstByKey<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, Indexed<T>> {
  const map = new Map<string, Indexed<T>>();
  items.forEach((item, index) => {
    const key = keyOf(item);
    if (!map.has(key)) map.set(key, { item, index });
  });
  return map;
}

/**
 * Reports every item whose key was already used by an earlier item: the
 * generic "duplicate" rule for site codes, hostnames, interface names, link ids.
 * `pathOf(index)` gives the offending key's path.
 */
export function duplicatesOf<T>(
  items: readonly T[],
  keyOf: (item: T) => string | undefined,
  pathOf: (index: number) => string,
): { index: number; key: string; firstPath: string }[] {
  const seen = new Map<string, number>();
  const found: { index: number; key: string; firstPath: string }[] = [];
  items.forEach((item, index) => {
    const key = keyOf(item);
    if (key === undefined) return;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, index);
    else found.push({ index, key, firstPath: pathOf(first) });
  });
  return found;
}

/** The site a device stands at, if the device and its site both resolve. */
export function siteOfDevice(index: PlanIndex, hostname: string): ParsedSite | undefined {
  const device = index.devices.get(hostname)?.item;
  return device === undefined ? undefined : index.sites.get(device.site)?.item;
}
