import { performance } from 'node:perf_hooks';
import type { Device, Link, LinkEndsState, EndState, RateSample } from '@extranet/topology';
import { dailyPercentiles, linkCompliance } from '@extranet/topology';
import { newDeviceRuntime, pollDevice, type DeviceRuntime } from '../../backend/src/poller/poll-device';
import type { CounterState } from '../../backend/src/poller/sample';
import { ALL_DEVICES, inShard, type Shard } from '../../backend/src/poller/shard';
import type { SnmpV2cProfile } from '../../backend/src/snmp/profiles';
import type { RoundResult } from './types';

/**
 * Our side: the poller's per-device poll (`pollDevice` — exactly what
 * `createPoller` runs per device: one kept session, one multi-column GETBULK
 * walk of 9 IF-MIB columns with sysUpTime as a non-repeater of its first
 * request (ifDescr/ifAlias only when ifName does not resolve the plan's
 * names), `sampleDevice` → `octetRate` per interface and direction with
 * BigInt counters), driven by the same bounded worker pool as `createPoller`'s
 * cycle, then per poll what the monitor does with a cycle, in memory instead
 * of Neo4j:
 *
 * - every rate is appended to the interface's history (a ring of `historySize`
 *   samples per direction, one day of 5-minute polls by default);
 * - every link of the polled device is judged with `linkCompliance` from the
 *   fresh end states;
 * - at the end of a measurement, `dailyPercentiles` (95th, nearest rank) of
 *   every interface's history, both directions.
 *
 * `createPoller` itself is not used: it needs a Neo4j store for the plan and
 * for writing every cycle, which would put Neo4j in the measurement.
 *
 * Rates need two readings at least 1 s apart by the agent's sysUpTime
 * (`octetRate`'s minimum interval). Polling back to back, one device is read
 * many times a second, so each poll is compared with the device's latest
 * reading that is ≥ 1.05 s old (kept in a short queue), as a production poll
 * 60 s after the previous one is: every poll then runs the whole rate path.
 */

export interface OurPollerOptions {
  ports: number[];
  community: string;
  interfaceNames: string[];
  concurrency: number;
  /** Per SNMP attempt, ms. */
  timeoutMs: number;
  retries: number;
  maxRepetitions: number;
  historySize?: number;
  /** Poll only this shard's agents (`inShard(hostname)`, as `extranet serve --shard i/N` does). Default: all. */
  shard?: Shard;
}

/** A fixed-size ring of rate samples. */
class Ring {
  readonly items: RateSample[] = [];
  #next = 0;
  constructor(readonly size: number) {}
  push(s: RateSample): void {
    if (this.items.length < this.size) this.items.push(s);
    else this.items[this.#next] = s;
    this.#next = (this.#next + 1) % this.size;
  }
}

interface DeviceState {
  rt: DeviceRuntime;
  /** In this poller's shard. */
  mine: boolean;
  port: number;
  links: Link[];
  /** Readings kept for the ≥ 1 s comparison, oldest first. */
  past: Array<{ at: number; counters: Map<string, CounterState> }>;
  ends: Map<string, EndState>;
}

export interface OurStats {
  rates: number;
  rejected: Record<string, number>;
  compliance: number;
  meetsTarget: number;
  historySamples: number;
  percentileSeries: number;
  requests: number;
  varbinds: number;
}

const MIN_AGE_MS = 1050;

/** Work counters of several passes or shards, added up. */
export function sumStats(list: readonly OurStats[]): OurStats {
  const out: OurStats = {
    rates: 0,
    rejected: {},
    compliance: 0,
    meetsTarget: 0,
    historySamples: 0,
    percentileSeries: 0,
    requests: 0,
    varbinds: 0,
  };
  for (const s of list) {
    for (const k of ['rates', 'compliance', 'meetsTarget', 'historySamples', 'percentileSeries', 'requests', 'varbinds'] as const)
      out[k] += s[k];
    for (const [r, v] of Object.entries(s.rejected)) out.rejected[r] = (out.rejected[r] ?? 0) + v;
  }
  return out;
}

export class OurPoller {
  readonly #o: OurPollerOptions;
  readonly #profile: SnmpV2cProfile;
  readonly #devices: DeviceState[];
  readonly #history = new Map<string, { in: Ring; out: Ring }>();
  #stats: OurStats = sumStats([]);

  constructor(o: OurPollerOptions) {
    this.#o = o;
    this.#profile = { name: 'bench', version: '2c', community: o.community };
    this.#devices = o.ports.map((port, i) => {
      const hostname = `agent-${String(i).padStart(3, '0')}`;
      const device: Device = {
        hostname,
        site: hostname,
        role: 'access',
        mgmtAddress: '127.0.0.1',
        snmpProfile: 'bench',
        interfaces: o.interfaceNames.map((name) => ({ name, speedMbps: name.startsWith('ve') ? 10_000 : 1000 })),
      };
      // Interfaces pair up into links (veth peers are neighbours in the list): a = even, b = odd.
      const links: Link[] = [];
      for (let j = 0; j + 1 < o.interfaceNames.length; j += 2) {
        links.push({
          id: `${hostname}-l${j / 2}`,
          kind: 'uplink',
          tier: 'county-township',
          a: { device: hostname, interface: o.interfaceNames[j]! },
          b: { device: hostname, interface: o.interfaceNames[j + 1]! },
          targetMbps: 100,
          contractedMbps: 1000,
          status: 'built',
        });
      }
      return {
        rt: newDeviceRuntime(device, 60_000),
        mine: inShard(hostname, o.shard ?? ALL_DEVICES),
        port,
        links,
        past: [],
        ends: new Map(),
      };
    });
    if (this.#devices.length === 0) throw new Error('no agents');
  }

  /** Counters since the last call. */
  takeStats(): OurStats {
    const s = this.#stats;
    this.#stats = sumStats([]);
    return s;
  }

  /** The first `n` agents that are in this poller's shard. */
  #due(n: number): DeviceState[] {
    return this.#devices.slice(0, n).filter((d) => d.mine);
  }

  /** Polls this shard's share of the first `n` agents once each, `concurrency` at a time; no new poll starts after `stopAt` (performance.now()). */
  async round(n: number, stopAt = Infinity): Promise<RoundResult> {
    const due = this.#due(n);
    const result: RoundResult = { polls: 0, interfacePolls: 0, failures: 0, errors: [], requests: 0 };
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < due.length && (i === 0 || performance.now() < stopAt); i = next++) await this.#pollOne(due[i]!, result);
    };
    await Promise.all(Array.from({ length: Math.min(this.#o.concurrency, due.length) }, worker));
    return result;
  }

  async #pollOne(d: DeviceState, result: RoundResult): Promise<void> {
    const now = Date.now();
    // The latest reading at least MIN_AGE_MS old is "the previous poll".
    while (d.past.length > 1 && now - d.past[1]!.at >= MIN_AGE_MS) d.past.shift();
    const base = d.past[0] !== undefined && now - d.past[0].at >= MIN_AGE_MS ? d.past[0].counters : undefined;
    d.rt.counters = new Map(base ?? []);
    const record = await pollDevice(d.rt, {
      clock: Date.now,
      target: { host: '127.0.0.1', port: d.port },
      profile: this.#profile,
      session: { timeoutMs: this.#o.timeoutMs, retries: this.#o.retries, maxRepetitions: this.#o.maxRepetitions },
      maxGapMs: 3 * d.rt.intervalMs,
    });
    d.past.push({ at: record.at, counters: d.rt.counters }); // bounded by the shift above: about 1 s of readings
    result.polls++;
    this.#stats.requests += record.requests;
    result.requests = (result.requests ?? 0) + record.requests;
    this.#stats.varbinds += record.varbinds;
    if (record.status !== 'ok') {
      result.failures++;
      if (result.errors.length < 5) result.errors.push(`${d.rt.device.hostname}: ${record.status} ${record.error?.message ?? ''}`);
      return;
    }
    result.interfacePolls += record.interfaces.length;

    // History and end states.
    for (const r of record.interfaces) {
      d.ends.set(r.ifName, {
        ifHighSpeedMbps: r.ifHighSpeedMbps,
        operStatus: r.operStatus,
        ...(r.inBps !== undefined && { inBps: r.inBps }),
        ...(r.outBps !== undefined && { outBps: r.outBps }),
        polledAt: record.at,
      });
      if (r.inBps === undefined || r.outBps === undefined) {
        const why = r.rejected ?? 'unknown';
        this.#stats.rejected[why] = (this.#stats.rejected[why] ?? 0) + 1;
        continue;
      }
      let h = this.#history.get(r.key);
      if (h === undefined) {
        h = { in: new Ring(this.#o.historySize ?? 288), out: new Ring(this.#o.historySize ?? 288) };
        this.#history.set(r.key, h);
      }
      h.in.push({ at: record.at, value: r.inBps });
      h.out.push({ at: record.at, value: r.outBps });
      this.#stats.rates++;
      this.#stats.historySamples += 2;
    }
    // Compliance of every link of the device.
    for (const link of d.links) {
      const ends: LinkEndsState = {};
      const a = d.ends.get(link.a.interface);
      const b = d.ends.get(link.b.interface);
      if (a) ends.a = a;
      if (b) ends.b = b;
      const c = linkCompliance(link, ends, { now: record.at, maxAgeMs: 3 * d.rt.intervalMs });
      this.#stats.compliance++;
      if (c.meetsTarget) this.#stats.meetsTarget++;
    }
  }

  /** True when each of this shard's first `n` devices has a reading old enough to compute rates from. */
  ready(n: number): boolean {
    const now = Date.now();
    return this.#due(n).every((d) => d.past[0] !== undefined && now - d.past[0].at >= MIN_AGE_MS);
  }

  /** Daily 95th percentile of every kept series (both directions); returns how many series. */
  percentiles(): number {
    let n = 0;
    for (const h of this.#history.values()) {
      dailyPercentiles(h.in.items);
      dailyPercentiles(h.out.items);
      n += 2;
    }
    this.#stats.percentileSeries += n;
    return n;
  }

  /** Drops the kept history (between measurements, so each starts alike). */
  resetHistory(): void {
    this.#history.clear();
  }

  close(): void {
    for (const d of this.#devices) d.rt.session?.session.close();
    for (const d of this.#devices) d.rt.session = undefined;
  }
}
