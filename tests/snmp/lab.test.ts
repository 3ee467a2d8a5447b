import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../backend/src/lab/lab';
import { startLab } from '../../backend/src/lab/lab';
import { byName, DEVICES, manualClock, mbps, read, startTestLab, T0, V2C, V3, withSession } from './lab-fixture';

/** The lab's simulated routers, read over real SNMP by the project's own client. */
const clock = manualClock();
let lab: Lab;
let basePort: number;

beforeAll(async () => {
  ({ lab, basePort } = await startTestLab({ clock: clock.now, seed: 11, counter32Only: ['old-32'], brokenBulk: ['no-bulk'] }));
});
afterAll(async () => {
  await lab?.stop();
});

const FIVE_MINUTES = 300_000;

describe('the lab', () => {
  it('runs one agent per managed device, on basePort + i, skipping unmanaged devices', () => {
    const managed = DEVICES.filter((d) => d.snmpProfile !== undefined).map((d) => d.hostname);
    expect([...lab.targets.keys()]).toEqual(managed);
    expect([...lab.targets.values()].map((t) => t.port)).toEqual(managed.map((_, i) => basePort + i));
    expect(lab.targets.has('isp-upstream')).toBe(false);
  });

  it('serves every interface over v2c with the plan names, 64-bit counters and the plan speeds', async () => {
    const r = await read(lab, 'hz-agg', V2C);
    const plan = DEVICES.find((d) => d.hostname === 'hz-agg')!.interfaces;
    expect([...r.interfaces.values()].map((i) => i.ifName)).toEqual(plan.map((i) => i.name));
    const short = new Map(lab.shortfalls.filter((s) => s.hostname === 'hz-agg').map((s) => [s.ifName, s.actualMbps]));
    for (const itf of plan) {
      const got = byName(r, itf.name);
      expect(got).toMatchObject({ counterWidth: 64, operStatus: 1, highSpeedMbps: short.get(itf.name) ?? itf.speedMbps });
      expect(got.inOctets).toBeGreaterThan(0n);
    }
    expect(r.uptimeCs).toBeGreaterThan(2n * 86_400n * 100n); // up for days
  });

  it('serves v3 authPriv (SHA/AES) with the same data', async () => {
    const [a, b] = [await read(lab, 'hz-core', V2C), await read(lab, 'hz-core', V3)];
    // Same clock instant, same values (and the same agent time per row; only local receipt times differ).
    const agentSide = (r: typeof a) =>
      [...r.interfaces].map(([k, i]) => [k, { ...i, stamps: Object.values(i.stamps).map((t) => t.uptimeCs) }]);
    expect(agentSide(b)).toEqual(agentSide(a));
  });

  it('shows the deliberate shortfalls: townships at 50 Mbps, a county link at 500 Mbps', async () => {
    expect(lab.shortfalls.map((s) => s.actualMbps).sort()).toEqual([50, 50, 50, 500]);
    for (const s of lab.shortfalls) {
      // short timeout: a shortfall may sit on the agent that never answers GETBULK
      const r = await read(lab, s.hostname, V2C, { timeoutMs: 200, retries: 0 });
      expect(byName(r, s.ifName).highSpeedMbps).toBe(s.actualMbps);
    }
  });

  it('counters grow between two reads, at a plausible share of the speed', async () => {
    const a = await read(lab, 'hz-core', V3);
    clock.advance(FIVE_MINUTES);
    const b = await read(lab, 'hz-core', V3);
    expect(b.uptimeCs - a.uptimeCs).toBe(30_000n); // 300 s in centiseconds
    for (const name of DEVICES[0]!.interfaces.map((i) => i.name)) {
      const rate = mbps(byName(a, name), byName(b, name), FIVE_MINUTES);
      expect(rate).toBeGreaterThan(50); // 10:00 on a Tuesday: the peak
      expect(rate).toBeLessThan(byName(b, name).highSpeedMbps);
      expect(byName(b, name).outOctets).toBeGreaterThan(byName(a, name).outOctets);
    }
  });

  it('link-down: ifOperStatus 2 and the counters stop; back up they grow again', async () => {
    const name = 'GigabitEthernet0/0/0';
    lab.setFault('twp-down', name, 'link-down', true);
    const a = await read(lab, 'twp-down');
    clock.advance(FIVE_MINUTES);
    const b = await read(lab, 'twp-down');
    expect(byName(a, name).operStatus).toBe(2);
    expect(byName(b, name).inOctets).toBe(byName(a, name).inOctets);
    expect(byName(b, 'GigabitEthernet0/0/1').inOctets).toBeGreaterThan(byName(a, 'GigabitEthernet0/0/1').inOctets);
    lab.setFault('twp-down', name, 'link-down', false);
    clock.advance(60_000);
    const c = await read(lab, 'twp-down');
    expect(byName(c, name).operStatus).toBe(1);
    expect(byName(c, name).inOctets).toBeGreaterThan(byName(b, name).inOctets);
  });

  it('speed-drop lowers ifHighSpeed', async () => {
    lab.setFault('twp-speed', undefined, 'speed-drop', true);
    const r = await read(lab, 'twp-speed', V3);
    expect([...r.interfaces.values()].map((i) => i.highSpeedMbps)).toEqual([10, 10]);
    lab.setFault('twp-speed', undefined, 'speed-drop', false);
  });

  it('counter-reset: uptime goes back, counters restart from 0, ifIndex renumbers (ifName does not)', async () => {
    const a = await read(lab, 'twp-reset');
    clock.advance(1000);
    lab.setFault('twp-reset', undefined, 'counter-reset', true);
    clock.advance(10_000);
    const b = await read(lab, 'twp-reset');
    expect(b.uptimeCs).toBe(1000n); // 10 s after the reboot
    expect(b.uptimeCs).toBeLessThan(a.uptimeCs);
    const name = 'GigabitEthernet0/0/0';
    expect(byName(b, name).inOctets).toBeLessThan(byName(a, name).inOctets);
    expect(byName(b, name).inOctets).toBeLessThan(100_000_000n); // 10 s of 100 Mbps at most
    const index = (r: typeof a) => [...r.interfaces].find(([, i]) => i.ifName === name)![0];
    expect(index(b)).not.toBe(index(a));
  });

  it('discontinuity: ifCounterDiscontinuityTime moves to the current uptime and the counters jump', async () => {
    const name = 'GigabitEthernet0/0/1';
    const a = await read(lab, 'twp-disc');
    lab.setFault('twp-disc', name, 'discontinuity', true);
    const b = await read(lab, 'twp-disc');
    expect(byName(a, name).discontinuityCs).toBe(0n);
    expect(byName(b, name).discontinuityCs).toBe(b.uptimeCs);
    expect(byName(b, name).inOctets - byName(a, name).inOctets).toBeGreaterThanOrEqual(1n << 36n);
    expect(byName(b, 'GigabitEthernet0/0/0').discontinuityCs).toBe(0n);
  });

  it('timeout: the agent stops answering and the client says timeout', async () => {
    lab.setFault('twp-silent', undefined, 'timeout', true);
    const started = Date.now();
    await expect(read(lab, 'twp-silent', V3, { timeoutMs: 150, retries: 1 })).rejects.toMatchObject({ kind: 'timeout' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250); // two attempts
    lab.setFault('twp-silent', undefined, 'timeout', false);
    expect((await read(lab, 'twp-silent', V3)).interfaces.size).toBe(2);
  });

  it('saturation: traffic at ~100 % of the speed', async () => {
    lab.setFault('twp-sat', 'GigabitEthernet0/0/0', 'saturation', true);
    const a = await read(lab, 'twp-sat');
    clock.advance(FIVE_MINUTES);
    const b = await read(lab, 'twp-sat');
    const rate = mbps(byName(a, 'GigabitEthernet0/0/0'), byName(b, 'GigabitEthernet0/0/0'), FIVE_MINUTES);
    expect(rate).toBeGreaterThan(96);
    expect(rate).toBeLessThanOrEqual(100);
    expect(byName(b, 'GigabitEthernet0/0/0').inDiscards).toBeGreaterThan(byName(a, 'GigabitEthernet0/0/0').inDiscards);
    lab.setFault('twp-sat', 'GigabitEthernet0/0/0', 'saturation', false);
  });

  it.each([
    ['a wrong auth password', { ...V3, authKey: 'wrong-password' }, 'wrongDigests'],
    ['a wrong priv password', { ...V3, privKey: 'wrong-password' }, 'decryptionErrors'],
    ['an unknown user', { ...V3, user: 'intruder' }, 'unknownUserNames'],
  ])('answers %s with a USM report: auth-failure', async (_, profile, reason) => {
    await expect(read(lab, 'hz-core', profile)).rejects.toMatchObject({ kind: 'auth-failure', reason });
  });

  it('stays silent to a wrong v2c community: timeout', async () => {
    await expect(read(lab, 'hz-core', { ...V2C, community: 'guess' }, { timeoutMs: 150, retries: 0 })).rejects.toMatchObject({
      kind: 'timeout',
    });
  });

  it('serves an old agent with 32-bit counters only: the reader falls back to ifIn/OutOctets and ifSpeed', async () => {
    const r = await read(lab, 'old-32');
    const short = new Map(lab.shortfalls.filter((s) => s.hostname === 'old-32').map((s) => [s.ifName, s.actualMbps]));
    expect(r.interfaces.size).toBe(3);
    for (const i of r.interfaces.values()) {
      expect(i).toMatchObject({ counterWidth: 32, highSpeedMbps: short.get(i.ifName) ?? 100 });
      expect(i.inOctets).toBeLessThan(1n << 32n);
    }
  });

  it('lists faults that are on, and rejects bad requests with codes', () => {
    lab.setFault('twp-down', undefined, 'saturation', true);
    expect(lab.faults()).toContainEqual({ hostname: 'twp-down', fault: 'saturation', since: clock.now() });
    lab.setFault('twp-down', undefined, 'saturation', false);
    expect(lab.faults().some((f) => f.hostname === 'twp-down' && f.fault === 'saturation')).toBe(false);
    expect(() => lab.setFault('nowhere', undefined, 'timeout', true)).toThrow(expect.objectContaining({ code: 'UNKNOWN_DEVICE' }));
    expect(() => lab.setFault('hz-core', 'Eth9', 'link-down', true)).toThrow(expect.objectContaining({ code: 'UNKNOWN_INTERFACE' }));
    expect(() => lab.setFault('hz-core', 'GigabitEthernet0/0/0', 'counter-reset', true)).toThrow(
      expect.objectContaining({ code: 'FAULT_SCOPE' }),
    );
  });

  it('counts what each agent answered', async () => {
    const before = lab.stats('hz-core');
    await withSession(lab, 'hz-core', V2C, (s) => s.get(['1.3.6.1.2.1.1.5.0']));
    expect(lab.stats('hz-core')).toMatchObject({ get: before.get + 1, answered: before.answered + 1 });
  });

  it('refuses a base port that is taken, leaving nothing listening', async () => {
    const squatter = dgram.createSocket('udp4');
    await new Promise<void>((r) => squatter.bind(0, '127.0.0.1', r));
    try {
      await expect(startLab(DEVICES.slice(0, 1), { basePort: squatter.address().port, clock: () => T0 })).rejects.toMatchObject({
        code: 'PORT_IN_USE',
      });
    } finally {
      squatter.close();
    }
  });
});
