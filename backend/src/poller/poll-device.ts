import { performance } from 'node:perf_hooks';
import type { Device } from '@extranet/topology';
import type { Logger } from 'pino';
import type { DevicePollRecord, DeviceStatus, InterfaceResult } from '../monitor/types';
import { classifySnmpError, type SnmpErrorKind } from '../snmp/errors';
import { readInterfaces, SYS_UPTIME, type InterfacesReading } from '../snmp/ifmib';
import type { SnmpProfile } from '../snmp/profiles';
import { openSession, type SessionOptions, type SnmpSession, type SnmpTarget } from '../snmp/session';
import { sampleDevice, type CounterState } from './sample';

/**
 * One poll of one device through the SNMP seam. The device keeps ONE session
 * across polls (one UDP socket, v3 engine discovered once); after a failure
 * the session is closed and the next attempt opens a fresh one, so a rebooted
 * v3 agent (new engine boots/time) is rediscovered instead of failing forever.
 * Nothing here throws: every failure becomes a {@link DevicePollRecord} status.
 */

/** The per-device state the scheduler keeps between polls. */
export interface DeviceRuntime {
  device: Device;
  intervalMs: number;
  /** Start of the device's poll grid (anchor + phase), ms. */
  grid: number;
  nextDueAt: number;
  /** Consecutive failed polls. */
  failures: number;
  session: { key: string; session: SnmpSession } | undefined;
  /** Last counters per plan interface name. */
  counters: Map<string, CounterState>;
  last: DevicePollRecord | undefined;
  /** Failed polls per status since the process started (snmp_scrape_errors_total). */
  errorsTotal: Map<DeviceStatus, number>;
  /**
   * The last read found that ifName alone does not resolve the plan's names,
   * so ifDescr and ifAlias go into the main walk (no second walk per poll).
   */
  needsAllNames?: boolean;
}

/**
 * A device's runtime before its first poll in this process: nothing kept but
 * what `kept` carries over (an earlier process's failures and last counters).
 */
export function newDeviceRuntime(
  device: Device,
  intervalMs: number,
  kept: { failures?: number; counters?: Map<string, CounterState> } = {},
): DeviceRuntime {
  return {
    device,
    intervalMs,
    grid: 0,
    nextDueAt: 0,
    failures: kept.failures ?? 0,
    session: undefined,
    counters: kept.counters ?? new Map<string, CounterState>(),
    last: undefined,
    errorsTotal: new Map(),
  };
}

export interface PollContext {
  clock: () => number;
  target: SnmpTarget | undefined;
  profile: SnmpProfile | undefined;
  session: SessionOptions;
  /** Longest accepted interval between two readings for a rate, ms. */
  maxGapMs: number;
  log?: Logger;
}

const STATUS_OF: Record<SnmpErrorKind, DeviceStatus> = {
  timeout: 'timeout',
  'auth-failure': 'auth-failure',
  unreachable: 'unreachable',
  'no-such-object': 'protocol-error',
  protocol: 'protocol-error',
};

export async function pollDevice(rt: DeviceRuntime, ctx: PollContext): Promise<DevicePollRecord> {
  const { hostname } = rt.device;
  const started = performance.now();
  const record = (status: DeviceStatus, extra: Partial<DevicePollRecord> = {}): DevicePollRecord => {
    rt.failures = status === 'ok' || status === 'no-such-interface' ? 0 : rt.failures + 1;
    if (rt.failures > 0) rt.errorsTotal.set(status, (rt.errorsTotal.get(status) ?? 0) + 1);
    const r: DevicePollRecord = {
      hostname,
      at: ctx.clock(),
      status,
      durationMs: performance.now() - started,
      requests: 0,
      varbinds: 0,
      failures: rt.failures,
      interfaces: [],
      ...extra,
    };
    rt.last = r;
    return r;
  };

  if (ctx.target === undefined) {
    return record('unreachable', {
      error: { message: `no SNMP target for ${hostname}`, hint: 'give the device a mgmtAddress, or list it in the SNMP_TARGETS file' },
    });
  }
  if (ctx.profile === undefined) {
    const name = rt.device.snmpProfile ?? '';
    return record('no-credentials', {
      error: {
        message: `SNMP profile "${name}" is not configured`,
        hint: `add it to SNMP_PROFILES_FILE or set SNMP_PROFILE_${name.toUpperCase().replaceAll('-', '_')}_VERSION and its credentials`,
      },
    });
  }
  const key = `${ctx.target.host}:${ctx.target.port}/${ctx.profile.name}`;
  if (rt.session?.key !== key) {
    rt.session?.session.close();
    rt.session = { key, session: openSession(ctx.target, ctx.profile, { ...ctx.session, ...(ctx.log && { log: ctx.log }) }) };
  }
  const session = rt.session.session;
  // A device that failed its last poll is probed first: one GET of sysUpTime.0, no resend and no
  // GETNEXT fallback, so a router that stopped answering costs one timeout, not the whole ladder.
  if (rt.failures > 0) {
    const probe = openSession(ctx.target, ctx.profile, { ...ctx.session, retries: 0, ...(ctx.log && { log: ctx.log }) });
    try {
      await probe.get([SYS_UPTIME]);
    } catch (e) {
      const err = classifySnmpError(e, `${hostname} ${ctx.target.host}:${ctx.target.port}`);
      const { requests, varbinds } = probe.stats();
      session.close();
      rt.session = undefined;
      return record(STATUS_OF[err.kind], { requests, varbinds, error: { message: err.message, hint: err.hint } });
    } finally {
      probe.close();
    }
  }
  const before = session.stats();
  const spent = () => {
    const after = session.stats();
    return { requests: after.requests - before.requests, varbinds: after.varbinds - before.varbinds };
  };
  try {
    const names = rt.device.interfaces.map((i) => i.name);
    const reading = await readInterfaces(session, { clock: ctx.clock, wanted: names, allNames: rt.needsAllNames === true });
    const read = readingResult(rt, reading, ctx);
    return record(read.status, { ...spent(), interfaces: read.interfaces, ...(read.error && { error: read.error }) });
  } catch (e) {
    const err = classifySnmpError(e, `${hostname} ${ctx.target.host}:${ctx.target.port}`);
    const used = spent();
    session.close();
    rt.session = undefined;
    return record(STATUS_OF[err.kind], { ...used, error: { message: err.message, hint: err.hint } });
  }
}

/**
 * The step of a poll after SNMP: the device's IF-MIB reading → per plan interface its state and
 * rates (`sampleDevice`, against the counters kept from the last poll, which it then replaces),
 * and the poll's status (`no-such-interface` when a plan interface is missing or ambiguous).
 * `pollDevice` calls it with what the agent answered; the pipeline benchmark with synthetic readings.
 */
export function readingResult(
  rt: DeviceRuntime,
  reading: InterfacesReading,
  ctx: Pick<PollContext, 'maxGapMs' | 'log'>,
): { status: 'ok' | 'no-such-interface'; interfaces: InterfaceResult[]; error?: { message: string; hint: string } } {
  const { hostname } = rt.device;
  const names = rt.device.interfaces.map((i) => i.name);
  rt.needsAllNames = reading.needsAllNames;
  const sample = sampleDevice(hostname, names, reading, rt.counters, { maxGapMs: ctx.maxGapMs });
  for (const i of sample.interfaces) rt.counters.set(i.ifName, i.counters);
  for (const i of sample.interfaces.filter((x) => x.reindexed)) {
    ctx.log?.info({ device: hostname, ifName: i.ifName, ifIndex: i.ifIndex }, 'ifIndex renumbered; link re-resolved by name');
  }
  const bad = [...sample.missing.map((n) => `${n} (missing)`), ...sample.ambiguous.map((n) => `${n} (ambiguous)`)];
  if (bad.length === 0) return { status: 'ok', interfaces: sample.interfaces };
  return {
    status: 'no-such-interface',
    interfaces: sample.interfaces,
    error: {
      message: `plan interfaces not found on the agent: ${bad.join(', ')}`,
      hint: 'check the interface names in devices.yaml against the device ifName (or set ifAlias to the plan name)',
    },
  };
}
