import type { CellResult } from './types';

/** Ours against snmp_exporter at one agent count (the issue's aim: ≥ 2× its interfaces/s, less CPU per interface). */
export interface Comparison {
  agents: number;
  /** ours ÷ snmp_exporter, interfaces per second. */
  speedupVsExporter?: number;
  /** snmp_exporter ÷ ours, CPU per interface-poll (> 1: ours uses less). */
  cpuAdvantageVsExporter?: number;
  speedupVsBulkwalk?: number;
  cpuAdvantageVsBulkwalk?: number;
  meetsAim?: boolean;
  /** ours ÷ snmp_exporter interfaces/s within each pass (the two ran next to each other), and their median. */
  speedupVsExporterPerPass?: number[];
  speedupVsExporterMedian?: number;
  cpuAdvantageVsExporterPerPass?: number[];
  cpuAdvantageVsExporterMedian?: number;
  /** The same two ratios for `ours-sharded` (N shard processes), where measured. */
  shardedSpeedupVsExporter?: number;
  shardedCpuAdvantageVsExporter?: number;
  shardedSpeedupVsExporterPerPass?: number[];
  /** ours-sharded ÷ ours, interfaces per second: what the second process adds. */
  shardedSpeedupVsSingle?: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export function summarize(cells: CellResult[]): Comparison[] {
  const counts = [...new Set(cells.map((c) => c.agents))];
  return counts.map((agents) => {
    const get = (tool: CellResult['tool']) => cells.find((c) => c.agents === agents && c.tool === tool);
    const ours = get('ours');
    const ex = get('snmp_exporter');
    const bw = get('snmpbulkwalk');
    const out: Comparison = { agents };
    if (ours && ex) {
      out.speedupVsExporter = ours.interfacesPerSecond / ex.interfacesPerSecond;
      out.cpuAdvantageVsExporter = ex.toolCpuPer1kInterfacePolls / ours.toolCpuPer1kInterfacePolls;
      out.meetsAim = out.speedupVsExporter >= 2 && out.cpuAdvantageVsExporter > 1;
      const k = Math.min(ours.passes.length, ex.passes.length);
      out.speedupVsExporterPerPass = Array.from(
        { length: k },
        (_, i) => ours.passes[i]!.interfacesPerSecond / ex.passes[i]!.interfacesPerSecond,
      );
      out.cpuAdvantageVsExporterPerPass = Array.from(
        { length: k },
        (_, i) => ex.passes[i]!.toolCpuPer1kInterfacePolls / ours.passes[i]!.toolCpuPer1kInterfacePolls,
      );
      out.speedupVsExporterMedian = median(out.speedupVsExporterPerPass);
      out.cpuAdvantageVsExporterMedian = median(out.cpuAdvantageVsExporterPerPass);
    }
    const sh = get('ours-sharded');
    if (sh && ex) {
      out.shardedSpeedupVsExporter = sh.interfacesPerSecond / ex.interfacesPerSecond;
      out.shardedCpuAdvantageVsExporter = ex.toolCpuPer1kInterfacePolls / sh.toolCpuPer1kInterfacePolls;
      const k = Math.min(sh.passes.length, ex.passes.length);
      out.shardedSpeedupVsExporterPerPass = Array.from(
        { length: k },
        (_, i) => sh.passes[i]!.interfacesPerSecond / ex.passes[i]!.interfacesPerSecond,
      );
    }
    if (sh && ours) out.shardedSpeedupVsSingle = sh.interfacesPerSecond / ours.interfacesPerSecond;
    if (ours && bw) {
      out.speedupVsBulkwalk = ours.interfacesPerSecond / bw.interfacesPerSecond;
      out.cpuAdvantageVsBulkwalk = bw.toolCpuPer1kInterfacePolls / ours.toolCpuPer1kInterfacePolls;
    }
    return out;
  });
}

const pad = (s: string, n: number, right = true) => (right ? s.padStart(n) : s.padEnd(n));
const f = (x: number, d: number) => (Number.isFinite(x) ? x.toFixed(d) : '–');

export function renderTable(
  cells: CellResult[],
  comparisons: Comparison[],
  setup: { interfacesPerAgent: number; snmpdProcesses: number; concurrency: number; shards: number },
): string {
  const head = [
    'tool',
    'agents',
    'rounds',
    'if-polls',
    'wall s',
    'if/s',
    'CPU s/1k if',
    'kernel %',
    'snmpd s/1k if',
    'top snmpd %core',
    'req/poll',
    'machine busy %',
    "others' CPU %",
    'failures',
  ];
  const widths = [14, 6, 6, 9, 7, 8, 11, 8, 13, 15, 8, 14, 13, 8];
  const row = (v: string[]) => v.map((x, i) => pad(x, widths[i]!, i > 0)).join('  ');
  const lines = [
    `SNMP polling: ${setup.interfacesPerAgent} interfaces per agent, ${setup.snmpdProcesses} snmpd processes, up to ${setup.concurrency} agents in flight per tool`,
    '',
    row(head),
    row(widths.map((w) => '-'.repeat(w))),
  ];
  for (const c of cells) {
    lines.push(
      row([
        c.tool,
        String(c.agents),
        f(c.rounds, 1),
        String(c.interfacePolls),
        f(c.wallSeconds, 2),
        f(c.interfacesPerSecond, 0),
        f(c.toolCpuPer1kInterfacePolls, 4),
        f(c.toolSystemCpuShare * 100, 0),
        f(c.snmpdCpuPer1kInterfacePolls, 4),
        f(c.snmpdBusiestCorePct, 0),
        c.requestsPerPoll === undefined ? '–' : f(c.requestsPerPoll, 1),
        f(c.machineBusyPct, 0),
        f(c.otherCpuPct, 0),
        String(c.failures),
      ]),
    );
  }
  lines.push(
    '',
    'CPU s/1k if: CPU seconds of the tool per 1,000 interface-polls (ours: the Node process; ours-sharded: its shard processes;',
    'snmp_exporter: its process; snmpbulkwalk: its processes and their sh); kernel %: the share of it in system calls.',
    "others' CPU: the rest of the machine (other users), % of all cores.",
    `ours-sharded: ${setup.shards} shard processes (--shard i/${setup.shards}), ⌈${setup.concurrency}/${setup.shards}⌉ agents in flight each; not run with fewer agents than shards.`,
  );
  lines.push('', 'ours (one process) vs snmp_exporter (aim: ≥ 2× interfaces/s and less CPU per interface) and vs snmpbulkwalk:');
  for (const c of comparisons) {
    const parts = [`${pad(String(c.agents), 3)} agents:`];
    if (c.speedupVsExporter !== undefined) {
      parts.push(
        `${f(c.speedupVsExporter, 2)}× exporter's if/s (per pass ${c.speedupVsExporterPerPass!.map((x) => f(x, 2)).join(', ')}), ` +
          `exporter uses ${f(c.cpuAdvantageVsExporter!, 2)}× our CPU per interface (per pass ${c.cpuAdvantageVsExporterPerPass!.map((x) => f(x, 2)).join(', ')}) ` +
          `→ aim ${c.meetsAim ? 'MET' : 'NOT met'}`,
      );
    }
    if (c.speedupVsBulkwalk !== undefined) {
      parts.push(`| ${f(c.speedupVsBulkwalk, 2)}× snmpbulkwalk's if/s, it uses ${f(c.cpuAdvantageVsBulkwalk!, 2)}× our CPU`);
    }
    lines.push(parts.join(' '));
  }
  const shardLines = comparisons.filter((c) => c.shardedSpeedupVsExporter !== undefined);
  if (shardLines.length > 0) {
    lines.push('', `ours-sharded (${setup.shards} processes) vs snmp_exporter, and vs ours in one process:`);
    for (const c of shardLines) {
      lines.push(
        `${pad(String(c.agents), 3)} agents: ${f(c.shardedSpeedupVsExporter!, 2)}× exporter's if/s (per pass ${c.shardedSpeedupVsExporterPerPass!.map((x) => f(x, 2)).join(', ')}), ` +
          `exporter uses ${f(c.shardedCpuAdvantageVsExporter!, 2)}× its CPU per interface` +
          (c.shardedSpeedupVsSingle === undefined ? '' : `; ${f(c.shardedSpeedupVsSingle, 2)}× one process's if/s`),
      );
    }
  }
  const ours = cells.filter((c) => c.tool === 'ours' || c.tool === 'ours-sharded');
  if (ours.length > 0) {
    lines.push('', 'ours, per measurement: rates computed / rejected (reason), link-compliance evaluations, 95th-percentile series:');
    for (const c of ours) {
      const e = c.extra as { rates?: number; rejected?: Record<string, number>; compliance?: number; percentileSeries?: number };
      const rej =
        Object.entries(e.rejected ?? {})
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || 'none';
      lines.push(
        `${c.tool === 'ours' ? 'one process ' : `${setup.shards} shards    `}${pad(String(c.agents), 3)} agents: ${e.rates ?? 0} rates, rejected: ${rej}; ${e.compliance ?? 0} compliance; ${e.percentileSeries ?? 0} series; ` +
          `${c.passes.map((p) => f(p.interfacesPerSecond, 0)).join(' / ')} if/s in the passes`,
      );
    }
  }
  return lines.join('\n');
}
