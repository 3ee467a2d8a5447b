import { isManagedDevice, type Device, type Plan } from '@extranet/topology';
import type { Store } from '../neo4j/store';
import { readPlan } from '../plan/store';
import { decodeRowTimes } from '../monitor/row-times';
import type { CounterState } from './sample';

/**
 * What the poller reads from Neo4j: the stored plan's pollable devices, and —
 * for devices it has not polled yet in this process — what an earlier process
 * kept (failure count for the back-off, the last counters so the first poll
 * after a restart already yields a rate).
 */

/**
 * The devices the poller talks to: managed (a management address, not the
 * provider's upstream), with an SNMP profile, and standing at a built site
 * (devices at planned sites are not connected yet). Hostname order.
 */
export function pollableDevices(plan: Pick<Plan, 'sites' | 'devices'>): Device[] {
  const planned = new Set(plan.sites.filter((s) => s.status === 'planned').map((s) => s.code));
  return plan.devices
    .filter((d) => isManagedDevice(d) && d.snmpProfile !== undefined && !planned.has(d.site))
    .sort((x, y) => (x.hostname < y.hostname ? -1 : x.hostname > y.hostname ? 1 : 0));
}

export async function loadStoredPlan(store: Store): Promise<Plan> {
  return store.read((tx) => readPlan(tx));
}

export interface KeptState {
  failures: number;
  /** By plan interface name. */
  counters: Map<string, CounterState>;
}

interface KeptRow {
  hostname: string;
  failures: number | null;
  interfaces: Array<{
    ifName: string;
    ctrAt: number | null;
    ctrIfIndex: number | null;
    ctrUptimeCs: string | null;
    ctrDiscontinuityCs: string | null;
    ctrIn: string | null;
    ctrOut: string | null;
    ctrWidth: number | null;
    ctrSpeedMbps: number | null;
    ctrInErrors: string | null;
    ctrOutErrors: string | null;
    ctrInDiscards: string | null;
    ctrTimes: string | null;
  }>;
}

export async function loadKeptState(store: Store, hostnames: readonly string[]): Promise<Map<string, KeptState>> {
  if (hostnames.length === 0) return new Map();
  const rows = await store.read(async (tx) => {
    const r = await tx.run(
      `MATCH (d:Device) WHERE d.hostname IN $hosts
       RETURN d.hostname AS hostname, d.pollFailures AS failures,
              [(d)-[:HAS]->(i:Interface) WHERE i.ctrAt IS NOT NULL |
                i {.ifName, .ctrAt, .ctrIfIndex, .ctrUptimeCs, .ctrDiscontinuityCs, .ctrIn, .ctrOut, .ctrWidth, .ctrSpeedMbps,
                   .ctrInErrors, .ctrOutErrors, .ctrInDiscards, .ctrTimes}] AS interfaces`,
      { hosts: hostnames },
    );
    return r.records.map((x) => x.toObject() as unknown as KeptRow);
  });
  const out = new Map<string, KeptState>();
  for (const row of rows) {
    const counters = new Map<string, CounterState>();
    for (const i of row.interfaces) {
      if (i.ctrAt == null || i.ctrUptimeCs == null || i.ctrIn == null || i.ctrOut == null) continue;
      counters.set(i.ifName, {
        at: i.ctrAt,
        ifIndex: i.ctrIfIndex ?? 0,
        uptimeCs: BigInt(i.ctrUptimeCs),
        discontinuityCs: BigInt(i.ctrDiscontinuityCs ?? '0'),
        inOctets: BigInt(i.ctrIn),
        outOctets: BigInt(i.ctrOut),
        width: i.ctrWidth === 32 ? 32 : 64,
        speedMbps: i.ctrSpeedMbps ?? 0,
        ...(i.ctrInErrors != null && { inErrors: BigInt(i.ctrInErrors) }),
        ...(i.ctrOutErrors != null && { outErrors: BigInt(i.ctrOutErrors) }),
        ...(i.ctrInDiscards != null && { inDiscards: BigInt(i.ctrInDiscards) }),
        ...(i.ctrTimes != null && { times: decodeRowTimes(i.ctrTimes) }),
      });
    }
    out.set(row.hostname, { failures: row.failures ?? 0, counters });
  }
  return out;
}
