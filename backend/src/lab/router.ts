import type { Device, LinkTier } from '@extranet/topology';
import { CHINA_STANDARD_TIME } from './diurnal';
import { FAULTS, LabError, type LabFault } from './faults';
import { hash32, noise, seededRandom } from './rng';
import { DEFAULT_SPEED_MBPS } from './shortfalls';
import { advanceCounters, jumpCounters, newCounters, resetCounters, rewindCounters, type InterfaceCounters } from './traffic';

/**
 * One simulated router: what its agent serves, as a function of time and of
 * the faults switched on. No SNMP here (see agent.ts): this is the model.
 * Times are ms since the epoch from the lab's clock; sysUpTime and the
 * IF-MIB TimeTicks columns are centiseconds since the (simulated) boot.
 */

const DAY_MS = 86_400_000;
const TICKS_WRAP = 2 ** 32;

/** One ifTable/ifXTable row, as served (RFC 2863 units). */
export interface IfRow {
  ifIndex: number;
  ifName: string;
  ifDescr: string;
  ifAlias: string;
  /** ifHighSpeed, Mbps. */
  highSpeedMbps: number;
  /** ifSpeed, bit/s, saturated at 2^32 − 1 as RFC 2863 says. */
  speedBps: number;
  /** 1 up, 2 down. */
  operStatus: 1 | 2;
  /** ifLastChange, centiseconds of sysUpTime (0: before the last boot). */
  lastChangeCs: number;
  inOctets: bigint;
  outOctets: bigint;
  inErrors: bigint;
  outErrors: bigint;
  inDiscards: bigint;
  /** ifCounterDiscontinuityTime, centiseconds of sysUpTime (0: none since boot). */
  discontinuityCs: number;
}

export interface RouterSnapshot {
  /** sysUpTime, centiseconds, wraps at 2^32. */
  uptimeCs: number;
  /** Changes whenever the ifIndex numbering does (a reboot). */
  layout: number;
  rows: IfRow[];
}

interface SimInterface {
  name: string;
  alias: string;
  /** What the line is (plan speed, or a shortfall), Mbps. */
  actualMbps: number;
  down: boolean;
  speedDrop: boolean;
  saturated: boolean;
  /** ifHighSpeed and ifSpeed answered as 0 (fault `zero-speed`). */
  zeroSpeed: boolean;
  lastChangeAt: number | null;
  discontinuityAt: number | null;
  counters: InterfaceCounters;
}

export interface SimRouterOptions {
  seed: number;
  /** The lab's start, ms since the epoch. */
  now: number;
  /** Link tier per interface name (drives the utilization level). */
  tiers: ReadonlyMap<string, LinkTier>;
  /** ifHighSpeed to serve instead of the plan's speed, per interface name (shortfalls). */
  actualMbps?: ReadonlyMap<string, number>;
  utcOffsetMinutes?: number;
}

export class SimRouter {
  readonly hostname: string;
  readonly sysDescr: string;
  /** The agent drops every request while true (fault `timeout`). */
  silent = false;
  /**
   * While the `slow-reply` fault is on: the delay of the next request, ms — 0 for about half
   * of them, else uniform in 0–2000 (seeded per router, so a run repeats).
   */
  slowReply: (() => number) | undefined;
  readonly #seed: number;
  /** Bumped on every change that is not a function of time, so an agent can cache a snapshot. */
  version = 0;
  readonly #interfaces: SimInterface[];
  readonly #utcOffset: number;
  #bootAt: number;
  #boots = 0;

  constructor(device: Device, options: SimRouterOptions) {
    this.hostname = device.hostname;
    this.#seed = options.seed;
    this.sysDescr = `${device.vendor ?? 'Lab'} ${device.model ?? 'router'} (extranet lab, role ${device.role})`;
    this.#utcOffset = options.utcOffsetMinutes ?? CHINA_STANDARD_TIME;
    const rnd = seededRandom(hash32(options.seed, device.hostname, 'boot'));
    this.#bootAt = options.now - Math.floor((2 + 58 * rnd()) * DAY_MS); // up for 2–60 days
    this.#interfaces = device.interfaces.map((i) => {
      const key = `${options.seed}/${device.hostname}/${i.name}`;
      const initial = BigInt(Math.floor(noise(key, 'initial') * 2 ** 42));
      return {
        name: i.name,
        alias: i.description ?? '',
        actualMbps: options.actualMbps?.get(i.name) ?? i.speedMbps ?? DEFAULT_SPEED_MBPS,
        down: false,
        speedDrop: false,
        saturated: false,
        zeroSpeed: false,
        lastChangeAt: null,
        discontinuityAt: null,
        counters: newCounters(key, options.tiers.get(i.name) ?? 'county-township', options.now, initial),
      };
    });
  }

  /** Interface names, in plan order. */
  get interfaceNames(): string[] {
    return this.#interfaces.map((i) => i.name);
  }

  /** sysUpTime at `now`, centiseconds (wraps at 2^32, ~497 days). */
  uptimeCs(now: number): number {
    return Math.floor(Math.max(0, now - this.#bootAt) / 10) % TICKS_WRAP;
  }

  /** Integrates traffic up to `now` and returns what the agent serves. */
  snapshot(now: number): RouterSnapshot {
    const n = this.#interfaces.length;
    const rows = this.#interfaces.map((i, position): IfRow => {
      this.#advance(i, now);
      const mbps = this.#capacity(i);
      return {
        ifIndex: ((position + this.#boots) % n) + 1,
        ifName: i.name,
        ifDescr: i.name,
        ifAlias: i.alias,
        highSpeedMbps: i.zeroSpeed ? 0 : mbps,
        speedBps: i.zeroSpeed ? 0 : Math.min(mbps * 1e6, TICKS_WRAP - 1),
        operStatus: i.down ? 2 : 1,
        lastChangeCs: this.#sinceBoot(i.lastChangeAt),
        inOctets: i.counters.inOctets,
        outOctets: i.counters.outOctets,
        inErrors: i.counters.inErrors,
        outErrors: i.counters.outErrors,
        inDiscards: i.counters.inDiscards,
        discontinuityCs: this.#sinceBoot(i.discontinuityAt),
      };
    });
    return { uptimeCs: this.uptimeCs(now), layout: this.#boots, rows };
  }

  /**
   * Switches a fault on or off at `now` (see faults.ts for each effect).
   * @param ifName one interface; undefined = every interface (interface faults) or the device (device faults)
   * @throws LabError `UNKNOWN_INTERFACE`, `FAULT_SCOPE`
   */
  setFault(ifName: string | undefined, fault: LabFault, on: boolean, now: number): void {
    if (FAULTS[fault].scope === 'device') {
      if (ifName !== undefined) throw new LabError('FAULT_SCOPE', `${fault} is a device fault; call it without an interface name`);
      if (fault === 'timeout') this.silent = on;
      else if (fault === 'slow-reply')
        this.slowReply = on ? slowReplies(seededRandom(hash32(this.#seed, this.hostname, 'slow'))) : undefined;
      else if (on) this.#reboot(now);
      this.version++;
      return;
    }
    const targets = ifName === undefined ? this.#interfaces : this.#interfaces.filter((i) => i.name === ifName);
    if (targets.length === 0) {
      throw new LabError('UNKNOWN_INTERFACE', `${this.hostname} has no interface "${ifName}"; it has ${this.interfaceNames.join(', ')}`);
    }
    for (const i of targets) {
      this.#advance(i, now); // traffic so far is counted under the old conditions
      if (fault === 'link-down' && i.down !== on) {
        i.down = on;
        i.lastChangeAt = now;
      } else if (fault === 'speed-drop') i.speedDrop = on;
      else if (fault === 'saturation') i.saturated = on;
      else if (fault === 'zero-speed') i.zeroSpeed = on;
      else if (fault === 'counter-backwards' && on) {
        rewindCounters(i.counters, BigInt(Math.floor((1 + noise(i.counters.key, 'rewind', now)) * 2 ** 36)));
      } else if (fault === 'discontinuity' && on) {
        i.discontinuityAt = now;
        jumpCounters(i.counters, BigInt(Math.floor((1 + noise(i.counters.key, 'jump', now)) * 2 ** 36)));
      }
    }
    this.version++;
  }

  #capacity(i: SimInterface): number {
    return i.speedDrop ? Math.max(1, Math.floor(i.actualMbps / 10)) : i.actualMbps;
  }

  #advance(i: SimInterface, now: number): void {
    advanceCounters(i.counters, now, { capacityMbps: this.#capacity(i), up: !i.down, saturated: i.saturated }, this.#utcOffset);
  }

  #sinceBoot(at: number | null): number {
    return at === null || at < this.#bootAt ? 0 : this.uptimeCs(at);
  }

  #reboot(now: number): void {
    this.#bootAt = now;
    this.#boots++;
    for (const i of this.#interfaces) {
      resetCounters(i.counters, now);
      i.discontinuityAt = null;
    }
  }
}

/** Delays of the `slow-reply` fault: half the requests on time, the others 0–2 s late (uniform), ms. */
function slowReplies(rnd: () => number): () => number {
  return () => (rnd() < 0.5 ? 0 : Math.floor(rnd() * 2000));
}
