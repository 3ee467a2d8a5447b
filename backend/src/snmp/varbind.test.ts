import snmp from 'net-snmp';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asBigInt, asNumber, asText, counter64ToBigInt, decodeVarbind } from './varbind';

describe('counter64ToBigInt', () => {
  it.each([
    [[0x00], 0n],
    [[0x05], 5n],
    [[0x01, 0x00], 256n],
    [[0x7f, 0xff, 0xff, 0xff], 0x7fffffffn],
    [[0x00, 0x80, 0, 0, 0, 0, 0, 0, 0], 0x8000000000000000n], // 9 bytes: leading 0x00
    [[0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], 0xffffffffffffffffn],
    [[0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde], 0x123456789abcden],
  ])('decodes %j', (bytes, value) => {
    expect(counter64ToBigInt(Buffer.from(bytes))).toBe(value);
  });

  it('equals the byte-by-byte reading for every length 1…9 (word reads are only a shortcut)', () => {
    const byteByByte = (b: Uint8Array) => b.reduce((v, x) => (v << 8n) | BigInt(x), 0n) & 0xffff_ffff_ffff_ffffn;
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 9 }), (bytes) => {
        expect(counter64ToBigInt(Buffer.from(bytes))).toBe(byteByByte(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts a number from older net-snmp, refuses garbage', () => {
    expect(counter64ToBigInt(42)).toBe(42n);
    expect(() => counter64ToBigInt(Buffer.alloc(10))).toThrow(TypeError);
    expect(() => counter64ToBigInt('12')).toThrow(TypeError);
  });
});

describe('decodeVarbind', () => {
  const T = snmp.ObjectType;
  it.each([
    [T.Integer, 2, 'integer', 2],
    [T.Counter, 7, 'counter32', 7],
    [T.Gauge, 1000, 'gauge32', 1000],
    [T.TimeTicks, 12345, 'timeticks', 12345],
    [T.Counter64, Buffer.from([1, 0]), 'counter64', 256n],
    [T.OID, '1.3.6', 'oid', '1.3.6'],
    [T.EndOfMibView, null, 'end-of-mib-view', null],
  ])('type %i', (type, value, name, decoded) => {
    expect(decodeVarbind({ oid: '1.3', type, value })).toEqual({ oid: '1.3', type: name, value: decoded });
  });

  it('keeps octet strings as bytes; asText reads UTF-8', () => {
    const vb = decodeVarbind({ oid: '1.3', type: T.OctetString, value: Buffer.from('惠州-县', 'utf8') });
    expect(asText(vb)).toBe('惠州-县');
  });

  it('converts for readers, undefined on a type mismatch', () => {
    const counter = decodeVarbind({ oid: '1', type: T.Counter, value: 9 });
    const text = decodeVarbind({ oid: '1', type: T.OctetString, value: Buffer.from('x') });
    expect(asBigInt(counter)).toBe(9n);
    expect(asBigInt(text)).toBeUndefined();
    expect(asNumber(text)).toBeUndefined();
    expect(asText(counter)).toBeUndefined();
    expect(asNumber(decodeVarbind({ oid: '1', type: T.Counter64, value: Buffer.alloc(8, 0xff) }))).toBeUndefined();
  });

  it.each([
    ['text', 'ge-0/0/1', 'ge-0/0/1'],
    ['a number', 42, '42'],
    ['nothing', null, ''],
  ])('takes an octet string given as %s as the UTF-8 of its text', (_what, value, text) => {
    expect(asText(decodeVarbind({ oid: '1.3', type: T.OctetString, value }))).toBe(text);
  });

  it('refuses an octet string that is an object, instead of reading "[object Object]"', () => {
    expect(() => decodeVarbind({ oid: '1.3', type: T.OctetString, value: { length: 3 } })).toThrow(
      /octet-string at 1.3 is not a byte string/,
    );
  });

  it('refuses unknown types', () => {
    expect(() => decodeVarbind({ oid: '1', type: 99, value: 1 })).toThrow(/unknown SNMP type 99/);
  });
});
