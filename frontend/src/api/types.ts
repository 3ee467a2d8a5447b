import type { ResponseOf } from '../../../topology/src/api';
import type { ipamApi } from '../../../topology/src/api';

/**
 * The answers of the API as the UI reads them: every type here is derived from
 * the endpoint declarations in topology/src/api (or the domain types they are
 * built from) — none is written by hand. Units: bandwidths in Mbps, rates in
 * bps, percentages of capacity, times as ISO 8601 strings.
 */
export type {
  ComplianceReason,
  CoverageView,
  DeviceStatusAnswer as DeviceStatus,
  FailureElement,
  GapClass,
  LinkKind,
  LinkOperState,
  LinkRow,
  LinksEvent,
  LinkStatus,
  LinkTier,
  LinkUpdateWire as LinkUpdate,
  LinkUtilization,
  LookupResult,
  PrefixRow,
  PrefixUtilization,
  SiteDetail,
  SiteRow,
  SiteTier,
  TopologyLink,
  TopologyNode,
  TopologyView as Topology,
} from '@extranet/topology';
import type { CoverageView, SiteTier } from '@extranet/topology';

/** Counts of one tier (or of a county's townships) in {@link CoverageView}. */
export type CoverageCounts = CoverageView['tiers'][SiteTier];

/** A list answer. */
export type Page<T> = { items: T[]; total: number };

/** `GET /api/ipam/prefixes`, as declared. */
export type PrefixPage = ResponseOf<typeof ipamApi.listPrefixes>;
