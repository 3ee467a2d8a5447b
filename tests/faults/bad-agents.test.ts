import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../backend/src/lab/lab';
import { newDeviceRuntime, pollDevice, type DeviceRuntime } from '../../backend/src/poller/poll-device';
import type { SnmpProfile } from '../../backend/src/snmp/profiles';
import { DEVICES, manualClock, startTestLab, V2C, V3 } from '../snmp/lab-fixture';

/**
 * Agents that misbehave, between the poller and a lab router: a raw UDP relay
 * that passes each request to the agent and mangles the reply — random bytes,
 * the reply cut short, another request id, the reply sent from another port, an
 * oversized datagram, every other request left unanswered. The poll's status is
 * what happened, the process does not crash, and no rate comes from a reply
 * that was not the agent's.
 */
type Mode = 'pass' | 'garbage' | 'truncated' | 'wrong-id' | 'other-port' | 'other-address' | 'oversized' | 'every-other';

const clock = manualClock();
let lab: Lab;
let front: dgram.Socket;
let other: dgram.Socket;
/** Same port as `front`, another loopback address (127.0.0.2). */
let elsewhere: dgram.Socket;
let mode: Mode = 'pass';
let seen = 0;
const device = DEVICES[0]!;

/** The offset of the PDU's request-id value in an SNMPv1/v2c message (SEQ{version, community, PDU{request-id, …}}). */
function requestIdAt(msg: Buffer): { at: number; length: number } {
  let i = 0;
  const header = () => {
    i++; // tag
    let len = msg[i++]!;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = msg.readUIntBE(i, n);
      i += n;
    }
    return len;
  };
  header(); // message SEQUENCE
  // Skip the value after its header (not `i += header()`: that would add to the offset read before the header).
  const skip = () => {
    const n = header();
    i += n;
  };
  skip(); // version
  skip(); // community
  header(); // PDU
  const length = header(); // request-id INTEGER
  return { at: i, length };
}

beforeAll(async () => {
  ({ lab } = await startTestLab({ clock: clock.now, shortfalls: [] }));
  const agent = lab.targets.get(device.hostname)!;
  front = dgram.createSocket('udp4');
  other = dgram.createSocket('udp4');
  await new Promise<void>((r) => front.bind(0, '127.0.0.1', () => r()));
  await new Promise<void>((r) => other.bind(0, '127.0.0.1', () => r()));
  elsewhere = dgram.createSocket('udp4');
  await new Promise<void>((r) => elsewhere.bind(front.address().port, '127.0.0.2', () => r()));
  front.on('message', (req, client) => {
    if (mode === 'every-other' && seen++ % 2 === 1) return;
    const back = dgram.createSocket('udp4');
    back.on('message', (reply) => {
      back.close();
      const send = (b: Buffer, from = front) => from.send(b, client.port, client.address);
      if (mode === 'garbage') send(Buffer.from(Array.from({ length: reply.length }, (_, i) => (i * 131 + 7) & 0xff)));
      else if (mode === 'truncated') send(reply.subarray(0, Math.floor(reply.length / 2)));
      else if (mode === 'wrong-id') {
        const { at, length } = requestIdAt(reply);
        const mangled = Buffer.from(reply);
        mangled[at + length - 1] = mangled[at + length - 1]! ^ 0x5a;
        send(mangled);
      } else if (mode === 'other-port') send(reply, other);
      else if (mode === 'other-address') send(reply, elsewhere);
      else if (mode === 'oversized') send(Buffer.concat([reply, Buffer.alloc(60_000, 0x41)]));
      else send(reply);
    });
    back.send(req, agent.port, agent.host);
  });
});
afterAll(async () => {
  front?.close();
  other?.close();
  elsewhere?.close();
  await lab?.stop();
});

const runtime = (): DeviceRuntime => newDeviceRuntime(device, 60_000);
const poll = (rt: DeviceRuntime, retries = 0, profile: SnmpProfile = V2C) =>
  pollDevice(rt, {
    clock: clock.now,
    target: { host: '127.0.0.1', port: (front.address() as { port: number }).port },
    profile,
    session: { timeoutMs: 400, retries },
    maxGapMs: 180_000,
  });

describe('agents that misbehave', () => {
  it('through the relay unchanged, a device polls ok and gives rates on the second poll', async () => {
    mode = 'pass';
    const rt = runtime();
    expect((await poll(rt)).status).toBe('ok');
    clock.advance(60_000);
    const r = await poll(rt);
    expect(r.status).toBe('ok');
    expect(r.interfaces.some((i) => i.inBps !== undefined)).toBe(true);
    rt.session?.session.close();
  });

  /**
   * One good poll, one through the mangling relay (not ok — `status` when given — and no rate), one good
   * again (ok, rates within the interface's speed).
   */
  const badReply = async (m: Mode, status?: string, profile: SnmpProfile = V2C) => {
    mode = 'pass';
    const rt = runtime();
    expect((await poll(rt, 0, profile)).status).toBe('ok');
    mode = m;
    clock.advance(60_000);
    const bad = await poll(rt, 0, profile);
    if (status === undefined) expect(bad.status).not.toBe('ok');
    else expect(bad.status).toBe(status);
    expect(bad.interfaces.filter((i) => i.inBps !== undefined)).toEqual([]);
    mode = 'pass';
    clock.advance(60_000);
    const good = await poll(rt, 0, profile);
    expect(good.status).toBe('ok');
    for (const i of good.interfaces) if (i.inBps !== undefined) expect(i.inBps).toBeLessThanOrEqual(i.ifHighSpeedMbps * 1e6 * 1.01);
    rt.session?.session.close();
  };

  it('a reply of random bytes: the poll is a timeout, no rate; the next good poll is ok with plausible rates', () => badReply('garbage'));
  it('a reply cut short: the same', () => badReply('truncated'));

  it('a reply with another request id is ignored: the poll times out, no rate; the next good poll is ok', () =>
    badReply('wrong-id', 'timeout'));

  // net-snmp's session socket is unconnected and matches a reply by request id alone: the session's
  // socket (snmp/target-socket.ts) drops every datagram not from the agent's address and port first.
  it('a reply from another source port is not taken: the poll times out, no rate', () => badReply('other-port', 'timeout'));
  it('a reply from another source address (same port) is not taken: the same', () => badReply('other-address', 'timeout'));
  it('SNMPv3 (engine discovery first) through the relay: ok; a reply from another port is not taken', async () => {
    mode = 'pass';
    const rt = runtime();
    expect((await poll(rt, 0, V3)).status).toBe('ok');
    rt.session?.session.close();
    await badReply('other-port', 'timeout', V3);
  });

  it('the dropped datagrams are counted by the session', async () => {
    mode = 'pass';
    const rt = runtime();
    expect((await poll(rt)).status).toBe('ok');
    const session = rt.session!.session;
    expect(session.stats().stray).toBe(0);
    mode = 'other-port';
    clock.advance(60_000);
    await session.get(['1.3.6.1.2.1.1.3.0']).catch(() => undefined);
    expect(session.stats().stray).toBeGreaterThanOrEqual(1);
    session.close();
  });

  it("an oversized datagram (the agent's reply followed by 60 KB): the BER message is read, the rest ignored — ok, plausible rates", async () => {
    mode = 'oversized';
    const rt = runtime();
    expect((await poll(rt)).status).toBe('ok');
    clock.advance(60_000);
    const r = await poll(rt);
    expect(r.status).toBe('ok');
    expect(r.interfaces.some((i) => i.inBps !== undefined)).toBe(true);
    for (const i of r.interfaces) if (i.inBps !== undefined) expect(i.inBps).toBeLessThanOrEqual(i.ifHighSpeedMbps * 1e6 * 1.01);
    rt.session?.session.close();
  });

  it('an agent that answers every other request: with one retry every poll is ok and every rate plausible', async () => {
    mode = 'every-other';
    seen = 0;
    const rt = runtime();
    for (let k = 0; k < 4; k++) {
      const r = await poll(rt, 1);
      expect(r.status).toBe('ok');
      for (const i of r.interfaces) if (i.inBps !== undefined) expect(i.inBps).toBeLessThanOrEqual(i.ifHighSpeedMbps * 1e6 * 1.01);
      clock.advance(60_000);
    }
    rt.session?.session.close();
  });
});
