import type { Device } from '@extranet/topology';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../backend/src/lab/lab';
import { newDeviceRuntime, pollDevice, type DeviceRuntime, type PollContext } from '../../backend/src/poller/poll-device';
import { readInterfaces, SYS_UPTIME } from '../../backend/src/snmp/ifmib';
import { openSession } from '../../backend/src/snmp/session';
import { manualClock, V2C } from './lab-fixture';
import { startSnmpd, type Snmpd } from './snmpd';

/**
 * What one poll reads: sysUpTime rides in the first GETBULK (no separate GET),
 * and ifDescr/ifAlias are read only when ifName does not resolve the plan's
 * names — against the lab's agents and Debian's snmpd.
 */
const clock = manualClock();
let lab: Lab;
let snmpd: Snmpd;

const ports = (n: number, described: boolean): Device['interfaces'] =>
  Array.from({ length: n }, (_, i) => ({
    name: `GigabitEthernet0/0/${i}`,
    speedMbps: 1000,
    ...(described && { description: `to-town-${i}` }),
  }));
const device = (hostname: string, interfaces: Device['interfaces']): Device => ({
  hostname,
  site: hostname,
  role: 'access',
  snmpProfile: 'lab-v2c',
  mgmtAddress: '10.44.0.9',
  interfaces,
});
/** Both agents serve 8 ports named GigabitEthernet0/0/i; `aliased` also has ifAlias to-town-i. */
const AGENTS = [device('named', ports(8, false)), device('aliased', ports(8, true))];

beforeAll(async () => {
  for (let attempt = 0; lab === undefined; attempt++) {
    try {
      lab = await startLab(AGENTS, { basePort: 20_000 + Math.floor(Math.random() * 30_000), clock: clock.now, shortfalls: [] });
    } catch (e) {
      if (attempt >= 4) throw e;
    }
  }
  snmpd = await startSnmpd();
});
afterAll(async () => {
  await lab?.stop();
  await snmpd?.stop();
});

/** A runtime for a plan device whose interfaces carry the given names. */
function runtime(hostname: string, names: string[]): DeviceRuntime {
  return newDeviceRuntime({ ...device(hostname, []), interfaces: names.map((name) => ({ name, speedMbps: 1000 })) }, 60_000);
}
const context = (hostname: string): PollContext => ({
  clock: clock.now,
  target: lab.targets.get(hostname),
  profile: V2C,
  session: { timeoutMs: 1000, retries: 0 },
  maxGapMs: 180_000,
});
const GI = Array.from({ length: 8 }, (_, i) => `GigabitEthernet0/0/${i}`);
const TOWNS = Array.from({ length: 8 }, (_, i) => `to-town-${i}`);

describe('one poll of a device', () => {
  it('resolves plan names by ifName without reading ifDescr or ifAlias, and sends no separate GET for sysUpTime', async () => {
    const rt = runtime('named', GI);
    try {
      const r = await pollDevice(rt, context('named'));
      expect(r.status).toBe('ok');
      expect(r.interfaces.map((i) => [i.ifName, i.matchedBy])).toEqual(GI.map((n) => [n, 'ifName']));
      expect(rt.needsAllNames).toBe(false);
      expect(rt.session?.session.stats()).toMatchObject({ getRequests: 0, nextRequests: 0 });
      expect(lab.stats('named')).toMatchObject({ get: 0, getNext: 0 });
      expect(lab.stats('named').getBulk).toBe(r.requests);
    } finally {
      rt.session?.session.close();
    }
  });

  it('falls back to ifAlias in the same poll when ifName does not resolve the names, and reads it up front from then on', async () => {
    const rt = runtime('aliased', TOWNS);
    const named = runtime('named', GI);
    try {
      const first = await pollDevice(rt, context('aliased'));
      expect(first.status).toBe('ok');
      expect(first.interfaces.map((i) => [i.ifName, i.matchedBy, i.ifIndex])).toEqual(TOWNS.map((n, i) => [n, 'ifAlias', i + 1]));
      expect(rt.needsAllNames).toBe(true);
      clock.advance(60_000);
      const second = await pollDevice(rt, context('aliased'));
      expect(second.status).toBe('ok');
      expect(second.interfaces.every((i) => i.matchedBy === 'ifAlias' && i.inBps !== undefined)).toBe(true);
      expect(rt.needsAllNames).toBe(true);
      // The same agent layout read by ifName alone moves fewer varbinds than with the two name columns.
      const plain = await pollDevice(named, context('named'));
      expect(plain.varbinds).toBeLessThan(second.varbinds);
    } finally {
      rt.session?.session.close();
      named.session?.session.close();
    }
  });

  it('reports a plan name that no column knows as no-such-interface, after reading all three', async () => {
    const rt = runtime('named', [...GI.slice(0, 2), 'Eth-Trunk9']);
    try {
      const r = await pollDevice(rt, context('named'));
      expect(r.status).toBe('no-such-interface');
      expect(r.error?.message).toContain('Eth-Trunk9 (missing)');
      expect(rt.needsAllNames).toBe(true);
      expect(r.interfaces.map((i) => i.ifName)).toEqual(GI.slice(0, 2));
    } finally {
      rt.session?.session.close();
    }
  });
});

describe('against snmpd', () => {
  it('reads the name columns in the one walk when asked to (allNames), with the same interfaces', async () => {
    const s = openSession({ host: snmpd.host, port: snmpd.port }, snmpd.v2c, { timeoutMs: 1000 });
    try {
      const lazy = await readInterfaces(s, { wanted: ['lo'] });
      const all = await readInterfaces(s, { wanted: ['lo'], allNames: true });
      expect(all).toMatchObject({ namesRead: true, needsAllNames: false });
      expect([...all.interfaces.keys()]).toEqual([...lazy.interfaces.keys()]);
      expect([...all.interfaces.values()].map((i) => i.ifName)).toEqual([...lazy.interfaces.values()].map((i) => i.ifName));
    } finally {
      s.close();
    }
  });

  it('takes sysUpTime from the first GETBULK (non-repeater): the same clock a GET reads, no GET sent', async () => {
    const s = openSession({ host: snmpd.host, port: snmpd.port }, snmpd.v2c, { timeoutMs: 1000 });
    try {
      const reading = await readInterfaces(s, { wanted: ['lo'] });
      const afterBulk = s.stats();
      const [up] = await s.get([SYS_UPTIME]);
      expect(afterBulk).toMatchObject({ getRequests: 0, nextRequests: 0 });
      expect(reading.namesRead).toBe(false);
      expect(reading.needsAllNames).toBe(false);
      expect([...reading.interfaces.values()].find((i) => i.ifName === 'lo')).toMatchObject({ ifDescr: '', ifAlias: '', counterWidth: 64 });
      const later = BigInt(up!.value as number);
      expect(later).toBeGreaterThanOrEqual(reading.uptimeCs);
      expect(later - reading.uptimeCs).toBeLessThan(100n); // read within a second of each other
    } finally {
      s.close();
    }
  });

  it('reads ifDescr and ifAlias when a wanted name is not an ifName', async () => {
    const s = openSession({ host: snmpd.host, port: snmpd.port }, snmpd.v2c, { timeoutMs: 1000 });
    try {
      const reading = await readInterfaces(s, { wanted: ['lo', 'no-such-port'] });
      expect(reading).toMatchObject({ namesRead: true, needsAllNames: true });
      expect([...reading.interfaces.values()].find((i) => i.ifName === 'lo')?.ifDescr).not.toBe('');
    } finally {
      s.close();
    }
  });
});
