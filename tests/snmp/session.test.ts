import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../backend/src/lab/lab';
import { IF_MIB } from '../../backend/src/snmp/ifmib';
import { openSession } from '../../backend/src/snmp/session';
import { manualClock, read, startTestLab, V2C, V3, withSession } from './lab-fixture';

/** The session's table walking and failure handling, against the lab's real agents. */
const clock = manualClock();
let lab: Lab;

beforeAll(async () => {
  ({ lab } = await startTestLab({ clock: clock.now, brokenBulk: ['no-bulk'] }));
});
afterAll(async () => {
  await lab?.stop();
});

const COLUMNS = [IF_MIB.ifDescr, IF_MIB.ifOperStatus, IF_MIB.ifName, IF_MIB.ifHCInOctets, IF_MIB.ifHighSpeed, IF_MIB.ifAlias];
const summary = (rows: Map<string, Map<string, { value: unknown }>>) =>
  [...rows].map(([col, r]) => [col, [...r].map(([index, vb]) => [index, String(vb.value)])]);

describe('bulkColumns', () => {
  it('returns every row of every column although the agent caps each response (net-snmp: total varbinds ≤ max-repetitions)', async () => {
    const { rows, stats } = await withSession(lab, 'hz-agg', V3, async (s) => ({
      rows: await s.bulkColumns(COLUMNS, { maxRepetitions: 20 }),
      stats: s.stats(),
    }));
    for (const c of COLUMNS) expect(rows.get(c)?.size, c).toBe(48);
    // 6 columns × 48 rows = 288 varbinds, at most 20 per response: short responses were continued.
    expect(stats.bulkRequests).toBeGreaterThanOrEqual(Math.ceil(288 / 20));
    expect(stats.nextRequests).toBe(0);
    expect([...(rows.get(IF_MIB.ifName)?.keys() ?? [])]).toEqual(Array.from({ length: 48 }, (_, i) => String(i + 1)));
  });

  it('walks the same rows with GETNEXT when told to (bulk: "never")', async () => {
    const bulk = await withSession(lab, 'hz-agg', V2C, (s) => s.bulkColumns(COLUMNS));
    const { rows, stats } = await withSession(lab, 'hz-agg', V2C, async (s) => ({ rows: await s.bulkColumns(COLUMNS), stats: s.stats() }), {
      bulk: 'never',
    });
    expect(summary(rows)).toEqual(summary(bulk)); // the manual clock stands still: identical values
    expect(stats).toMatchObject({ bulkRequests: 0, bulk: false });
    expect(stats.nextRequests).toBe(49); // one per row, plus the one that leaves the table
  });

  it('falls back to GETNEXT by itself when an agent never answers GETBULK', async () => {
    const { reading, stats } = await withSession(
      lab,
      'no-bulk',
      V2C,
      async (s) => {
        await s.get(['1.3.6.1.2.1.1.3.0']); // the agent is alive
        return { reading: await s.bulkColumns([IF_MIB.ifName, IF_MIB.ifHCInOctets]), stats: s.stats() };
      },
      { timeoutMs: 150, retries: 0 },
    );
    expect(reading.get(IF_MIB.ifName)?.size).toBe(12);
    expect(stats).toMatchObject({ bulk: false, bulkRequests: 2, maxRepetitions: 6 }); // 25 → 12 → 6 on the two timeouts
    expect(stats.nextRequests).toBeGreaterThan(12);
    expect(lab.stats('no-bulk').getBulk).toBeGreaterThanOrEqual(2);
  });

  it('reads a whole device through the fallback', async () => {
    const r = await read(lab, 'no-bulk', V3, { timeoutMs: 150, retries: 0 });
    expect(r.interfaces.size).toBe(12);
  });

  it('returns an empty column for an OID the agent does not have', async () => {
    const rows = await withSession(lab, 'hz-core', V2C, (s) => s.bulkColumns(['1.3.6.1.2.1.4.20.1.1', IF_MIB.ifName]));
    expect(rows.get('1.3.6.1.2.1.4.20.1.1')?.size).toBe(0);
    expect(rows.get(IF_MIB.ifName)?.size).toBe(4);
  });

  it('ends at endOfMibView without error', async () => {
    const rows = await withSession(lab, 'hz-core', V2C, (s) => s.bulkColumns(['1.3.6.1.2.1.31.1.1.1.19']));
    expect(rows.get('1.3.6.1.2.1.31.1.1.1.19')?.size).toBe(4); // the last column of the agent's MIB
  });
});

describe('failures are classified, never thrown raw', () => {
  it('a malformed response is counted and dropped, the request times out, the process lives', async () => {
    const liar = dgram.createSocket('udp4');
    liar.on('message', (_msg, rinfo) => liar.send(Buffer.from([0x30, 0x03, 0xff, 0xff, 0xff]), rinfo.port, rinfo.address));
    await new Promise<void>((r) => liar.bind(0, '127.0.0.1', r));
    const s = openSession({ host: '127.0.0.1', port: liar.address().port }, V2C, { timeoutMs: 200, retries: 1 });
    try {
      await expect(s.get(['1.3.6.1.2.1.1.3.0'])).rejects.toMatchObject({ kind: 'timeout' });
      expect(s.stats().malformed).toBe(2); // the request and its retry were each answered with garbage
    } finally {
      s.close();
      liar.close();
    }
  });

  it('a name that does not resolve is unreachable', async () => {
    const s = openSession({ host: 'no-such-router.invalid', port: 161 }, V2C, { timeoutMs: 200, retries: 0 });
    await expect(s.get(['1.3.6.1.2.1.1.3.0'])).rejects.toMatchObject({ kind: 'unreachable' });
    s.close();
  });

  it('a missing scalar is no-such-object', async () => {
    await expect(withSession(lab, 'hz-core', V3, (s) => s.get(['1.3.6.1.2.1.1.9.0']))).rejects.toMatchObject({
      kind: 'no-such-object',
      reason: 'no-such-object',
    });
  });

  it('a closed session refuses work', async () => {
    const s = openSession(lab.targets.get('hz-core')!, V2C);
    s.close();
    s.close(); // idempotent
    await expect(s.get(['1.3.6.1.2.1.1.3.0'])).rejects.toMatchObject({ kind: 'protocol' });
  });
});
