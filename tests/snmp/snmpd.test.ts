import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInterfaces } from '../../backend/src/snmp/ifmib';
import type { SnmpProfile } from '../../backend/src/snmp/profiles';
import { openSession, type SessionOptions } from '../../backend/src/snmp/session';
import { startSnmpd, type Snmpd } from './snmpd';

/** The SNMP seam against Debian's Net-SNMP snmpd: an agent nobody here wrote. */
let snmpd: Snmpd;

beforeAll(async () => {
  snmpd = await startSnmpd();
});
afterAll(async () => {
  await snmpd?.stop();
});

async function withSession<T>(profile: SnmpProfile, fn: (s: ReturnType<typeof openSession>) => Promise<T>, o: SessionOptions = {}) {
  const s = openSession({ host: snmpd.host, port: snmpd.port }, profile, { timeoutMs: 1000, ...o });
  try {
    return await fn(s);
  } finally {
    s.close();
  }
}

describe('against snmpd', () => {
  it.each(['v2c', 'v3'] as const)('reads real interface counters over %s (lo has 64-bit counters)', async (which) => {
    const profile = which === 'v2c' ? snmpd.v2c : snmpd.v3;
    const [first, second] = await withSession(profile, async (s) => [await readInterfaces(s), await readInterfaces(s)]);
    const lo = [...(first?.interfaces.values() ?? [])].find((i) => i.ifName === 'lo');
    expect(lo, `interfaces: ${[...(first?.interfaces.values() ?? [])].map((i) => i.ifName).join(', ')}`).toBeDefined();
    expect(lo).toMatchObject({ counterWidth: 64, operStatus: 1 });
    expect(typeof lo?.inOctets).toBe('bigint');
    expect(first?.uptimeCs).toBeGreaterThanOrEqual(0n);
    // snmpd caches interface statistics for a few seconds: equal is fine here.
    const loAgain = [...(second?.interfaces.values() ?? [])].find((i) => i.ifName === 'lo');
    expect(loAgain!.inOctets).toBeGreaterThanOrEqual(lo!.inOctets);
    expect(second.uptimeCs).toBeGreaterThanOrEqual(first.uptimeCs);
  });

  it('sees lo counters grow once snmpd refreshes its statistics cache', async () => {
    const loIn = async () =>
      withSession(snmpd.v3, async (s) => [...(await readInterfaces(s)).interfaces.values()].find((i) => i.ifName === 'lo')!.inOctets);
    const before = await loIn();
    let after = before;
    for (let i = 0; i < 20 && after === before; i++) {
      await new Promise((r) => setTimeout(r, 500)); // polling over loopback is itself traffic on lo
      after = await loIn();
    }
    expect(after).toBeGreaterThan(before);
  });

  it('walks the same rows with GETNEXT as with GETBULK', async () => {
    const cols = ['1.3.6.1.2.1.2.2.1.2', '1.3.6.1.2.1.31.1.1.1.1', '1.3.6.1.2.1.2.2.1.8'];
    const bulk = await withSession(snmpd.v2c, (s) => s.bulkColumns(cols));
    const next = await withSession(snmpd.v2c, (s) => s.bulkColumns(cols), { bulk: 'never' });
    for (const c of cols) expect([...(next.get(c)?.keys() ?? [])]).toEqual([...(bulk.get(c)?.keys() ?? [])]);
    expect(bulk.get(cols[0]!)?.size).toBeGreaterThan(0);
  });

  it('classifies a wrong v3 password as auth-failure (snmpd reports usmStatsWrongDigests)', async () => {
    const wrong = { ...snmpd.v3, authKey: 'not-the-password' };
    await expect(withSession(wrong, (s) => s.get(['1.3.6.1.2.1.1.3.0']))).rejects.toMatchObject({
      kind: 'auth-failure',
      reason: 'wrongDigests',
    });
  });

  it('classifies an unknown v3 user as auth-failure', async () => {
    await expect(withSession({ ...snmpd.v3, user: 'nobody' }, (s) => s.get(['1.3.6.1.2.1.1.3.0']))).rejects.toMatchObject({
      kind: 'auth-failure',
      reason: 'unknownUserNames',
    });
  });

  it('times out on a wrong community (snmpd stays silent)', async () => {
    const wrong = { ...snmpd.v2c, community: 'wrong' };
    await expect(withSession(wrong, (s) => s.get(['1.3.6.1.2.1.1.3.0']), { timeoutMs: 200, retries: 0 })).rejects.toMatchObject({
      kind: 'timeout',
    });
  });

  it('reports an unimplemented object as no-such-object', async () => {
    await expect(withSession(snmpd.v2c, (s) => s.get(['1.3.6.1.4.1.99999.1.0']))).rejects.toMatchObject({ kind: 'no-such-object' });
  });
});
