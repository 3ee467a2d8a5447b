import type { Device, Link, LinkTier } from '@extranet/topology';
import type { Logger } from 'pino';
import type { SnmpProfile } from '../snmp/profiles';
import type { SnmpTarget } from '../snmp/session';
import { startLabAgent, type AgentStats, type LabAgent } from './agent';
import { labCapacityProblem, labTooBigMessage, openFileLimit } from './capacity';
import { CHINA_STANDARD_TIME } from './diurnal';
import { LabError, type ActiveFault, type LabFault } from './faults';
import { hash32 } from './rng';
import { SimRouter } from './router';
import { chooseShortfalls, ifKey, interfaceTiers, type Shortfall, type ShortfallCounts } from './shortfalls';

/**
 * The lab: every managed device of a plan (one with an `snmpProfile`) as a real
 * SNMP agent on a loopback port, with daily traffic, deliberate shortfalls and
 * faults switched at run time. One process hosts all agents.
 */

/**
 * Credentials the lab accepts when none are given — lab only, never a real
 * network's: v2c community `lab-public`, and v3 user `poller` authPriv SHA/AES.
 */
export const LAB_PROFILES: readonly SnmpProfile[] = [
  { name: 'lab-v2c', version: '2c', community: 'lab-public' },
  {
    name: 'lab-v3',
    version: '3',
    user: 'poller',
    level: 'authPriv',
    authProtocol: 'sha',
    authKey: 'lab-auth-pass',
    privProtocol: 'aes',
    privKey: 'lab-priv-pass',
  },
];

export interface LabOptions {
  /** First UDP port; device i listens on basePort + i (plan order of managed devices). 0 = free ports. Default 16100. */
  basePort?: number;
  /** Address the agents bind. Default 127.0.0.1. */
  host?: string;
  /** Seed of every random choice (uptimes, noise, shortfalls). Default 1. */
  seed?: number;
  /** ms since the epoch. Default Date.now. Inject a manual clock to step time in tests. */
  clock?: () => number;
  /** Credentials every agent accepts (all of them: v2c communities and v3 users). Default {@link LAB_PROFILES}. */
  profiles?: readonly SnmpProfile[];
  /** The plan's links: give interfaces their tier and let shortfalls be chosen per link. */
  links?: readonly Link[];
  /** How many links to serve below target, or the exact list. Default 3 townships, 1 county. */
  shortfalls?: ShortfallCounts | readonly Shortfall[];
  /** Hostnames whose agent has only 32-bit counters (no ifHC*, no ifHighSpeed). */
  counter32Only?: readonly string[];
  /** Hostnames whose agent never answers GETBULK. */
  brokenBulk?: readonly string[];
  /** Local time of the diurnal curve, minutes east of UTC. Default 480 (China Standard Time). */
  utcOffsetMinutes?: number;
  log?: Logger;
}

export interface Lab {
  /** Where each device's agent listens, by hostname. */
  readonly targets: ReadonlyMap<string, SnmpTarget>;
  /** Interfaces served below plan. */
  readonly shortfalls: readonly Shortfall[];
  /**
   * Switches a fault on or off now.
   * @param ifName one interface; undefined = all interfaces (interface faults) or the device (device faults)
   * @throws LabError `UNKNOWN_DEVICE`, `UNKNOWN_INTERFACE`, `FAULT_SCOPE`
   */
  setFault(hostname: string, ifName: string | undefined, fault: LabFault, on: boolean): void;
  /** Faults currently on, and events that happened and were not switched off. */
  faults(): ActiveFault[];
  stats(hostname: string): AgentStats;
  /** Closes every agent. Idempotent. */
  stop(): Promise<void>;
}

/** A distinct, stable USM engine ID per device (net-snmp's format: enterprise 0x00B983, 12 bytes). */
function engineIdFor(seed: number, hostname: string): string {
  const words = [0, 1, 2].map((k) => hash32(seed, hostname, 'engine', k).toString(16).padStart(8, '0'));
  return `8000b98380${words.join('')}`;
}

function isCountList(s: LabOptions['shortfalls']): s is ShortfallCounts | undefined {
  return s === undefined || !Array.isArray(s);
}

/**
 * Starts one agent per managed device and resolves when all listen.
 *
 * @example
 * const lab = await startLab(plan.devices, { links: plan.links, basePort: 16100, seed: 7 });
 * lab.setFault('hz-dy-agg1', 'GE0/0/1', 'link-down', true);
 * await lab.stop();
 * @throws LabError `PORT_IN_USE` (nothing is left listening), `UNKNOWN_DEVICE` for a bad hostname in an option
 */
export async function startLab(devices: readonly Device[], options: LabOptions = {}): Promise<Lab> {
  const clock = options.clock ?? Date.now;
  const seed = options.seed ?? 1;
  const basePort = options.basePort ?? 16100;
  const managed = devices.filter((d) => d.snmpProfile !== undefined);
  const hostnames = new Set(managed.map((d) => d.hostname));
  const unknownHost = (h: string) =>
    new LabError('UNKNOWN_DEVICE', `no managed device "${h}" in the lab; known: ${[...hostnames].slice(0, 10).join(', ')}…`);
  for (const h of [...(options.counter32Only ?? []), ...(options.brokenBulk ?? [])]) if (!hostnames.has(h)) throw unknownHost(h);

  const limit = openFileLimit();
  const tooBig = labCapacityProblem(managed.length, limit);
  if (tooBig !== undefined) throw new LabError('TOO_MANY_AGENTS', tooBig);

  const tiers = interfaceTiers(managed, options.links);
  const shortfalls: readonly Shortfall[] = isCountList(options.shortfalls)
    ? chooseShortfalls(managed, {
        seed,
        ...(options.links ? { links: options.links } : {}),
        ...(options.shortfalls ? { counts: options.shortfalls } : {}),
      })
    : options.shortfalls;
  const start = clock();
  const routers = new Map<string, SimRouter>();
  const agents = new Map<string, LabAgent>();
  const targets = new Map<string, SnmpTarget>();
  const host = options.host ?? '127.0.0.1';

  try {
    for (const [i, device] of managed.entries()) {
      const own = new Map<string, LinkTier>();
      for (const itf of device.interfaces) own.set(itf.name, tiers.get(ifKey(device.hostname, itf.name)) ?? 'county-township');
      const router = new SimRouter(device, {
        seed,
        now: start,
        tiers: own,
        actualMbps: new Map(shortfalls.filter((s) => s.hostname === device.hostname).map((s) => [s.ifName, s.actualMbps])),
        utcOffsetMinutes: options.utcOffsetMinutes ?? CHINA_STANDARD_TIME,
      });
      const agent = await startLabAgent(router, {
        host,
        port: basePort === 0 ? 0 : basePort + i,
        profiles: options.profiles ?? LAB_PROFILES,
        clock,
        engineID: engineIdFor(seed, device.hostname),
        brokenBulk: options.brokenBulk?.includes(device.hostname) ?? false,
        counter32Only: options.counter32Only?.includes(device.hostname) ?? false,
        ...(options.log ? { log: options.log } : {}),
      });
      routers.set(device.hostname, router);
      agents.set(device.hostname, agent);
      targets.set(device.hostname, { host, port: agent.port });
    }
  } catch (e) {
    await Promise.all([...agents.values()].map((a) => a.close()));
    // Out of file descriptors midway (a limit /proc did not show, or other files open): say why and what to do.
    if (e instanceof LabError && e.code === 'TOO_MANY_AGENTS')
      throw new LabError('TOO_MANY_AGENTS', labTooBigMessage(managed.length, limit));
    throw e;
  }

  const active: ActiveFault[] = [];
  let stopped: Promise<void> | undefined;
  const routerOf = (h: string) => {
    const r = routers.get(h);
    if (r === undefined) throw unknownHost(h);
    return r;
  };

  return {
    targets,
    shortfalls,
    setFault(hostname, ifName, fault, on) {
      const now = clock();
      routerOf(hostname).setFault(ifName, fault, on, now);
      const same = (f: ActiveFault) => f.hostname === hostname && f.ifName === ifName && f.fault === fault;
      const at = active.findIndex(same);
      if (at >= 0) active.splice(at, 1);
      if (on) active.push({ hostname, ...(ifName === undefined ? {} : { ifName }), fault, since: now });
    },
    faults: () => active.map((f) => ({ ...f })),
    stats(hostname) {
      routerOf(hostname);
      return (agents.get(hostname) as LabAgent).stats();
    },
    stop() {
      stopped ??= Promise.all([...agents.values()].map((a) => a.close())).then(() => undefined);
      return stopped;
    },
  };
}
