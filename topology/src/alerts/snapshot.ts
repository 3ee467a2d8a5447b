import type { LinkOperState } from '../monitor/compliance';
import type { LinkKind, LinkStatus, SiteTier } from '../plan/types';

/**
 * What the alert engine evaluates: the whole network's stored state after a
 * poll cycle — every link and device of the plan, not the cycle's batch — so
 * the result does not depend on the order in which devices were polled.
 * Units: percent of capacity, packets per second, ms since the epoch.
 */
export interface AlertSnapshot {
  sites: ReadonlyArray<{ code: string; name: string; tier: SiteTier; parent?: string }>;
  devices: ReadonlyArray<{ hostname: string; site: string; role: string; managed: boolean }>;
  links: ReadonlyArray<SnapshotLink>;
  /**
   * Poll status per managed device (`not-polled` before its first poll). The engine looks only for
   * {@link UNREACHABLE_STATUSES}, so a snapshot may hold just the devices with one of those.
   */
  deviceStatus: ReadonlyMap<string, string>;
  /** Hostnames of the city's core and backup-core devices. */
  core: readonly string[];
}

export interface SnapshotLink {
  id: string;
  kind: LinkKind;
  status: LinkStatus;
  a: { device: string };
  b: { device: string };
  /** The link's state judged at the snapshot's time (linkCompliance). */
  state: LinkOperState;
  meetsTarget: boolean;
  reason?: string;
  targetMbps: number;
  capacityMbps?: number;
  inPct?: number;
  outPct?: number;
  /** Errors + discards per second over both ends (in and out); absent when unknown. */
  errorsPerSec?: number;
}

/** Poll statuses in which the device did not answer at all: it is treated as failed in the graph. */
export const UNREACHABLE_STATUSES: ReadonlySet<string> = new Set(['timeout', 'unreachable']);
