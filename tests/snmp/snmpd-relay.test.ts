import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../backend/src/lab/rng';
import { readInterfaces } from '../../backend/src/snmp/ifmib';
import { openSession } from '../../backend/src/snmp/session';
import { startSnmpd, type Snmpd } from './snmpd';

/**
 * Debian's snmpd behind a small UDP relay on loopback that holds chosen replies
 * 0–2 s (seeded), like a router answering unevenly under load. Every reply of
 * a read must carry snmpd's own sysUpTime.0, and each row be timed by its reply.
 */
let snmpd: Snmpd;
let relay: { port: number; held: number[]; close(): void };

async function startRelay(target: { host: string; port: number }): Promise<typeof relay> {
  const rnd = seededRandom(13);
  const held: number[] = [];
  const front = dgram.createSocket('udp4');
  const back = dgram.createSocket('udp4');
  let client: dgram.RemoteInfo | undefined;
  front.on('message', (msg, rinfo) => {
    client = rinfo;
    back.send(msg, target.port, target.host);
  });
  back.on('message', (msg) => {
    const hold = rnd() < 0.5 ? 0 : Math.floor(rnd() * 2000);
    held.push(hold);
    const c = client;
    setTimeout(() => c && front.send(msg, c.port, c.address), hold).unref();
  });
  await Promise.all([new Promise<void>((r) => front.bind(0, '127.0.0.1', r)), new Promise<void>((r) => back.bind(0, '127.0.0.1', r))]);
  return {
    port: front.address().port,
    held,
    close() {
      front.close();
      back.close();
    },
  };
}

beforeAll(async () => {
  snmpd = await startSnmpd();
  relay = await startRelay(snmpd);
});
afterAll(async () => {
  relay?.close();
  await snmpd?.stop();
});

describe('snmpd with unevenly held replies', () => {
  // v2c only: the relay cannot tell a v3 session's discovery replies from the read's (v3 under uneven replies: uneven-replies.test.ts).
  it.each(['v2c'] as const)('%s: each reply carries sysUpTime.0 and each row is timed by its own reply', async (which) => {
    const profile = which === 'v2c' ? snmpd.v2c : snmpd.v3;
    // One row per request, so the rows of a read come in several replies; the timeout outlasts the longest hold.
    const s = openSession({ host: '127.0.0.1', port: relay.port }, profile, { timeoutMs: 2500, retries: 1, maxRepetitions: 1 });
    try {
      for (let k = 0; k < 3; k++) {
        const before = relay.held.length;
        const r = await readInterfaces(s, { maxRepetitions: 1 });
        // This read's replies are the last ones through the relay (a v3 session's first read also carries discovery).
        const held = relay.held.slice(Math.max(before, relay.held.length - r.replies));
        expect(r.replies).toBeGreaterThanOrEqual(3);
        const rows = [...r.interfaces.values()];
        expect(rows.length).toBeGreaterThanOrEqual(1);
        // Rows of different replies carry different agent times; a later row never an earlier time.
        const times = rows.map((i) => i.stamps.inOctets.uptimeCs);
        for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
        // One row per reply (max-repetitions 1): a held reply delays the next request, so the agent's
        // clock between the first and the last row covers the holds of the replies in between.
        const spanCs = Number(times.at(-1)! - times[0]!);
        const heldBetween = held.slice(0, rows.length - 1).reduce((a, b) => a + b, 0);
        expect(spanCs * 10).toBeGreaterThanOrEqual(heldBetween - 30);
        // Receipt time and agent time agree row by row within the hold of that reply.
        for (const i of rows) {
          const { at, uptimeCs } = i.stamps.inOctets;
          const offset = at - Number(uptimeCs - r.uptimeCs) * 10 - r.receivedAt;
          expect(offset).toBeGreaterThanOrEqual(-(held[0] ?? 0) - 50);
          expect(offset).toBeLessThanOrEqual(Math.max(...held, 0) + 100);
        }
      }
    } finally {
      s.close();
    }
  });
});
