import { isManagedDevice, type Device, type Plan } from '@extranet/topology';
import type { Store } from '../neo4j/store';
import { readPlan } from '../plan/store';
import { keptFromProps, type KeptCounterProps } from '../monitor/kept-counters';
import type { CounterState } from './sample';

/**
 * What the poller reads from Neo4j: the stored plan's pollable devices, and —
 * for devices it has not polled yet in this process — what an earlier process
 * kept (failure count for the back-off, the last counters so the first poll
 * after a restart already yields a rate: `ctr`, monitor/kept-counters.ts).
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
  interfaces: Array<KeptCounterProps & { ifName: string }>;
}

export async function loadKeptState(store: Store, hostnames: readonly string[]): Promise<Map<string, KeptState>> {
  if (hostnames.length === 0) return new Map();
  const rows = await store.read(async (tx) => {
    const r = await tx.run(
      `MATCH (d:Device) WHERE d.hostname IN $hosts
       RETURN d.hostname AS hostname, d.pollFailures AS failures,
              [(d)-[:HAS]->(i:Interface) WHERE i.ctr IS NOT NULL OR i.ctrAt IS NOT NULL |
                i {.ifName, .ctr, .ctrAt, .ctrIfIndex, .ctrUptimeCs, .ctrDiscontinuityCs, .ctrIn, .ctrOut, .ctrWidth, .ctrSpeedMbps,
                   .ctrInErrors, .ctrOutErrors, .ctrInDiscards, .ctrTimes}] AS interfaces`,
      { hosts: hostnames },
    );
    return r.records.map((x) => x.toObject() as unknown as KeptRow);
  });
  const out = new Map<string, KeptState>();
  for (const row of rows) {
    const counters = new Map<string, CounterState>();
    for (const i of row.interfaces) {
      const kept = keptFromProps(i);
      if (kept) counters.set(i.ifName, kept);
    }
    out.set(row.hostname, { failures: row.failures ?? 0, counters });
  }
  return out;
}
