import type {
  ComplianceReason, FailureElement, GapClass, LinkKind, LinkOperState, LinkStatus, LinkTier, SiteTier,
} from '@extranet/topology';

/**
 * The JSON the backend answers, as the UI reads it (see backend/openapi.yaml
 * and the routes under backend/src). Units: bandwidths in Mbps, rates in bps,
 * percentages in percent of capacity, times as ISO 8601 strings.
 */

export type { ComplianceReason, FailureElement, GapClass, LinkKind, LinkOperState, LinkStatus, LinkTier, SiteTier };
export type { LinkRow, SiteDetail, SiteRow } from '@extranet/topology';

/** `GET /api/topology` (backend/src/graph/store.ts): declared once in topology/src/plan/views.ts. */
export type { TopologyLink, TopologyNode, TopologyView as Topology } from '@extranet/topology';

export interface Page<T> {
  items: T[];
  total: number;
}

/**
 * `GET /api/coverage` and the socket.io `coverage` event: the one mapping in
 * topology/src/monitor/coverage-view.ts, which the UI's plan-only fallback also uses.
 */
export type { CoverageView } from '@extranet/topology';
import type { CoverageView } from '@extranet/topology';

/** Counts of one tier (or of a county's townships) in {@link CoverageView}. */
export type CoverageCounts = CoverageView['tiers'][SiteTier];

/** The socket.io `links` event and its link states: declared once in topology (backend/src/live/live.ts sends them). */
export type { LinksEvent, LinkUpdateWire as LinkUpdate } from '@extranet/topology';

/** `GET /api/links/:id/utilization` (backend/src/monitor/routes.ts). */
export interface LinkUtilization {
  link: {
    id: string; kind: LinkKind; tier: LinkTier; status: LinkStatus; targetMbps: number; contractedMbps: number | null;
    capacityMbps: number | null; operStatus: string | null; meetsTarget: boolean | null; reason: ComplianceReason | null; polledAt: string | null;
  };
  from: string;
  to: string;
  samples: Array<{ at: string; inBps: number; outBps: number; capacityMbps: number | null; inPct: number | null; outPct: number | null }>;
  current: { at: string; inBps: number; outBps: number; inPct?: number; outPct?: number } | null;
  peak: { in: { at: string; bps: number; pct?: number }; out: { at: string; bps: number; pct?: number } } | null;
  daily: Array<{ day: string; samples: number; in: { max: number; avg: number; p95: number }; out: { max: number; avg: number; p95: number }; source: string }>;
}

/** `GET /api/devices/:hostname/status` (backend/src/monitor/device-store.ts): declared once in topology/. */
export type { DeviceStatusView as DeviceStatus } from '@extranet/topology';

/** IPAM (backend/src/ipam/store.ts `PrefixRow`, queries.ts). */
export interface PrefixRow {
  vrf: string;
  cidr: string;
  family: 4 | 6;
  length: number;
  status: string;
  role: string;
  pool: string;
  description: string;
  used: string;
  size: string;
  parent: string | null;
  owner: { kind: 'site' | 'link' | 'interface' | 'device'; id: string } | null;
}

export interface PrefixUtilization {
  vrf: string;
  cidr: string;
  unit: string;
  usedUnits: string;
  totalUnits: string;
  percent: number;
  children: number;
}

export interface LookupResult {
  address: string;
  matches: Array<{
    vrf: string; cidr: string; length: number; status: string; role: string;
    owner: { kind: string; id: string; name?: string; sites?: string[]; ifName?: string; device?: string } | null;
  }>;
}

/** The error body of every 4xx/5xx: `{error: {code, message, field?, hint?}}`. */
export interface ApiErrorBody {
  error: { code: string; message: string; field?: string; hint?: string };
}
