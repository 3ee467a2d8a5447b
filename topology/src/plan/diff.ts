import type { Device, Interface, Link, Plan, Site } from './types';

/**
 * What re-importing a plan would change: for sites, devices, interfaces and
 * links, the keys added, changed (with the names of the changed fields) and
 * removed. Both sides are Plans; the importer reads the current graph into a
 * Plan (or starts from {@link emptyPlan}) and diffs it with the validated file plan.
 */

/** Changes of one kind of record, keys sorted. */
export interface RecordChanges {
  added: string[];
  /** Keys present on both sides whose fields differ, with those field names (sorted, e.g. `name`, `b.interface`). */
  changed: { key: string; fields: string[] }[];
  removed: string[];
}

/** The difference between two plans. */
export interface PlanDiff {
  /**
   * Plan-level fields, as one record keyed `plan`: only `changed` is ever
   * filled, with `name`, `city`, `targets.<tier>`, `snmpProfiles`. Same shape as
   * the others so callers can loop over every entry of a PlanDiff alike.
   */
  settings: RecordChanges;
  /** Keyed by site code. */
  sites: RecordChanges;
  /** Keyed by hostname; interface changes are listed under `interfaces`, not as a device field. */
  devices: RecordChanges;
  /** Keyed `hostname|ifName`. */
  interfaces: RecordChanges;
  /** Keyed by link id. */
  links: RecordChanges;
}

/** A plan with nothing in it: the `before` of a first import. */
export function emptyPlan(): Plan {
  return {
    name: '',
    city: '',
    targets: { 'city-internet': 0, 'city-county': 0, 'county-township': 0 },
    snmpProfiles: [],
    sites: [],
    devices: [],
    links: [],
  };
}

/**
 * Diffs two plans. Pure; the inputs are not modified. An absent optional field
 * equals an absent one, and a site without `status` counts as `built` (the
 * default), so a graph read without defaults diffs cleanly against a validated plan.
 *
 * @example
 * diffPlans(emptyPlan(), plan).sites.added // every site code of plan, sorted
 */
export function diffPlans(before: Plan, after: Plan): PlanDiff {
  return {
    settings: { added: [], changed: settingsChanged(before, after), removed: [] },
    sites: diffRecords(before.sites, after.sites, (s) => s.code, siteFields),
    devices: diffRecords(before.devices, after.devices, (d) => d.hostname, deviceFields),
    interfaces: diffRecords(interfacesOf(before), interfacesOf(after), (i) => i.key, interfaceFields),
    links: diffRecords(before.links, after.links, (l) => l.id, linkFields),
  };
}

/** True when applying `after` over `before` would change nothing. */
export function isEmptyDiff(diff: PlanDiff): boolean {
  const records: Record<keyof PlanDiff, RecordChanges> = diff; // every entry has the same shape (checked here)
  return Object.values(records).every((r) => r.added.length + r.changed.length + r.removed.length === 0);
}

type Fields = Record<string, unknown>;

/** The compared fields of each record kind; adding a field to types.ts means adding it here. */
function siteFields(s: Site): Fields {
  return { name: s.name, tier: s.tier, kind: s.kind, parent: s.parent, legalCounty: s.legalCounty, status: s.status ?? 'built' };
}

function deviceFields(d: Device): Fields {
  return { site: d.site, role: d.role, vendor: d.vendor, model: d.model, mgmtAddress: d.mgmtAddress, snmpProfile: d.snmpProfile };
}

function interfaceFields(i: KeyedInterface): Fields {
  return { description: i.iface.description, speedMbps: i.iface.speedMbps };
}

function linkFields(l: Link): Fields {
  return {
    kind: l.kind,
    tier: l.tier,
    'a.device': l.a.device,
    'a.interface': l.a.interface,
    'b.device': l.b.device,
    'b.interface': l.b.interface,
    targetMbps: l.targetMbps,
    contractedMbps: l.contractedMbps,
    status: l.status,
    carrier: l.carrier,
  };
}

interface KeyedInterface {
  key: string;
  iface: Interface;
}

function interfacesOf(plan: Plan): KeyedInterface[] {
  return plan.devices.flatMap((d) => d.interfaces.map((iface) => ({ key: `${d.hostname}|${iface.name}`, iface })));
}

function diffRecords<T>(before: readonly T[], after: readonly T[], keyOf: (r: T) => string, fieldsOf: (r: T) => Fields): RecordChanges {
  const old = new Map(before.map((r) => [keyOf(r), r]));
  const now = new Map(after.map((r) => [keyOf(r), r]));
  const changed: RecordChanges['changed'] = [];
  for (const [key, record] of now) {
    const previous = old.get(key);
    if (previous === undefined) continue;
    const a = fieldsOf(previous);
    const b = fieldsOf(record);
    const fields = Object.keys(b)
      .filter((field) => a[field] !== b[field])
      .sort();
    if (fields.length > 0) changed.push({ key, fields });
  }
  return {
    added: [...now.keys()].filter((key) => !old.has(key)).sort(),
    changed: changed.sort((x, y) => compare(x.key, y.key)),
    removed: [...old.keys()].filter((key) => !now.has(key)).sort(),
  };
}

function settingsChanged(before: Plan, after: Plan): RecordChanges['changed'] {
  const changed: string[] = [];
  if (before.name !== after.name) changed.push('name');
  if (before.city !== after.city) changed.push('city');
  for (const tier of Object.keys(after.targets) as (keyof Plan['targets'])[]) {
    if (before.targets[tier] !== after.targets[tier]) changed.push(`targets.${tier}`);
  }
  // Profile order carries no meaning.
  if ([...before.snmpProfiles].sort().join('\n') !== [...after.snmpProfiles].sort().join('\n')) changed.push('snmpProfiles');
  return changed.length === 0 ? [] : [{ key: 'plan', fields: changed.sort() }];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
