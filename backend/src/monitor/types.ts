import type { DeviceStatus, LinkState } from '@extranet/topology';
import type { InterfaceResult } from '../poller/sample';

/**
 * The data a poll cycle produces and the monitor persists: the closed set of
 * device statuses, one record per polled device, one update per link whose
 * state was recomputed. Units: times in ms since the epoch, rates in **bps**,
 * capacities and targets in **Mbps**, percentages in percent of capacity.
 */

/** The closed set of device statuses (declared in topology/src/monitor/device-status.ts, shared with the UI). */
export { DEVICE_STATUSES, type DeviceStatus } from '@extranet/topology';
/** Statuses in which the agent answered (its interfaces were read). */
export const ANSWERED: ReadonlySet<DeviceStatus> = new Set(['ok', 'no-such-interface']);

/** One poll of one device. */
export interface DevicePollRecord {
  hostname: string;
  /** When the poll finished, ms. */
  at: number;
  status: DeviceStatus;
  durationMs: number;
  /** SNMP requests sent in this poll (snmp_scrape_packets_sent). */
  requests: number;
  /** Varbinds received (snmp_scrape_pdus_returned). */
  varbinds: number;
  /** Consecutive failed polls, this one included; 0 after an answered poll. */
  failures: number;
  /** Set when status is not `ok`; never carries a secret. */
  error?: { message: string; hint?: string };
  /** Plan interfaces read (empty when the device did not answer). */
  interfaces: InterfaceResult[];
}

/** A link's state after a cycle, as kept on the Link node (times in ms); `linkUpdateToWire` gives what live clients get. */
export type LinkUpdate = LinkState<number>;

/** What one cycle did; handed to `onCycle` listeners (live push, logs). */
export interface CycleResult {
  /** When the cycle started and ended, ms (injected clock). */
  startedAt: number;
  endedAt: number;
  devices: DevicePollRecord[];
  links: LinkUpdate[];
  /** Samples appended to the history. */
  samplesWritten: number;
  /** Wall time of the polls (first start to last end) and of the write transaction, ms. */
  pollMs: number;
  storeMs: number;
  /** Set when the cycle's write transaction failed (Neo4j down): the cycle's samples are lost, polling goes on. */
  storeError?: string;
}
