/**
 * Numeric OID helpers. OIDs are dotted decimal strings without a leading dot
 * (`1.3.6.1.2.1.1.3.0`), as net-snmp reads and writes them.
 */

/** Splits a dotted OID into its arcs. */
export function oidArcs(oid: string): number[] {
  return oid.split('.').map(Number);
}

/**
 * Lexicographic order of OIDs (RFC 3416 ordering): negative when `a` comes
 * before `b`, 0 when equal, positive after.
 *
 * @example compareOids('1.3.6.1.2', '1.3.6.1.10') < 0 // arc-wise, not string-wise
 */
export function compareOids(a: string, b: string): number {
  const x = oidArcs(a);
  const y = oidArcs(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const d = (x[i] as number) - (y[i] as number);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/**
 * True when `oid` lies strictly below `root` (an instance of the column `root`).
 *
 * @example isUnder('1.3.6.1.2.1.31.1.1.1.1', '1.3.6.1.2.1.31.1.1.1.1.5') // true
 * @example isUnder('1.3.6.1.2.1.31.1.1.1.1', '1.3.6.1.2.1.31.1.1.1.10.5') // false
 */
export function isUnder(root: string, oid: string): boolean {
  return oid.length > root.length + 1 && oid.startsWith(root) && oid.charCodeAt(root.length) === 46; // '.'
}

/**
 * The instance part of `oid` below `root` (the row index of a column), e.g.
 * `'5'` for ifName.5.
 */
export function instanceOf(root: string, oid: string): string {
  return oid.slice(root.length + 1);
}
