/**
 * Shared bits of the IPAM benchmark: sample statistics, machine description,
 * and a plain-text table (the figures people paste into issues and READMEs).
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';

/** Median and minimum of timing samples; the raw samples are kept for the JSON. */
export interface Stats {
  median: number;
  min: number;
  samples: number[];
}

export function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, samples };
}

/** Milliseconds since `t0` (a `performance.now()` value). */
export const since = (t0: number): number => performance.now() - t0;

export interface Machine {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  node: string;
  date: string;
  /** 1/5/15-minute load averages at the start: other work on the machine skews every figure. */
  loadAverage: number[];
}

/** What the figures depend on; goes at the top of the JSON and the README. */
export function machine(): Machine {
  const cpus = os.cpus();
  // /proc/cpuinfo's "model name" is sometimes shortened in os.cpus() on VMs; lscpu is a better second source.
  const lscpu = spawnSync('lscpu', [], { encoding: 'utf8' });
  const model = /Model name:\s*(.+)/.exec(lscpu.stdout ?? '')?.[1]?.trim();
  return {
    cores: cpus.length,
    cpuModel: model && model.length > (cpus[0]?.model.length ?? 0) ? model : (cpus[0]?.model ?? 'unknown'),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    date: new Date().toISOString(),
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/** Formats a number for the table: 3 significant digits, thousands separated. */
export function fmt(n: number, digits = 3): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  const decimals = abs >= 10 ** (digits - 1) ? 0 : Math.max(0, digits - 1 - Math.floor(Math.log10(abs || 1)));
  return n.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** A Markdown table (readable as plain text too), columns padded to width. */
export function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
