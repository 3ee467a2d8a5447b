import type { ManagedTransaction } from 'neo4j-driver';
import { isManagedDevice, readingAge, speedMismatch, type DeviceRole, type DeviceStatusView } from '@extranet/topology';
import type { DeviceStatus } from './types';

export type { DeviceStatusView };

const iso = (ms: unknown) => (typeof ms === 'number' ? new Date(ms).toISOString() : null);
const orNull = <T>(v: unknown) => (v === undefined || v === null ? null : (v as T));

/**
 * A device's poll status as stored by the poller (`(:Device)` poll properties
 * and its interfaces' measured state), shaped as `DeviceStatusView` (topology/)
 * for `GET /api/devices/:hostname/status`.
 */
export async function readDeviceStatus(
  tx: ManagedTransaction,
  hostname: string,
  at: { now: number; intervalMs: number },
): Promise<DeviceStatusView | undefined> {
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
  const failingSince = typeof d.failingSince === 'number' ? d.failingSince : null;
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
      ...staleness(typeof i.lastPolled === 'number' ? i.lastPolled : null, failingSince, at),
      speedMismatch: speedMismatch(orNull<number>(i.speedMbps), orNull<number>(i.ifHighSpeedMbps)) !== undefined,
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
    failingSince: iso(failingSince),
    lastError:
      typeof d.lastErrorAt === 'number'
        ? {
            at: iso(d.lastErrorAt)!,
            status: d.lastErrorStatus as string,
            message: d.lastError as string,
            hint: orNull<string>(d.lastErrorHint),
          }
        : null,
    lastScrape:
      typeof d.pollDurationMs === 'number'
        ? { durationMs: d.pollDurationMs, requests: (d.pollRequests as number) ?? 0, varbinds: (d.pollVarbinds as number) ?? 0 }
        : null,
    interfaces,
  };
}

/** An interface reading's staleness as the API gives it (ISO time, age in seconds). */
function staleness(readAt: number | null, failingSince: number | null, at: { now: number; intervalMs: number }) {
  const r = readingAge({ readAt, failingSince, now: at.now, intervalMs: at.intervalMs });
  return { stale: r.stale, staleSince: iso(r.since), ageSeconds: r.ageMs === null ? null : Math.round(r.ageMs / 1000) };
}
