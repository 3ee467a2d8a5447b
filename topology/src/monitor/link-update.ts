import type { LinkKind, LinkTier } from '../plan/types';
import type { ComplianceReason, LinkOperState } from './compliance';

/**
 * A link's state after a poll cycle: what the poller keeps on the Link node and
 * what socket.io pushes to the UI. One declaration for both ends; `Time` is the
 * time type — ms since the epoch in the backend, ISO 8601 on the wire
 * ({@link LinkUpdateWire}). Units: Mbps for capacities and targets, bps for
 * rates, percent of capacity.
 */
export interface LinkState<Time> {
  id: string;
  kind: LinkKind;
  tier: LinkTier;
  /** County-level unit whose subtree the link serves (the site of end b, walked up); null for the city's own links. */
  county: string | null;
  state: LinkOperState;
  meetsTarget: boolean;
  reason: ComplianceReason | null;
  detail: string | null;
  targetMbps: number;
  capacityMbps: number | null;
  inBps: number | null;
  outBps: number | null;
  inPct: number | null;
  outPct: number | null;
  /** Latest successful poll of a managed end; null when never polled. */
  polledAt: Time | null;
  /** True when state, meetsTarget, reason or capacity differ from before the cycle. */
  changed: boolean;
}

/** One link in a socket.io `links` event. */
export type LinkUpdateWire = LinkState<string>;

/** The socket.io `links` event: one per room and poll cycle. */
export interface LinksEvent {
  /** `all` or a county-level site code. */
  room: string;
  /** When the cycle ended, ISO 8601. */
  at: string;
  links: LinkUpdateWire[];
}

/**
 * The wire form of a link state: times as ISO strings.
 * @example toWire({ ...update, polledAt: 0 }).polledAt // '1970-01-01T00:00:00.000Z'
 */
export function linkUpdateToWire(l: LinkState<number>): LinkUpdateWire {
  return { ...l, polledAt: l.polledAt === null ? null : new Date(l.polledAt).toISOString() };
}
