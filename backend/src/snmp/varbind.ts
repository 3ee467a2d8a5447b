import snmp from 'net-snmp';

/** SNMP value types as this project names them (SNMPv2-SMI, RFC 2578). */
export type SnmpType =
  | 'integer'
  | 'octet-string'
  | 'oid'
  | 'ip-address'
  | 'counter32'
  | 'gauge32'
  | 'timeticks'
  | 'opaque'
  | 'counter64'
  | 'null'
  | 'no-such-object'
  | 'no-such-instance'
  | 'end-of-mib-view';

/**
 * One decoded varbind. `value` is:
 * - `number` for integer, counter32, gauge32, timeticks (timeticks in centiseconds);
 * - `bigint` for counter64 (exact; never a float);
 * - `Buffer` for octet-string and opaque (text or binary, the caller decides);
 * - `string` for oid and ip-address;
 * - `null` for null and the three exceptions.
 */
export interface Varbind {
  oid: string;
  type: SnmpType;
  value: number | bigint | Buffer | string | null;
}

const TYPE_NAMES = new Map<number, SnmpType>([
  [snmp.ObjectType.Integer, 'integer'],
  [snmp.ObjectType.OctetString, 'octet-string'],
  [snmp.ObjectType.OID, 'oid'],
  [snmp.ObjectType.IpAddress, 'ip-address'],
  [snmp.ObjectType.Counter, 'counter32'],
  [snmp.ObjectType.Gauge, 'gauge32'],
  [snmp.ObjectType.TimeTicks, 'timeticks'],
  [snmp.ObjectType.Opaque, 'opaque'],
  [snmp.ObjectType.Counter64, 'counter64'],
  [snmp.ObjectType.Null, 'null'],
  [snmp.ObjectType.NoSuchObject, 'no-such-object'],
  [snmp.ObjectType.NoSuchInstance, 'no-such-instance'],
  [snmp.ObjectType.EndOfMibView, 'end-of-mib-view'],
]);

/**
 * Decodes a Counter64 as net-snmp returns it: the raw BER content octets,
 * 1 to 9 bytes long (a 9th leading 0x00 keeps the top bit positive; small values
 * are short). A byte loop handles every length; `readBigUInt64BE` would not.
 * A number (older net-snmp) is accepted as is.
 *
 * @example counter64ToBigInt(Buffer.from([0x00, 0xff, 0, 0, 0, 0, 0, 0, 0x01])) // 0xff00000000000001n
 */
export function counter64ToBigInt(raw: unknown): bigint {
  if (typeof raw === 'number') {
    if (!Number.isSafeInteger(raw) || raw < 0) throw new TypeError(`not a Counter64 value: ${raw}`);
    return BigInt(raw);
  }
  if (typeof raw === 'bigint') return raw;
  if (!Buffer.isBuffer(raw) || raw.length === 0 || raw.length > 9) {
    throw new TypeError(`not a Counter64 value: ${Buffer.isBuffer(raw) ? `${raw.length} bytes` : typeof raw}`);
  }
  // Whole-word reads instead of a BigInt shift per byte: this runs for every counter of every poll.
  const n = raw.length;
  if (n <= 6) return BigInt(raw.readUIntBE(0, n));
  if (n === 7) return (BigInt(raw.readUIntBE(0, 3)) << 32n) | BigInt(raw.readUInt32BE(3));
  return raw.readBigUInt64BE(n - 8); // 9 bytes: the leading sign octet is not part of the value
}

/**
 * An octet string's bytes. net-snmp hands over a Buffer; any other scalar is taken as the UTF-8 of
 * its text and a missing value as no bytes. An object is not a byte string: undefined.
 */
function bytesOf(value: unknown): Buffer | undefined {
  if (Buffer.isBuffer(value)) return value;
  if (value === undefined || value === null) return Buffer.alloc(0);
  const scalar = typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean';
  return scalar ? Buffer.from(String(value)) : undefined;
}

/** Turns a net-snmp varbind into a {@link Varbind}; throws TypeError on a value that does not fit its type. */
export function decodeVarbind(vb: { oid: string; type: number; value: unknown }): Varbind {
  const type = TYPE_NAMES.get(vb.type);
  if (type === undefined) throw new TypeError(`unknown SNMP type ${vb.type} at ${vb.oid}`);
  switch (type) {
    case 'counter64':
      return { oid: vb.oid, type, value: counter64ToBigInt(vb.value) };
    case 'integer':
    case 'counter32':
    case 'gauge32':
    case 'timeticks':
      // An integer type with a fraction, NaN or ±Infinity is no SNMP value (and BigInt() of it throws RangeError).
      if (typeof vb.value !== 'number' || !Number.isSafeInteger(vb.value)) throw new TypeError(`${type} at ${vb.oid} is not an integer`);
      return { oid: vb.oid, type, value: vb.value };
    case 'octet-string':
    case 'opaque': {
      const bytes = bytesOf(vb.value);
      if (bytes === undefined) throw new TypeError(`${type} at ${vb.oid} is not a byte string`);
      return { oid: vb.oid, type, value: bytes };
    }
    case 'oid':
    case 'ip-address':
      return { oid: vb.oid, type, value: String(vb.value) };
    default:
      return { oid: vb.oid, type, value: null };
  }
}

/** True for the three SNMPv2 exception values (noSuchObject, noSuchInstance, endOfMibView). */
export function isException(vb: Varbind): boolean {
  return vb.type === 'no-such-object' || vb.type === 'no-such-instance' || vb.type === 'end-of-mib-view';
}

/** A counter, gauge or timeticks value as a BigInt; undefined for other types. */
export function asBigInt(vb: Varbind | undefined): bigint | undefined {
  if (vb === undefined) return undefined;
  if (typeof vb.value === 'bigint') return vb.value;
  if (vb.type === 'counter32' || vb.type === 'gauge32' || vb.type === 'timeticks' || vb.type === 'integer') {
    return BigInt(vb.value as number);
  }
  return undefined;
}

/** An integer-like value as a number; undefined for other types (Counter64 above 2^53 is refused). */
export function asNumber(vb: Varbind | undefined): number | undefined {
  if (vb === undefined) return undefined;
  if (typeof vb.value === 'number') return vb.value;
  if (typeof vb.value === 'bigint' && vb.value <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(vb.value);
  return undefined;
}

/** An octet string as UTF-8 text (IF-MIB DisplayString / SnmpAdminString); undefined for other types. */
export function asText(vb: Varbind | undefined): string | undefined {
  if (vb === undefined || !Buffer.isBuffer(vb.value)) return undefined;
  return vb.value.toString('utf8');
}
