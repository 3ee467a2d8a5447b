import type { DeviceRole, LinkKind, LinkStatus, LinkTier, SiteStatus, SiteTier } from './types';

/**
 * The JSON shapes of the plan read API (`/api/sites`, `/api/links`,
 * `/api/topology`), shared by the backend that writes them and the UI that
 * reads them. Bandwidths in Mbps.
 */

/** `GET /api/sites` items. */
export interface SiteRow {
  code: string;
  name: string;
  tier: SiteTier;
  kind: string;
  parent: string | null;
  legalCounty: string | null;
  /** built: connected; planned: not connected yet. */
  status: SiteStatus;
  children: number;
  devices: number;
}

/** `GET /api/sites/:code`. */
export interface SiteDetail extends SiteRow {
  childSites: { code: string; name: string; tier: string }[];
  deviceList: {
    hostname: string;
    role: DeviceRole;
    vendor: string | null;
    model: string | null;
    mgmtAddress: string | null;
    snmpProfile: string | null;
    interfaces: { name: string; description: string | null; speedMbps: number | null }[];
  }[];
  links: { id: string; kind: LinkKind; tier: LinkTier; status: LinkStatus; targetMbps: number; contractedMbps: number | null; peer: string | null }[];
}

export interface LinkEndRow {
  device: string;
  interface: string;
  site: string;
}

/** A link's plan properties, as every link view carries them. */
export interface LinkFacts {
  id: string;
  kind: LinkKind;
  tier: LinkTier;
  status: LinkStatus;
  targetMbps: number;
  contractedMbps: number | null;
  carrier: string | null;
}

/** `GET /api/links` items: plan properties plus where the two ends are. */
export interface LinkRow extends LinkFacts {
  a: LinkEndRow;
  b: LinkEndRow;
}

/** `GET /api/topology` nodes: the sites, plus the `INTERNET` node the internet exit ends at. */
export interface TopologyNode {
  id: string;
  name: string;
  tier: SiteTier | 'internet';
  kind: string;
  parent: string | null;
  legalCounty: string | null;
}

/** `GET /api/topology` edges: each link between the sites of its two ends. */
export interface TopologyLink extends LinkFacts {
  source: string;
  target: string;
}

/** `GET /api/topology`: the drawing view of the network. */
export interface TopologyView {
  nodes: TopologyNode[];
  links: TopologyLink[];
}

/** The node the internet exit ends at. */
export const INTERNET_NODE = 'INTERNET';
