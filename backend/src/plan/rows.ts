import type { Device, Interface, Link, Site } from '@extranet/topology';

/** Rows per UNWIND statement: bounds each statement's memory whatever the plan's size (all in one transaction). */
export const WRITE_BATCH = 5_000;

/** Plan records as the import's Cypher takes them (UNWIND rows): optional fields as null, ends and interfaces by key. */

export const siteRow = (s: Site) => ({
  code: s.code,
  name: s.name,
  tier: s.tier,
  kind: s.kind,
  parent: s.parent ?? null,
  legalCounty: s.legalCounty ?? null,
  status: s.status ?? 'built',
});

export const deviceRow = (d: Device) => ({
  hostname: d.hostname,
  site: d.site,
  role: d.role,
  vendor: d.vendor ?? null,
  model: d.model ?? null,
  mgmtAddress: d.mgmtAddress ?? null,
  snmpProfile: d.snmpProfile ?? null,
});

export const interfaceRow = (d: Device, i: Interface) => ({
  key: `${d.hostname}|${i.name}`,
  hostname: d.hostname,
  ifName: i.name,
  description: i.description ?? null,
  speedMbps: i.speedMbps ?? null,
});

export const linkRow = (l: Link) => ({
  id: l.id,
  kind: l.kind,
  tier: l.tier,
  targetMbps: l.targetMbps,
  contractedMbps: l.contractedMbps ?? null,
  status: l.status,
  carrier: l.carrier ?? null,
  a: `${l.a.device}|${l.a.interface}`,
  b: `${l.b.device}|${l.b.interface}`,
});
