import { describe, expect, it } from 'vitest';
import { readV3Header, usmReport } from './usm-report';

/** A v3 message header as a manager sends it: version 3, msgID, maxSize, flags, model 3. */
function v3Message(msgID: number, flags: number): Buffer {
  const header = Buffer.from([
    0x30,
    0x0f,
    0x02,
    0x02,
    msgID >> 8,
    msgID & 0xff,
    0x02,
    0x03,
    0x00,
    0xff,
    0xe3,
    0x04,
    0x01,
    flags,
    0x02,
    0x01,
    0x03,
  ]);
  const body = Buffer.concat([Buffer.from([0x02, 0x01, 0x03]), header]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

const engine = { engineID: Buffer.from('8000b98380aabbccdd', 'hex'), engineBoots: 0, engineTime: 10 };

describe('readV3Header', () => {
  it('reads msgID and flags', () => {
    expect(readV3Header(v3Message(0x1234, 0x07))).toEqual({ msgID: 0x1234, flags: 0x07 });
  });

  it('returns null for v2c, truncated or garbage input', () => {
    expect(readV3Header(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01]))).toBeNull();
    expect(readV3Header(v3Message(1, 7).subarray(0, 9))).toBeNull();
    expect(readV3Header(Buffer.from('not snmp'))).toBeNull();
  });
});

describe('usmReport', () => {
  it('answers a reportable request with a report echoing its msgID and the usmStats OID', () => {
    const report = usmReport(v3Message(0x0102, 0x07), engine, 'wrongDigests', 1) as Buffer;
    expect(readV3Header(report)).toEqual({ msgID: 0x0102, flags: 0 });
    // usmStatsWrongDigests.0 = 1.3.6.1.6.3.15.1.1.5.0
    expect(report.includes(Buffer.from([0x06, 0x0a, 0x2b, 0x06, 0x01, 0x06, 0x03, 0x0f, 0x01, 0x01, 0x05, 0x00]))).toBe(true);
    expect(report.includes(engine.engineID)).toBe(true);
  });

  it('stays silent for a non-reportable request', () => {
    expect(usmReport(v3Message(5, 0x03), engine, 'wrongDigests', 1)).toBeNull();
  });
});
