import type { DeviceRole } from '../plan/types';

/**
 * A device's poll status as the API serves it (`GET /api/devices/:hostname/status`),
 * declared once for the backend that writes it and the UI that reads it.
 */

/**
 * Status of a device after its last poll — a failing device is data:
 * - `ok`                every plan interface was found and read;
 * - `no-such-interface` the agent answered, but some plan interface is not on it
 *                       (by ifName, ifAlias or ifDescr) or is ambiguous — the rest is read;
 * - `timeout`           no answer (agent down, filtered, or a wrong v2c community);
 * - `auth-failure`      SNMPv3 USM rejected us (wrong user, key or protocol);
 * - `unreachable`       the request could not be sent (no route, no target configured);
 * - `protocol-error`    the agent answered something unusable (error status, a missing MIB object);
 * - `no-credentials`    the device's snmpProfile is not configured (SNMP_PROFILES_FILE / SNMP_PROFILE_*).
 */
export const DEVICE_STATUSES = [
  'ok',
  'no-such-interface',
  'timeout',
  'auth-failure',
  'unreachable',
  'protocol-error',
  'no-credentials',
] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];

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
