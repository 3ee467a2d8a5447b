import type { Device } from '@extranet/topology';
import { LAB_PROFILES, startLab, type Lab, type LabOptions } from '../../backend/src/lab/lab';
import { readInterfaces, type InterfaceReading, type InterfacesReading } from '../../backend/src/snmp/ifmib';
import type { SnmpProfile, SnmpV2cProfile, SnmpV3Profile } from '../../backend/src/snmp/profiles';
import { openSession, type SessionOptions, type SnmpSession } from '../../backend/src/snmp/session';

/** A small plan's devices for lab tests: one device per fault so tests do not disturb each other. */

/** Tuesday 2025-03-04 10:00 in Huizhou: the morning peak. */
export const T0 = Date.parse('2025-03-04T02:00:00Z');

export const V2C = LAB_PROFILES[0] as SnmpV2cProfile;
export const V3 = LAB_PROFILES[1] as SnmpV3Profile;

const ports = (n: number, speedMbps: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({ name: `GigabitEthernet0/0/${from + i}`, speedMbps }));

const device = (hostname: string, role: Device['role'], interfaces: Device['interfaces'], managed = true): Device => ({
  hostname,
  site: hostname,
  role,
  ...(managed ? { snmpProfile: 'lab-v3', mgmtAddress: '10.44.0.1' } : {}),
  interfaces,
});

export const DEVICES: Device[] = [
  device('hz-core', 'core', ports(4, 1000)),
  device('hz-agg', 'aggregation', [...ports(2, 1000), ...ports(46, 100, 2)]),
  ...['down', 'speed', 'reset', 'disc', 'silent', 'sat'].map((f) => device(`twp-${f}`, 'access', ports(2, 100))),
  device('old-32', 'access', ports(3, 100)),
  device('no-bulk', 'access', ports(12, 100)),
  device('isp-upstream', 'upstream', ports(1, 10000), false),
];

/** A manually stepped clock. */
export function manualClock(start = T0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** Starts the lab on a random base port (retrying if taken), so parallel runs do not collide. */
export async function startTestLab(options: LabOptions = {}): Promise<{ lab: Lab; basePort: number }> {
  for (let attempt = 0; ; attempt++) {
    const basePort = 20_000 + Math.floor(Math.random() * 30_000);
    try {
      return { lab: await startLab(DEVICES, { ...options, basePort }), basePort };
    } catch (e) {
      if (attempt >= 4 || (e as { code?: string }).code !== 'PORT_IN_USE') throw e;
    }
  }
}

/** Opens a session to a lab device, runs fn, closes. */
export async function withSession<T>(
  lab: Lab,
  hostname: string,
  profile: SnmpProfile,
  fn: (s: SnmpSession) => Promise<T>,
  options: SessionOptions = {},
): Promise<T> {
  const s = openSession(lab.targets.get(hostname)!, profile, { timeoutMs: 1000, ...options });
  try {
    return await fn(s);
  } finally {
    s.close();
  }
}

export const read = (lab: Lab, hostname: string, profile: SnmpProfile = V2C, o: SessionOptions = {}) =>
  withSession(lab, hostname, profile, (s) => readInterfaces(s), o);

/** The reading of one interface by name (ifIndex may renumber). */
export function byName(r: InterfacesReading, ifName: string): InterfaceReading {
  const found = [...r.interfaces.values()].find((i) => i.ifName === ifName);
  if (found === undefined) throw new Error(`no ${ifName} in ${[...r.interfaces.values()].map((i) => i.ifName).join(', ')}`);
  return found;
}

/** Mean rate in Mbps between two readings of an interface, given the clock step in ms. */
export const mbps = (a: InterfaceReading, b: InterfaceReading, ms: number) => (Number(b.inOctets - a.inOctets) * 8) / (ms / 1000) / 1e6;
