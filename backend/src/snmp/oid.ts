/**
 * Numeric OID helpers. OIDs are dotted decimal strings without a leading dot
 * (`1.3.6.1.2.1.1.3.0`), as net-snmp reads and writes them.
 */

/**
 * Lexicographic order of OIDs (RFC 3416 ordering): negative when `a` comes
 * before `b`, 0 when equal, positive after.
 *
 * @example compareOids('1.3.6.1.2', '1.3.6.1.10') < 0 // arc-wise, not string-wise
 */
export function compareOids(a: string, b: string): number {
  // Arc by arc straight from the strings: this runs for every varbind of every
  // GETBULK, so it must not allocate (splitting was ~14 % of the poller's CPU).
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    let x = 0;
    for (let c = a.charCodeAt(i); i < a.length && c !== 46; c = a.charCodeAt(++i)) x = x * 10 + (c - 48);
    let y = 0;
    for (let c = b.charCodeAt(j); j < b.length && c !== 46; c = b.charCodeAt(++j)) y = y * 10 + (c - 48);
    if (x !== y) return x - y;
    i++; // past the '.' (or past the end)
    j++;
  }
  return (i < a.length ? 1 : 0) - (j < b.length ? 1 : 0);
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
