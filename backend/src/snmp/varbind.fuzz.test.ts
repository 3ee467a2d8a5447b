import fc from 'fast-check';
import snmp from 'net-snmp';
import { describe, expect, it } from 'vitest';
import { asBigInt, asNumber, asText, decodeVarbind } from './varbind';

/**
 * Fuzzing the varbind decoder: whatever type number and value a reply carries
 * (random bytes, numbers, objects), it decodes or throws TypeError — the one
 * error the poller turns into a device error — and the readers of the result
 * never throw.
 */
const knownTypes = Object.values(snmp.ObjectType as Record<string, number>).filter((v) => typeof v === 'number');
const type = fc.oneof(fc.constantFrom(...knownTypes), fc.integer({ min: -1, max: 300 }));
const value = fc.oneof(
  fc.uint8Array({ maxLength: 24 }).map((b) => Buffer.from(b)),
  fc.integer(),
  fc.double(),
  fc.bigInt(),
  fc.string(),
  fc.constant(null),
  fc.constant(undefined),
  fc.anything(),
);

describe('decodeVarbind under random input', () => {
  it('decodes or throws TypeError; the decoded value is read without throwing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), type, value, (oid, t, v) => {
        let vb;
        try {
          vb = decodeVarbind({ oid, type: t, value: v });
        } catch (e) {
          expect(e).toBeInstanceOf(TypeError);
          return;
        }
        expect(vb.oid).toBe(oid);
        asBigInt(vb);
        asNumber(vb);
        asText(vb);
      }),
      { numRuns: 2000 },
    );
  });

  // Found by the property above: an Integer32 carrying -5e-324 decoded, then asBigInt threw RangeError.
  it('regression: an integer-typed value with a fraction, NaN or Infinity is a TypeError, not a RangeError later', () => {
    for (const v of [-5e-324, 0.5, Number.NaN, Infinity, 2 ** 64]) {
      for (const t of [snmp.ObjectType.Integer, snmp.ObjectType.Counter, snmp.ObjectType.Gauge, snmp.ObjectType.TimeTicks]) {
        expect(() => decodeVarbind({ oid: '1.3.6.1.2.1.2.2.1.5.1', type: t, value: v })).toThrow(TypeError);
      }
    }
  });

  // Found by the property above: a Counter64 handed over as the number 5e-324 threw RangeError.
  it('regression: a Counter64 given as a fraction, a negative or an unsafe number is a TypeError', () => {
    for (const v of [5e-324, -1, 2 ** 60, Number.NaN]) {
      expect(() => decodeVarbind({ oid: '1.3.6.1.2.1.31.1.1.1.6.1', type: snmp.ObjectType.Counter64, value: v })).toThrow(TypeError);
    }
  });

  it('a Counter64 of random bytes (1–9) decodes to the big-endian value, never negative', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 9 }), (bytes) => {
        const vb = decodeVarbind({ oid: '1.3', type: snmp.ObjectType.Counter64, value: Buffer.from(bytes) });
        const last8 = bytes.slice(-8);
        const expected = last8.reduce((n, b) => (n << 8n) | BigInt(b), 0n);
        expect(vb.value).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});
