import type { ManagedTransaction } from 'neo4j-driver';
import { isManagedDevice, type DeviceRole } from '@extranet/topology';
import type { DeviceStatus } from './types';

/**
 * A device's poll status as stored by the poller (`(:Device)` poll properties
 * and its interfaces' measured state), shaped for `GET /api/devices/:hostname/status`.
 * Times as ISO strings; rates in bps; speeds in Mbps. Never a credential:
 * only the profile's *name* is returned.
 */
export interface DeviceStatusView {
  hostname: string;
  site: string;
  role: DeviceRole;
  /** Has a management address and is not the provider's device. */
  managed: boolean;
  snmpProfile: string | null;
  /** `not-polled` until the first poll (or for unmanaged devices). */
  status: DeviceStatus | 'not-polled';
  consecutiveFailures: number;
  lastPollAt: string | null;
  lastSuccessAt: string | null;
  lastError: { at: string; status: string; message: string; hint: string | null } | null;
  /** The last poll's cost: wall time, SNMP requests sent, varbinds received. */
  lastScrape: { durationMs: number; requests: number; varbinds: number } | null;
  interfaces: Array<{
    ifName: string;
    ifIndex: number | null;
    matchedBy: string | null;
    /** The plan's nominal speed, Mbps. */
    planSpeedMbps: number | null;
    /** Measured ifHighSpeed, Mbps. */
    ifHighSpeedMbps: number | null;
    operStatus: string | null;
    inBps: number | null;
    outBps: number | null;
    /** Why the last interval gave no rate (reboot, discontinuity, …). */
    rateRejected: string | null;
    /** ifInErrors, ifOutErrors, ifInDiscards over the last accepted interval, packets per second. */
    inErrorsPerSec: number | null;
    outErrorsPerSec: number | null;
    inDiscardsPerSec: number | null;
    lastPolled: string | null;
    links: string[];
  }>;
}

const iso = (ms: unknown) => (typeof ms === 'number' ? new Date(ms).toISOString() : null);
const orNull = <T>(v: unknown) => (v === undefined || v === null ? null : (v as T));

export async function readDeviceStatus(tx: ManagedTransaction, hostname: string): Promise<DeviceStatusView | undefined> {
  const r = await tx.run(
    `MATCH (d:Device {hostname: $hostname})-[:AT]->(s:Site)
     RETURN d {.*} AS d, s.code AS site,
            [(d)-[:HAS]->(i:Interface) | i {.ifName, .ifIndex, .matchedBy, .speedMbps, .ifHighSpeedMbps, .operStatus, .inBps, .outBps,
                                            .rateRejected, .inErrorsPerSec, .outErrorsPerSec, .inDiscardsPerSec, .lastPolled, links: [(i)<-[:END]-(l:Link) | l.id]}] AS interfaces`,
    { hostname },
  );
  const rec = r.records[0];
  if (!rec) return undefined;
  const d = rec.get('d') as Record<string, unknown>;
  const interfaces = (rec.get('interfaces') as Array<Record<string, unknown>>)
    .map((i) => ({
      ifName: i.ifName as string,
      ifIndex: orNull<number>(i.ifIndex),
      matchedBy: orNull<string>(i.matchedBy),
      planSpeedMbps: orNull<number>(i.speedMbps),
      ifHighSpeedMbps: orNull<number>(i.ifHighSpeedMbps),
      operStatus: orNull<string>(i.operStatus),
      inBps: orNull<number>(i.inBps),
      outBps: orNull<number>(i.outBps),
      rateRejected: orNull<string>(i.rateRejected),
      inErrorsPerSec: orNull<number>(i.inErrorsPerSec),
      outErrorsPerSec: orNull<number>(i.outErrorsPerSec),
      inDiscardsPerSec: orNull<number>(i.inDiscardsPerSec),
      lastPolled: iso(i.lastPolled),
      links: (i.links as string[]).sort(),
    }))
    .sort((x, y) => (x.ifName < y.ifName ? -1 : x.ifName > y.ifName ? 1 : 0));
  const role = d.role as DeviceRole;
  return {
    hostname,
    site: rec.get('site') as string,
    role,
    managed: isManagedDevice({ role, ...(typeof d.mgmtAddress === 'string' && { mgmtAddress: d.mgmtAddress }) }),
    snmpProfile: orNull<string>(d.snmpProfile),
    status: (d.pollStatus as DeviceStatus | undefined) ?? 'not-polled',
    consecutiveFailures: (d.pollFailures as number | undefined) ?? 0,
    lastPollAt: iso(d.lastPollAt),
    lastSuccessAt: iso(d.lastSuccessAt),
    lastError:
      typeof d.lastErrorAt === 'number'
        ? { at: iso(d.lastErrorAt)!, status: d.lastErrorStatus as string, message: d.lastError as string, hint: orNull<string>(d.lastErrorHint) }
        : null,
    lastScrape:
      typeof d.pollDurationMs === 'number'
        ? { durationMs: d.pollDurationMs, requests: (d.pollRequests as number) ?? 0, varbinds: (d.pollVarbinds as number) ?? 0 }
        : null,
    interfaces,
  };
}
