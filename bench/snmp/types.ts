import { performance } from 'node:perf_hooks';
import type { OurStats } from './ours';

/** Shapes shared by the drivers, the inner runner and the report. */

/** What one round (every agent polled once) did. */
export interface RoundResult {
  /** Agent polls attempted. */
  polls: number;
  /** Interfaces read, summed over the successful polls. */
  interfacePolls: number;
  failures: number;
  /** The first few failure messages. */
  errors: string[];
  /** SNMP requests sent, where the tool tells (ours: session stats; snmp_exporter: snmp_scrape_packets_sent). */
  requests?: number;
}

/** One pass of one cell: the raw sums a CellResult is made of. */
export interface PassSample {
  /** Agent polls ÷ agents. */
  rounds: number;
  polls: number;
  interfacePolls: number;
  failures: number;
  errors: string[];
  requests: number;
  wallSeconds: number;
  toolCpuSeconds: number;
  /** Of which kernel time (system calls: on loopback a send also runs the receiver's UDP input). */
  toolSystemCpuSeconds: number;
  driverCpuSeconds: number;
  /** Per snmpd process. */
  snmpdCpuSeconds: number[];
  machineBusySeconds: number;
  machineTotalSeconds: number;
  /** Our poller's work counters (rates, compliance, …) in this pass. */
  ours?: OurStats;
}

/** `ours-sharded`: our poller as N shard processes (`--shards`, default 2). */
export type Tool = 'ours' | 'ours-sharded' | 'snmp_exporter' | 'snmpbulkwalk';

/** One tool against one agent count. */
export interface CellResult {
  tool: Tool;
  agents: number;
  concurrency: number;
  /** Agent polls ÷ agents: the last round of a pass may be partial. */
  rounds: number;
  polls: number;
  interfacePolls: number;
  failures: number;
  errors: string[];
  wallSeconds: number;
  interfacesPerSecond: number;
  /** CPU of the tool itself (our Node process / the exporter process / the snmpbulkwalk processes), seconds. */
  toolCpuSeconds: number;
  toolCpuPer1kInterfacePolls: number;
  /** Share of the tool's CPU spent in the kernel (stime), 0–1. */
  toolSystemCpuShare: number;
  /** CPU of the bench's Node process while driving a peer (HTTP client / process spawning); for ours it IS the tool. */
  driverCpuSeconds: number;
  /** CPU of all snmpd processes, seconds, and per 1,000 interface-polls. */
  snmpdCpuSeconds: number;
  snmpdCpuPer1kInterfacePolls: number;
  /** Busiest single snmpd as a share of one core over the wall time, percent. */
  snmpdBusiestCorePct: number;
  /** Whole machine busy over the wall time, percent of all cores. */
  machineBusyPct: number;
  /** CPU of everything else on the machine (other users' processes) over the wall time, percent of all cores. */
  otherCpuPct: number;
  /** SNMP requests per agent poll, where known. */
  requestsPerPoll?: number;
  /** The passes this cell was measured in (interleaved with the other tools). */
  passes: Array<{ interfacesPerSecond: number; toolCpuPer1kInterfacePolls: number; otherCpuPct: number; wallSeconds: number }>;
  /** Tool-specific counters (ours: rates, rejections, compliance evaluations, …). */
  extra: Record<string, unknown>;
}

/** What one poll of one agent by a peer tool gave: interfaces read, and SNMP requests where the tool tells. */
export interface PeerPoll {
  interfaces: number;
  requests?: number;
}

/**
 * One round of a peer tool: the first `n` agents once each, `concurrency` at a
 * time, no new poll after `stopAt` (performance.now()); a poll that throws is
 * counted as a failure with its message (the first five kept).
 */
export async function peerRound(
  n: number,
  concurrency: number,
  stopAt: number,
  poll: (agent: number) => Promise<PeerPoll>,
): Promise<RoundResult> {
  const result: RoundResult = { polls: 0, interfacePolls: 0, failures: 0, errors: [] };
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < n && (i === 0 || performance.now() < stopAt); i = next++) {
      result.polls++;
      try {
        const r = await poll(i);
        result.interfacePolls += r.interfaces;
        if (r.requests !== undefined) result.requests = (result.requests ?? 0) + r.requests;
      } catch (e) {
        result.failures++;
        if (result.errors.length < 5) result.errors.push(`agent ${i}: ${(e as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return result;
}

/** How many times `marker` occurs in `text` (one per interface in a tool's output). */
export function occurrences(text: string, marker: string): number {
  let count = 0;
  for (let at = text.indexOf(marker); at !== -1; at = text.indexOf(marker, at + 1)) count++;
  return count;
}
