import { readingAge, type CoverageReport, type LinkCompliance, type Plan } from '@extranet/topology';
import type { Store } from '../neo4j/store';
import { coverageOf, loadLinkStates } from '../monitor/coverage-service';
import { ANSWERED, type CycleResult, type DeviceSchedule } from '../monitor/types';
import type { Poller } from '../poller/poller';
import type { BacklogStats } from '../poller/backlog';
import type { Shard } from '../poller/shard';
import type { MetricFamily } from './exposition';
import { readDevicePolls, readInterfaceErrorRates, type DevicePollRow, type InterfaceErrorRow } from './store';

/**
 * What `/metrics` exposes, gathered at scrape time: link and coverage gauges
 * judged now from Neo4j (so any process serves them, whichever shard polled),
 * per-device scrape gauges from the devices' last poll, and the counters only
 * the polling process knows (errors since it started). Exporter-style names
 * (snmp_exporter's `snmp_scrape_*`), base units: bits per second, seconds, ratios 0–1.
 * The reads are the stores' (metrics/store.ts, monitor/coverage-service.ts);
 * this module shapes their data into metric families.
 */
export interface CollectOptions {
  now: number;
  maxAgeMs: number;
}

/** Everything the metric families are made from (Mbps and ms as stored; converted to base units here). */
export interface MetricsData {
  plan: Plan;
  /** One per plan link, plan order, judged at `now`. */
  linkStates: readonly LinkCompliance[];
  devices: readonly DevicePollRow[];
  /** Interfaces polled within `maxAgeMs` of `now`. */
  interfaces: readonly InterfaceErrorRow[];
  /** What only the polling process knows; absent in a process without a poller. */
  scheduler?: {
    shard: Shard;
    devices: readonly DeviceSchedule[];
    lastCycle: Pick<CycleResult, 'pollMs' | 'storeMs'> | undefined;
    /** Cycles held while Neo4j was away, and those dropped beyond the buffer. */
    backlog?: BacklogStats;
  };
}

export async function collectMetrics(
  store: Store,
  poller: Poller | undefined,
  opts: CollectOptions,
  judged?: { plan: Plan; linkStates: readonly LinkCompliance[] },
): Promise<MetricFamily[]> {
  const { plan, linkStates } = judged ?? (await loadLinkStates(store, opts));
  const devices = await readDevicePolls(store);
  const interfaces = await readInterfaceErrorRates(store, opts.now - opts.maxAgeMs);
  const scheduler = poller && { shard: poller.shard, devices: poller.devices(), lastCycle: poller.lastCycle(), backlog: poller.backlog() };
  return metricFamilies({ plan, linkStates, devices, interfaces, ...(scheduler && { scheduler }) }, opts);
}

/** The families only the polling process knows (errors since it started, last cycle, poll buffer): cheap, from memory. */
export function pollerFamilies(poller: Poller): MetricFamily[] {
  return schedulerFamilies({ shard: poller.shard, devices: poller.devices(), lastCycle: poller.lastCycle(), backlog: poller.backlog() });
}

/**
 * The metric families, in exposition order: links, coverage, devices,
 * interfaces, then the poller's own.
 * @param opts.now a device whose last poll is older than `now - maxAgeMs` is not up
 */
export function metricFamilies(data: MetricsData, opts: CollectOptions): MetricFamily[] {
  const stale = staleDevices(data.devices, opts);
  return [
    ...linkFamilies(data.plan, data.linkStates, stale, new Set(data.devices.map((d) => d.hostname))),
    ...coverageFamilies(coverageOf(data.plan, data.linkStates)),
    ...deviceFamilies(data.devices, opts),
    ...interfaceFamilies(data.interfaces.filter((i) => !stale.has(i.hostname))),
    ...(data.scheduler ? schedulerFamilies(data.scheduler) : []),
  ];
}

/**
 * Devices whose readings are stale (`readingAge`: a poll failed since the last
 * answered one, or none came for 1.5 intervals). Their rates are **dropped**
 * from the exposition, as snmp_exporter does for a failed scrape: Prometheus
 * then ends the series (a staleness marker) and graphs show a gap, where a
 * repeated last value would draw yesterday's load as today's. The age stays
 * visible: `extranet_device_up` 0, `extranet_device_last_success_timestamp_seconds`
 * and `extranet_device_failing_since_timestamp_seconds`.
 */
function staleDevices(devices: readonly DevicePollRow[], opts: CollectOptions): Set<string> {
  const intervalMs = opts.maxAgeMs / 3;
  return new Set(
    devices
      .filter((d) => readingAge({ readAt: d.lastSuccessAt, failingSince: d.failingSince ?? null, now: opts.now, intervalMs }).stale)
      .map((d) => d.hostname),
  );
}

type Labels = Record<string, string>;
const family = (name: string, type: 'gauge' | 'counter', help: string): MetricFamily => ({ name, type, help, samples: [] });
const MBPS = 1e6;

/** Per link: target (every link); met, up, capacity, traffic and utilization by direction (built links with the measurement). */
function linkFamilies(
  plan: Plan,
  linkStates: readonly LinkCompliance[],
  stale: ReadonlySet<string>,
  polled: ReadonlySet<string>,
): MetricFamily[] {
  const util = family('extranet_link_utilization_ratio', 'gauge', 'Traffic over measured capacity (0-1), by direction as seen at end a');
  const capacity = family('extranet_link_capacity_bps', 'gauge', 'Measured capacity: lower end ifHighSpeed and contract, bits per second');
  const target = family('extranet_link_target_bps', 'gauge', 'Bandwidth target of the link from the plan, bits per second');
  const meets = family(
    'extranet_link_meets_target',
    'gauge',
    '1 when the link is built, up, freshly polled and its capacity meets the target',
  );
  const up = family('extranet_link_oper_up', 'gauge', '1 when the link is up, 0 when down; absent when unknown or not built');
  const traffic = family('extranet_link_traffic_bps', 'gauge', 'Traffic of the last accepted interval, bits per second');
  plan.links.forEach((link, i) => {
    const s = linkStates[i]!;
    const base: Labels = { link: link.id, tier: link.tier, kind: link.kind };
    target.samples.push({ labels: base, value: link.targetMbps * MBPS });
    if (link.status !== 'built') return;
    meets.samples.push({ labels: base, value: s.meetsTarget ? 1 : 0 });
    if (s.state === 'up' || s.state === 'down') up.samples.push({ labels: base, value: s.state === 'up' ? 1 : 0 });
    if (s.capacityMbps !== undefined) capacity.samples.push({ labels: base, value: s.capacityMbps * MBPS });
    // A link's traffic is stale when every polled end's device is (the other end may still read it).
    const ends = [link.a.device, link.b.device].filter((h) => polled.has(h));
    if (ends.length > 0 && ends.every((h) => stale.has(h))) return;
    for (const [direction, bps] of [
      ['in', s.inBps],
      ['out', s.outBps],
    ] as const) {
      if (bps === undefined) continue;
      traffic.samples.push({ labels: { ...base, direction }, value: bps });
      if (s.capacityMbps) util.samples.push({ labels: { ...base, direction }, value: bps / (s.capacityMbps * MBPS) });
    }
  });
  return [util, capacity, target, meets, up, traffic];
}

/** Sites per tier and measure, and the overall fully-compliant share. */
function coverageFamilies(coverage: CoverageReport): MetricFamily[] {
  const sites = family(
    'extranet_coverage_sites',
    'gauge',
    'Sites per tier: total, connected, meeting target, with backup, fully compliant',
  );
  for (const [tier, c] of Object.entries(coverage.tiers)) {
    for (const [measure, value] of Object.entries({
      total: c.total,
      connected: c.connected,
      meeting_target: c.meetingTarget,
      with_backup: c.withBackup,
      fully_compliant: c.fullyCompliant,
    })) {
      sites.samples.push({ labels: { tier, measure }, value });
    }
  }
  const overall = family(
    'extranet_coverage_fully_compliant_ratio',
    'gauge',
    'Share of all sites connected, meeting target and with backup (0-1)',
  );
  overall.samples.push({ value: coverage.overall.fullyCompliantPct / 100 });
  return [sites, overall];
}

/** Per device, from its last poll: up (answered and fresh), status, duration, packets, varbinds, last success. */
function deviceFamilies(devices: readonly DevicePollRow[], opts: CollectOptions): MetricFamily[] {
  const deviceUp = family('extranet_device_up', 'gauge', '1 when the last poll was answered and is fresh');
  const status = family('extranet_device_poll_status', 'gauge', 'The status of the last poll (1 for the current status)');
  const duration = family('snmp_scrape_duration_seconds', 'gauge', 'Wall time of the last poll of the device, seconds');
  const packets = family('snmp_scrape_packets_sent', 'gauge', 'SNMP requests sent in the last poll of the device');
  const pdus = family('snmp_scrape_pdus_returned', 'gauge', 'Varbinds received in the last poll of the device');
  const lastSuccess = family(
    'extranet_device_last_success_timestamp_seconds',
    'gauge',
    'Time of the last answered poll, seconds since the epoch',
  );
  const failingSince = family(
    'extranet_device_failing_since_timestamp_seconds',
    'gauge',
    'First failed poll since the last answered one (its readings are stale since), seconds since the epoch; absent while it answers',
  );
  for (const d of devices) {
    const l = { device: d.hostname };
    const fresh = opts.now - d.lastPollAt <= opts.maxAgeMs;
    deviceUp.samples.push({ labels: l, value: fresh && ANSWERED.has(d.pollStatus) ? 1 : 0 });
    status.samples.push({ labels: { ...l, status: d.pollStatus }, value: 1 });
    duration.samples.push({ labels: l, value: d.pollDurationMs / 1000 });
    packets.samples.push({ labels: l, value: d.pollRequests ?? 0 });
    pdus.samples.push({ labels: l, value: d.pollVarbinds ?? 0 });
    if (d.lastSuccessAt != null) lastSuccess.samples.push({ labels: l, value: d.lastSuccessAt / 1000 });
    if (d.failingSince != null) failingSince.samples.push({ labels: l, value: d.failingSince / 1000 });
  }
  return [deviceUp, status, duration, packets, pdus, lastSuccess, failingSince];
}

/** Per fresh interface and direction: errors and discards per second (a rate absent when its counters were rejected). */
function interfaceFamilies(interfaces: readonly InterfaceErrorRow[]): MetricFamily[] {
  const errorRates = family(
    'extranet_interface_errors_per_second',
    'gauge',
    'ifInErrors / ifOutErrors over the last accepted interval, packets per second',
  );
  const discardRates = family(
    'extranet_interface_discards_per_second',
    'gauge',
    'ifInDiscards over the last accepted interval, packets per second',
  );
  for (const i of interfaces) {
    const l = { device: i.hostname, interface: i.ifName };
    if (i.inErrorsPerSec != null) errorRates.samples.push({ labels: { ...l, direction: 'in' }, value: i.inErrorsPerSec });
    if (i.outErrorsPerSec != null) errorRates.samples.push({ labels: { ...l, direction: 'out' }, value: i.outErrorsPerSec });
    if (i.inDiscardsPerSec != null) discardRates.samples.push({ labels: { ...l, direction: 'in' }, value: i.inDiscardsPerSec });
  }
  return [errorRates, discardRates];
}

/** The polling process's own: failed polls since it started, devices in its shard, the last cycle's phases. */
function schedulerFamilies(scheduler: NonNullable<MetricsData['scheduler']>): MetricFamily[] {
  const errors = family('snmp_scrape_errors_total', 'counter', 'Failed polls since this poller started, by device and reason');
  const scheduled = family('extranet_poller_devices', 'gauge', 'Devices this poller (shard) polls');
  const cycle = family(
    'extranet_poller_last_cycle_duration_seconds',
    'gauge',
    'Wall time of the last poll cycle, by phase (poll, store), seconds',
  );
  scheduled.samples.push({ labels: { shard: `${scheduler.shard.index}/${scheduler.shard.count}` }, value: scheduler.devices.length });
  for (const d of scheduler.devices) {
    for (const [reason, n] of d.errorsTotal) errors.samples.push({ labels: { device: d.hostname, reason }, value: n });
  }
  const last = scheduler.lastCycle;
  if (last) {
    cycle.samples.push(
      { labels: { phase: 'poll' }, value: last.pollMs / 1000 },
      { labels: { phase: 'store' }, value: last.storeMs / 1000 },
    );
  }
  return [errors, scheduled, cycle, ...(scheduler.backlog ? backlogFamilies(scheduler.backlog) : [])];
}

/** The poll buffer: cycles held while Neo4j is away, and those lost beyond its window. */
function backlogFamilies(b: BacklogStats): MetricFamily[] {
  const held = family('extranet_poller_buffered_cycles', 'gauge', 'Poll cycles held in memory while Neo4j is away, to be written in order');
  const dropped = family(
    'extranet_poller_dropped_cycles_total',
    'counter',
    'Poll cycles dropped (oldest first) because Neo4j was away longer than POLL_BUFFER_MINUTES',
  );
  const polls = family('extranet_poller_dropped_polls_total', 'counter', 'Device polls in the dropped cycles');
  held.samples.push({ labels: {}, value: b.cycles });
  dropped.samples.push({ labels: {}, value: b.droppedCycles });
  polls.samples.push({ labels: {}, value: b.droppedPolls });
  return [held, dropped, polls];
}
