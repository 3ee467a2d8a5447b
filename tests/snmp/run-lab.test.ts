import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runLab } from '../../backend/src/lab/main';
import { DEVICES, read, T0, V3 } from './lab-fixture';

/** `extranet lab` as the CLI calls it: a target table on stdout, commands on stdin, stop on abort. */
describe('runLab', () => {
  it('prints targets without secrets, switches faults by command, stops on abort', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    const control = new PassThrough();
    const abort = new AbortController();
    const { lab, done } = await runLab({ devices: DEVICES, basePort: 0, clock: () => T0, out, control, signal: abort.signal, env: {} });

    expect(text).toMatch(/lab: 10 agents/);
    expect(text).toMatch(/hz-agg\s+127\.0\.0\.1:\d+/);
    expect(text).toMatch(/below plan: \S+ \S+ 50 Mbps \(plan 100, county-township\)/);
    expect(text).not.toMatch(/lab-auth-pass|lab-priv-pass|lab-public/);

    const said = async (command: string, expected: RegExp) => {
      control.write(`${command}\n`);
      await expect.poll(() => text).toMatch(expected);
    };
    await said('fault twp-down link-down on GigabitEthernet0/0/1', /ok: twp-down GigabitEthernet0\/0\/1 link-down on/);
    const r = await read(lab, 'twp-down', V3);
    expect([...r.interfaces.values()].map((i) => i.operStatus)).toEqual([1, 2]);
    await said('fault twp-down melt on', /error: UNKNOWN_FAULT: unknown fault "melt"; allowed: link-down/);
    await said('fault nowhere timeout on', /error: UNKNOWN_DEVICE/);
    await said('faults', /twp-down GigabitEthernet0\/0\/1 link-down since 2025-03-04T02:00:00\.000Z/);

    abort.abort();
    await done;
    await expect(read(lab, 'twp-down', V3, { timeoutMs: 100, retries: 0 })).rejects.toMatchObject({ kind: 'timeout' });
  });

  it('serves the profiles configured in the environment, like the poller reads them', async () => {
    const env = { SNMP_PROFILE_HZ_VERSION: '2c', SNMP_PROFILE_HZ_COMMUNITY: 'from-env-community' };
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    const abort = new AbortController();
    const { lab, done } = await runLab({ devices: DEVICES.slice(0, 1), basePort: 0, out, signal: abort.signal, env });
    try {
      expect(text).toMatch(/"name":"hz","version":"2c","community":"\[redacted\]"/);
      const r = await read(lab, 'hz-core', { name: 'hz', version: '2c', community: 'from-env-community' });
      expect(r.interfaces.size).toBe(4);
    } finally {
      abort.abort();
      await done;
    }
  });
});
