import { z } from 'zod';
import { DEVICE_ROLES } from '../plan/schema';

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
export const deviceStatusViewSchema = z
  .object({
    hostname: z.string(),
    site: z.string(),
    role: z.enum(DEVICE_ROLES),
    /** Has a management address and is not the provider's device. */
    managed: z.boolean(),
    snmpProfile: z.string().nullable(),
    /** `not-polled` until the first poll (or for unmanaged devices). */
    status: z.enum([...DEVICE_STATUSES, 'not-polled']),
    consecutiveFailures: z.number().int(),
    lastPollAt: z.string().nullable(),
    lastSuccessAt: z.string().nullable(),
    /** First failed poll since the last answered one, ISO 8601; null while the device answers. */
    failingSince: z.string().nullable(),
    lastError: z.object({ at: z.string(), status: z.string(), message: z.string(), hint: z.string().nullable() }).nullable(),
    /** The last poll's cost: wall time, SNMP requests sent, varbinds received. */
    lastScrape: z.object({ durationMs: z.number(), requests: z.number().int(), varbinds: z.number().int() }).nullable(),
    interfaces: z.array(
      z.object({
        ifName: z.string(),
        ifIndex: z.number().int().nullable(),
        matchedBy: z.string().nullable(),
        /** The plan's nominal speed, Mbps. */
        planSpeedMbps: z.number().nullable(),
        /** Measured ifHighSpeed, Mbps. */
        ifHighSpeedMbps: z.number().nullable(),
        operStatus: z.string().nullable(),
        inBps: z.number().nullable(),
        outBps: z.number().nullable(),
        /** Why the last interval gave no rate (reboot, discontinuity, …). */
        rateRejected: z.string().nullable(),
        /** ifInErrors, ifOutErrors, ifInDiscards over the last accepted interval, packets per second. */
        inErrorsPerSec: z.number().nullable(),
        outErrorsPerSec: z.number().nullable(),
        inDiscardsPerSec: z.number().nullable(),
        lastPolled: z.string().nullable(),
        /** The reading is no longer current: its device missed a poll since (`readingAge`). Rates are then the last known, not now's. */
        stale: z.boolean(),
        /** When it became stale, ISO 8601; null while current. */
        staleSince: z.string().nullable(),
        /** Age of the reading (now − lastPolled), seconds; null when never read. */
        ageSeconds: z.number().nullable(),
        /** The plan's speed and the reported ifHighSpeed differ (both known): see `speedMismatch`. */
        speedMismatch: z.boolean(),
        links: z.array(z.string()),
      }),
    ),
  })
  .meta({ id: 'DeviceStatusView' });
export type DeviceStatusView = z.infer<typeof deviceStatusViewSchema>;

/** `GET /api/devices/:hostname/status`: the stored status plus this process's schedule for the device, when it polls it. */
export const deviceStatusAnswerSchema = deviceStatusViewSchema
  .extend({ schedule: z.object({ intervalMs: z.number(), nextPollAt: z.string() }).nullable() })
  .meta({ id: 'DeviceStatus' });
export type DeviceStatusAnswer = z.infer<typeof deviceStatusAnswerSchema>;
