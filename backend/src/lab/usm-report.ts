/**
 * USM error reports for the lab's agents. RFC 3414 §3.2 says an agent that
 * receives a reportable v3 message with a wrong digest (step 6) or one it
 * cannot decrypt (step 8) answers with a Report PDU carrying usmStatsWrongDigests
 * or usmStatsDecryptionErrors — Net-SNMP's snmpd does. net-snmp's agent only
 * drops such messages, so the poller would see a timeout where a real router
 * says "wrong password"; this module builds the report so the lab behaves like
 * the routers it stands for.
 *
 * The report is unauthenticated (noAuthNoPriv) and is matched by the manager
 * on msgID, the only thing of the request readable without the right keys.
 * Minimal BER (X.690) writer and reader: just the types a report needs.
 */

/** usmStats objects (RFC 3414 §5, under 1.3.6.1.6.3.15.1.1). */
export const USM_STATS = {
  unknownUserNames: '1.3.6.1.6.3.15.1.1.3.0',
  wrongDigests: '1.3.6.1.6.3.15.1.1.5.0',
  decryptionErrors: '1.3.6.1.6.3.15.1.1.6.0',
} as const;
export type UsmStat = keyof typeof USM_STATS;

/** The agent's engine as announced in discovery. */
export interface EngineParams {
  engineID: Buffer;
  engineBoots: number;
  engineTime: number;
}

const TAG = { integer: 0x02, octets: 0x04, oid: 0x06, sequence: 0x30, counter32: 0x41, report: 0xa8 } as const;
/** msgFlags bit: the sender wants a report on failure. */
const REPORTABLE = 0x04;

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const length = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, content]);
}

/** Non-negative integer, minimal two's complement (a leading 0 keeps the top bit clear). */
function uint(tag: number, value: number): Buffer {
  const bytes: number[] = [];
  let v = value;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  if ((bytes[0] as number) & 0x80) bytes.unshift(0);
  return tlv(tag, Buffer.from(bytes));
}

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes: number[] = [40 * first + second];
  for (const arc of rest) {
    const chunk: number[] = [arc & 0x7f];
    for (let v = arc >>> 7; v > 0; v >>>= 7) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(TAG.oid, Buffer.from(bytes));
}

const seq = (...parts: Buffer[]) => tlv(TAG.sequence, Buffer.concat(parts));
const octets = (b: Buffer | string) => tlv(TAG.octets, Buffer.isBuffer(b) ? b : Buffer.from(b));

/** Reads one TLV header at `at`: the tag, where its content starts and ends. Throws on truncation. */
function readTlv(buf: Buffer, at: number): { tag: number; start: number; end: number } {
  const tag = buf[at];
  let length = buf[at + 1];
  if (tag === undefined || length === undefined) throw new RangeError('truncated BER');
  let start = at + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || start + count > buf.length) throw new RangeError('bad BER length');
    length = buf.readUIntBE(start, count);
    start += count;
  }
  if (start + length > buf.length) throw new RangeError('truncated BER');
  return { tag, start, end: start + length };
}

function readUint(buf: Buffer, at: number): { value: number; next: number } {
  const t = readTlv(buf, at);
  if (t.tag !== TAG.integer || t.end - t.start > 6) throw new RangeError('expected INTEGER');
  return { value: t.end > t.start ? buf.readUIntBE(t.start, t.end - t.start) : 0, next: t.end };
}

/** msgID and msgFlags of an SNMPv3 message (RFC 3412 §6), or null when `message` is not v3. */
export function readV3Header(message: Buffer): { msgID: number; flags: number } | null {
  try {
    const outer = readTlv(message, 0);
    if (outer.tag !== TAG.sequence) return null;
    const version = readUint(message, outer.start);
    if (version.value !== 3) return null;
    const header = readTlv(message, version.next);
    if (header.tag !== TAG.sequence) return null;
    const msgID = readUint(message, header.start);
    const maxSize = readUint(message, msgID.next);
    const flags = readTlv(message, maxSize.next);
    if (flags.tag !== TAG.octets || flags.end === flags.start) return null;
    return { msgID: msgID.value, flags: message[flags.start] as number };
  } catch {
    return null;
  }
}

/**
 * The report answering `request`, or null when the request is not a
 * reportable v3 message (then the agent stays silent, as RFC 3414 says).
 *
 * @param count the usmStats counter value to report
 */
export function usmReport(request: Buffer, engine: EngineParams, stat: UsmStat, count: number): Buffer | null {
  const header = readV3Header(request);
  if (header === null || (header.flags & REPORTABLE) === 0) return null;
  const securityParameters = seq(
    octets(engine.engineID),
    uint(TAG.integer, engine.engineBoots),
    uint(TAG.integer, engine.engineTime),
    octets(''), // user name
    octets(''), // authentication parameters
    octets(''), // privacy parameters
  );
  const varbinds = seq(seq(oid(USM_STATS[stat]), uint(TAG.counter32, count >>> 0)));
  const pdu = tlv(TAG.report, Buffer.concat([uint(TAG.integer, header.msgID), uint(TAG.integer, 0), uint(TAG.integer, 0), varbinds]));
  return seq(
    uint(TAG.integer, 3),
    seq(uint(TAG.integer, header.msgID), uint(TAG.integer, 65507), octets(Buffer.from([0])), uint(TAG.integer, 3)),
    octets(securityParameters),
    seq(octets(engine.engineID), octets(''), pdu),
  );
}
