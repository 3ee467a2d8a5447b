import type { Device } from '@extranet/topology';
import type { InterfacesReading } from '../../backend/src/snmp/ifmib';

/**
 * Synthetic readings for the pipeline bench: per interface a target load and a
 * counter that grows with it (deterministic from the seed), read as the SNMP
 * poller would have read it — what `readingResult` takes after SNMP.
 */

/** A cheap deterministic hash in [0, 1) of a string and the seed. */
export function unit(text: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return ((h >>> 0) % 1_000_003) / 1_000_003;
}

export interface Synth {
  ifIndex: number;
  speedMbps: number;
  /** Average rates of the interface, bits per second. */
  inBps: number;
  outBps: number;
  down: boolean;
}

/** The synthetic agent of one device: its interfaces' speeds and rates, and when it booted. */
export function synthDevice(d: Device, targetOf: ReadonlyMap<string, { target: number; below: boolean }>, seed: number): Synth[] {
  return d.interfaces.map((i, k) => {
    const key = `${d.hostname}|${i.name}`;
    const link = targetOf.get(key);
    const nominal = i.speedMbps ?? link?.target ?? 1000;
    const speedMbps = link?.below ? Math.max(1, Math.floor(Math.min(nominal, link.target) / 2)) : Math.max(nominal, link?.target ?? 0);
    const load = 0.05 + 0.6 * unit(`${key}/load`, seed);
    return {
      ifIndex: k + 1,
      speedMbps,
      inBps: speedMbps * 1e6 * load,
      outBps: speedMbps * 1e6 * load * 0.4,
      down: unit(`${key}/down`, seed) < 0.005,
    };
  });
}

/**
 * What the agent would answer at `at`: counters = rate × (time since boot + the interface's drift), sysUpTime
 * from boot. The drift adds ±10 % of an interval's traffic each interval (seeded), so rates vary and counters only grow.
 */
export function readingAt(d: Device, synth: readonly Synth[], at: number, bootAt: number, driftSecs: readonly number[]): InterfacesReading {
  const uptimeCs = BigInt(Math.floor((at - bootAt) / 10));
  const secs = (at - bootAt) / 1000;
  const interfaces = new Map<number, InterfacesReading['interfaces'] extends Map<number, infer R> ? R : never>();
  d.interfaces.forEach((i, k) => {
    const s = synth[k]!;
    const t = secs + (driftSecs[k] ?? 0);
    const stamp = { uptimeCs, at };
    interfaces.set(s.ifIndex, {
      ifName: i.name,
      ifDescr: '',
      ifAlias: '',
      highSpeedMbps: s.speedMbps,
      inOctets: BigInt(Math.floor((s.down ? 0 : (s.inBps * t) / 8) % 2 ** 53)),
      outOctets: BigInt(Math.floor((s.down ? 0 : (s.outBps * t) / 8) % 2 ** 53)),
      counterWidth: 64,
      operStatus: s.down ? 2 : 1,
      inErrors: 0n,
      outErrors: 0n,
      inDiscards: 0n,
      discontinuityCs: 0n,
      stamps: { inOctets: stamp, outOctets: stamp, inErrors: stamp, outErrors: stamp, inDiscards: stamp },
    });
  });
  return { uptimeCs, receivedAt: at, replies: 1, durationMs: 5, interfaces, namesRead: false, needsAllNames: false };
}
