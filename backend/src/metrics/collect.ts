import type { Store } from '../neo4j/store';
import { coverageOf, loadLinkStates } from '../monitor/coverage-service';
import { ANSWERED, type DeviceStatus } from '../monitor/types';
import type { Poller } from '../poller/poller';
import type { MetricFamily } from './exposition';

/**
 * What `/metrics` exposes, gathered at scrape time: link and coverage gauges
 * judged now from Neo4j (so any process serves them, whichever shard polled),
 * per-device scrape gauges from the devices' last poll, and the counters only
 * the polling process knows (errors since it started). Exporter-style names
 * (snmp_exporter's `snmp_scrape_*`), base units: bits per second, seconds, ratios 0–1.
 */
export interface CollectOptions {
  now: number;
  maxAgeMs: number;
}

type Labels = Record<string, string>;
const family = (name: string, type: 'gauge' | 'counter', help: string): MetricFamily => ({ name, type, help, samples: [] });

export async function collectMetrics(store: Store, poller: Poller | undefined, opts: CollectOptions): Promise<MetricFamily[]> {
  const { plan, linkStates } = await loadLinkStates(store, opts);
  const util = family('extranet_link_utilization_ratio', 'gauge', 'Traffic over measured capacity (0-1), by direction as seen at end a');
  const capacity = family('extranet_link_capacity_bps', 'gauge', 'Measured capacity: lower end ifHighSpeed and contract, bits per second');
  const target = family('extranet_link_target_bps', 'gauge', 'Bandwidth target of the link from the plan, bits per second');
  const meets = family('extranet_link_meets_target', 'gauge', '1 when the link is built, up, freshly polled and its capacity meets the target');
  const up = family('extranet_link_oper_up', 'gauge', '1 when the link is up, 0 when down; absent when unknown or not built');
  const traffic = family('extranet_link_traffic_bps', 'gauge', 'Traffic of the last accepted interval, bits per second');
  plan.links.forEach((link, i) => {
    const s = linkStates[i]!;
    const base: Labels = { link: link.id, tier: link.tier, kind: link.kind };
    target.samples.push({ labels: base, value: link.targetMbps * 1e6 });
    if (link.status !== 'built') return;
    meets.samples.push({ labels: base, value: s.meetsTarget ? 1 : 0 });
    if (s.state === 'up' || s.state === 'down') up.samples.push({ labels: base, value: s.state === 'up' ? 1 : 0 });
    if (s.capacityMbps !== undefined) capacity.samples.push({ labels: base, value: s.capacityMbps * 1e6 });
    for (const [direction, bps] of [['in', s.inBps], ['out', s.outBps]] as const) {
      if (bps === undefined) continue;
      traffic.samples.push({ labels: { ...base, direction }, value: bps });
      if (s.capacityMbps) util.samples.push({ labels: { ...base, direction }, value: bps / (s.capacityMbps * 1e6) });
    }
  });

  const coverage = coverageOf(plan, linkStates);
  const sites = family('extranet_coverage_sites', 'gauge', 'Sites per tier: total, connected, meeting target, with backup, fully compliant');
  for (const [tier, c] of Object.entries(coverage.tiers)) {
    for (const [measure, value] of Object.entries({
      total: c.total, connected: c.connected, meeting_target: c.meetingTarget, with_backup: c.withBackup, fully_compliant: c.fullyCompliant,
    })) {
      sites.samples.push({ labels: { tier, measure }, value });
    }
  }
  const overall = family('extranet_coverage_fully_compliant_ratio', 'gauge', 'Share of all sites connected, meeting target and with backup (0-1)');
  overall.samples.push({ value: coverage.overall.fullyCompliantPct / 100 });

  const devices = await store.read(async (tx) => {
    const r = await tx.run(
      `MATCH (d:Device) WHERE d.pollStatus IS NOT NULL
       RETURN d {.hostname, .pollStatus, .lastPollAt, .lastSuccessAt, .pollDurationMs, .pollRequests, .pollVarbinds} AS d ORDER BY d.hostname`,
    );
    return r.records.map((x) => x.get('d') as {
      hostname: string; pollStatus: DeviceStatus; lastPollAt: number; lastSuccessAt: number | null;
      pollDurationMs: number; pollRequests: number | null; pollVarbinds: number | null;
    });
  });
  const deviceUp = family('extranet_device_up', 'gauge', '1 when the last poll was answered and is fresh');
  const status = family('extranet_device_poll_status', 'gauge', 'The status of the last poll (1 for the current status)');
  const duration = family('snmp_scrape_duration_seconds', 'gauge', 'Wall time of the last poll of the device, seconds');
  const packets = family('snmp_scrape_packets_sent', 'gauge', 'SNMP requests sent in the last poll of the device');
  const pdus = family('snmp_scrape_pdus_returned', 'gauge', 'Varbinds received in the last poll of the device');
  const lastSuccess = family('extranet_device_last_success_timestamp_seconds', 'gauge', 'Time of the last answered poll, seconds since the epoch');
  for (const d of devices) {
    const l = { device: d.hostname };
    const fresh = opts.now - d.lastPollAt <= opts.maxAgeMs;
    deviceUp.samples.push({ labels: l, value: fresh && ANSWERED.has(d.pollStatus) ? 1 : 0 });
    status.samples.push({ labels: { ...l, status: d.pollStatus }, value: 1 });
    duration.samples.push({ labels: l, value: d.pollDurationMs / 1000 });
    packets.samples.push({ labels: l, value: d.pollRequests ?? 0 });
    pdus.samples.push({ labels: l, value: d.pollVarbinds ?? 0 });
    if (d.lastSuccessAt != null) lastSuccess.samples.push({ labels: l, value: d.lastSuccessAt / 1000 });
  }

  const errorRates = family('extranet_interface_errors_per_second', 'gauge', 'ifInErrors / ifOutErrors over the last accepted interval, packets per second');
  const discardRates = family('extranet_interface_discards_per_second', 'gauge', 'ifInDiscards over the last accepted interval, packets per second');
  for (const i of await freshInterfaceErrors(store, opts)) {
    const l = { device: i.hostname, interface: i.ifName };
    if (i.inErrorsPerSec != null) errorRates.samples.push({ labels: { ...l, direction: 'in' }, value: i.inErrorsPerSec });
    if (i.outErrorsPerSec != null) errorRates.samples.push({ labels: { ...l, direction: 'out' }, value: i.outErrorsPerSec });
    if (i.inDiscardsPerSec != null) discardRates.samples.push({ labels: { ...l, direction: 'in' }, value: i.inDiscardsPerSec });
  }

  const families = [util, capacity, target, meets, up, traffic, sites, overall, deviceUp, status, duration, packets, pdus, lastSuccess, errorRates, discardRates];
  if (poller) {
    const errors = family('snmp_scrape_errors_total', 'counter', 'Failed polls since this poller started, by device and reason');
    const scheduled = family('extranet_poller_devices', 'gauge', 'Devices this poller (shard) polls');
    const cycle = family('extranet_poller_last_cycle_duration_seconds', 'gauge', 'Wall time of the last poll cycle, by phase (poll, store), seconds');
    const list = poller.devices();
    scheduled.samples.push({ labels: { shard: `${poller.shard.index}/${poller.shard.count}` }, value: list.length });
    for (const d of list) {
      for (const [reason, n] of d.errorsTotal) errors.samples.push({ labels: { device: d.hostname, reason }, value: n });
    }
    const last = poller.lastCycle();
    if (last) {
      cycle.samples.push({ labels: { phase: 'poll' }, value: last.pollMs / 1000 }, { labels: { phase: 'store' }, value: last.storeMs / 1000 });
    }
    families.push(errors, scheduled, cycle);
  }
  return families;
}

/** Interfaces polled within `maxAgeMs` of `now`, with their last error and discard rates (stale ones are left out, as for links). */
async function freshInterfaceErrors(store: Store, opts: CollectOptions) {
  return store.read(async (tx) => {
    const r = await tx.run(
      `MATCH (d:Device)-[:HAS]->(i:Interface) WHERE i.lastPolled >= $since
       RETURN d.hostname AS hostname, i.ifName AS ifName,
              i.inErrorsPerSec AS inErrorsPerSec, i.outErrorsPerSec AS outErrorsPerSec, i.inDiscardsPerSec AS inDiscardsPerSec
       ORDER BY hostname, ifName`,
      { since: opts.now - opts.maxAgeMs },
    );
    return r.records.map((x) => x.toObject() as {
      hostname: string; ifName: string; inErrorsPerSec: number | null; outErrorsPerSec: number | null; inDiscardsPerSec: number | null;
    });
  });
}
