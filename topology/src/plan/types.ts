/**
 * The compiled network plan: what `plan validate` produces from the YAML files
 * of a plan directory once every reference has been checked. Everything after
 * validation (import, provisioning, polling, coverage) works on these types.
 *
 * Units: every bandwidth is in Mbps (10^6 bit/s), as IF-MIB's ifHighSpeed.
 */

/** Administrative/network tier of a site. */
export type SiteTier = 'city' | 'county' | 'township';

/** What kind of division a site is, from the official division names. */
export type SiteKind = '市' | '区' | '县' | '功能区' | '街道' | '镇' | '乡' | '类似乡级单位';

/** The tier a link belongs to; each tier has its bandwidth target in the plan. */
export type LinkTier = 'city-internet' | 'city-county' | 'county-township';

/** uplink: the primary path toward the city core; backup: the 备份网 path; internet-exit: the city's public exit. */
export type LinkKind = 'uplink' | 'backup' | 'internet-exit';

export type LinkStatus = 'planned' | 'built';

/** built: connected (it must have a built uplink from its parent); planned: not connected yet. */
export type SiteStatus = 'planned' | 'built';

export type DeviceRole = 'core' | 'internet-exit' | 'backup-core' | 'aggregation' | 'access' | 'upstream';

export interface Site {
  /** Official division code (4413, 441302, 441302001) or the plan's own stable id for functional zones. */
  code: string;
  name: string;
  tier: SiteTier;
  kind: SiteKind;
  /** Network parent (the site this one uplinks to); absent only for the city. */
  parent?: string;
  /** Legal county code when it differs from the network parent (townships of functional zones). */
  legalCounty?: string;
  /** Absent means built: validated plans always carry it (default `built`). */
  status?: SiteStatus;
}

export interface Interface {
  /** ifName as the device reports it; links and the poller resolve interfaces by this name. */
  name: string;
  description?: string;
  /** Nominal port speed in Mbps. */
  speedMbps?: number;
}

export interface Device {
  hostname: string;
  site: string;
  role: DeviceRole;
  vendor?: string;
  model?: string;
  /** Management address the poller talks to; absent for unmanaged (upstream) devices. */
  mgmtAddress?: string;
  /** Name of an SNMP profile; credentials live outside the plan. Absent for unmanaged devices. */
  snmpProfile?: string;
  interfaces: Interface[];
}

export interface LinkEnd {
  device: string;
  interface: string;
}

export interface Link {
  id: string;
  kind: LinkKind;
  tier: LinkTier;
  /** The end nearer the city core. */
  a: LinkEnd;
  /** The end farther from the city core (or the provider, for the internet exit). */
  b: LinkEnd;
  /** Bandwidth target in Mbps, taken from the plan's targets for this tier unless overridden. */
  targetMbps: number;
  /** Contracted bandwidth in Mbps, where the carrier contract states one. */
  contractedMbps?: number;
  status: LinkStatus;
  carrier?: string;
}

export interface Plan {
  name: string;
  /** Code of the city site: the root of the hierarchy. */
  city: string;
  /** Target in Mbps per link tier. */
  targets: Record<LinkTier, number>;
  /** Names of the SNMP profiles the devices may reference. */
  snmpProfiles: string[];
  sites: Site[];
  devices: Device[];
  links: Link[];
}
