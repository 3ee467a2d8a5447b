/**
 * Number formatting for people. Units are in the names: `Mbps` inputs are
 * megabits per second (10^6 bit/s, as IF-MIB ifHighSpeed), `bps`
 * inputs are bits per second, percentages are percent (0–100+), not fractions.
 * Missing values (null, undefined, NaN) print as an em dash.
 */

const DASH = '—';

function missing(v: number | null | undefined): v is null | undefined {
  return v === null || v === undefined || !Number.isFinite(v);
}

/** Up to `digits` decimals, trailing zeros dropped: 2.50 → "2.5", 3.00 → "3". */
function trim(v: number, digits: number): string {
  return String(Number(v.toFixed(digits)));
}

/**
 * A bandwidth in Mbps: Gbps from 1000 up.
 * @example formatMbps(100) // "100 Mbps"; formatMbps(1000) // "1 Gbps"; formatMbps(2500) // "2.5 Gbps"
 */
export function formatMbps(mbps: number | null | undefined): string {
  if (missing(mbps)) return DASH;
  return Math.abs(mbps) >= 1000 ? `${trim(mbps / 1000, 2)} Gbps` : `${trim(mbps, 1)} Mbps`;
}

/**
 * A rate in bits per second, scaled to bps / kbps / Mbps / Gbps with three significant digits.
 * @example formatBps(6_679_808) // "6.68 Mbps"
 */
export function formatBps(bps: number | null | undefined): string {
  if (missing(bps)) return DASH;
  const units = ['bps', 'kbps', 'Mbps', 'Gbps', 'Tbps'];
  let v = Math.abs(bps);
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  const digits = v >= 100 ? 0 : v >= 10 ? 1 : 2;
  return `${bps < 0 ? '-' : ''}${trim(v, digits)} ${units[i]}`;
}

/**
 * Packets per second (errors, discards): "0" when none, else three significant digits,
 * so a few CRC errors an hour (0.001/s) do not read as zero.
 * @example formatPps(0) // "0/s"; formatPps(0.0125) // "0.0125/s"; formatPps(41.37) // "41.4/s"
 */
export function formatPps(pps: number | null | undefined): string {
  if (missing(pps)) return DASH;
  if (pps === 0) return '0/s';
  return `${Number(pps.toPrecision(3))}/s`;
}

/**
 * A percentage (already in percent). Below 1 % shows two decimals so a quiet
 * link does not read as "0%".
 * @example formatPercent(12.5122) // "12.5%"; formatPercent(0.667) // "0.67%"
 */
export function formatPercent(pct: number | null | undefined, digits = 1): string {
  if (missing(pct)) return DASH;
  if (pct !== 0 && Math.abs(pct) < 1) return `${trim(pct, 2)}%`;
  return `${trim(pct, digits)}%`;
}

/** `part` as percent of `total`; null when total is 0. */
export function ratioPercent(part: number, total: number): number | null {
  return total > 0 ? (part / total) * 100 : null;
}

/**
 * Exact percent of two decimal integer strings (address counts can exceed 2^53:
 * an IPv6 /40 holds 2^88 addresses), to four decimals.
 * @example bigPercent('262400', '2097152') // 12.5122
 */
export function bigPercent(used: string, size: string): number | null {
  const total = BigInt(size);
  if (total <= 0n) return null;
  return Number((BigInt(used) * 1_000_000n) / total) / 10_000;
}

/** An integer (number or decimal string) with thousands separators. */
export function formatInteger(n: number | string | bigint): string {
  return BigInt(n).toLocaleString('en-US');
}

/** A timestamp as local `YYYY-MM-DD HH:mm` (24 h), or a dash. */
export function formatTime(iso: string | number | null | undefined, withDate = true): string {
  if (iso === null || iso === undefined) return DASH;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return DASH;
  const p = (n: number) => String(n).padStart(2, '0');
  const time = `${p(d.getHours())}:${p(d.getMinutes())}`;
  return withDate ? `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${time}` : time;
}

/** A recorded moment (an audit event) as local `YYYY-MM-DD HH:mm:ss`, or a dash. */
export function formatTimestamp(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return DASH;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return DASH;
  return `${formatTime(iso)}:${String(d.getSeconds()).padStart(2, '0')}`;
}
