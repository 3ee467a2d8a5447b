import type { Store } from '../neo4j/store';
import type { DeviceStatus } from '../monitor/types';

/**
 * The Cypher behind `/metrics`: what the pollers (any shard) last wrote on the
 * devices and interfaces, read at scrape time. Link states and coverage come
 * from the monitor's coverage service. Units: ms since the epoch, ms, packets per second.
 */

/** A device's last poll, as the poller keeps it on `(:Device)`. */
export interface DevicePollRow {
  hostname: string;
  pollStatus: DeviceStatus;
  /** ms since the epoch. */
  lastPollAt: number;
  /** ms since the epoch; null before the first answered poll. */
  lastSuccessAt: number | null;
  pollDurationMs: number;
  /** null when kept by a version that did not count them. */
  pollRequests: number | null;
  pollVarbinds: number | null;
  /** First failed poll since the last answered one, ms; null/absent while the device answers. */
  failingSince?: number | null;
}

/** An interface's last error and discard rates, packets per second (null when its interval was rejected). */
export interface InterfaceErrorRow {
  hostname: string;
  ifName: string;
  inErrorsPerSec: number | null;
  outErrorsPerSec: number | null;
  inDiscardsPerSec: number | null;
}

/** Every device polled at least once, hostname order. */
export async function readDevicePolls(store: Store): Promise<DevicePollRow[]> {
  return store.read(async (tx) => {
    const r = await tx.run(
      `MATCH (d:Device) WHERE d.pollStatus IS NOT NULL
       RETURN d {.hostname, .pollStatus, .lastPollAt, .lastSuccessAt, .pollDurationMs, .pollRequests, .pollVarbinds, .failingSince} AS d ORDER BY d.hostname`,
    );
    return r.records.map((x) => x.get('d') as DevicePollRow);
  });
}

/** Interfaces polled at or after `since` (ms since the epoch; stale ones are left out, as for links), by device and name. */
export async function readInterfaceErrorRates(store: Store, since: number): Promise<InterfaceErrorRow[]> {
  return store.read(async (tx) => {
    const r = await tx.run(
      `MATCH (d:Device)-[:HAS]->(i:Interface) WHERE i.lastPolled >= $since
       RETURN d.hostname AS hostname, i.ifName AS ifName,
              i.inErrorsPerSec AS inErrorsPerSec, i.outErrorsPerSec AS outErrorsPerSec, i.inDiscardsPerSec AS inDiscardsPerSec
       ORDER BY hostname, ifName`,
      { since },
    );
    return r.records.map((x) => x.toObject() as InterfaceErrorRow);
  });
}
