/**
 * The part of the SNMP benchmark that runs INSIDE the private network
 * namespace (`main.ts` starts it under `unshare -rn`): creates the
 * interfaces, starts the snmpd agents and snmp_exporter on the namespace's
 * 127.0.0.1, measures every tool against every agent count, writes the
 * measurements as JSON and stops everything it started. Not an entry point
 * for people: run `npm run bench -- snmp`.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startAgents, type AgentFarm } from './agents';
import { bulkwalkDriver } from './bulkwalk';
import { cpuDelta, machineCpu, processCpu, processCpuSplit, reapedChildrenCpu, selfCpu, sumCpu, type Cpu } from './cpu';
import { exporterConfig, startExporter, type Exporter } from './exporter';
import { createInterfaces } from './netns';
import { OurPoller, sumStats } from './ours';
import { ShardedPoller } from './sharded';
import type { CellResult, PassSample, RoundResult, Tool } from './types';

export interface InnerConfig {
  dir: string;
  /** Where the JSON result goes. */
  out: string;
  agentCounts: number[];
  interfacesPerAgent: number;
  snmpdInstances: number;
  concurrency: number;
  /** Measured wall time per cell, at least; seconds. */
  seconds: number;
  /** Each cell is measured in this many passes, interleaved with the other tools' (seconds are split among them). */
  passes: number;
  tools: Tool[];
  timeoutMs: number;
  retries: number;
  maxRepetitions: number;
  basePort: number;
  exporterPort: number;
  /** Shard processes of the `ours-sharded` tool. */
  shards: number;
}

export interface InnerResult {
  interfaces: { names: string[]; kinds: string };
  snmpdPids: number[];
  cells: CellResult[];
}

const config = JSON.parse(process.argv[2] ?? '{}') as InnerConfig;
const pidFile = path.join(config.dir, 'pids');
const log = (m: string) => process.stderr.write(`[bench snmp] ${m}\n`);

const cleanups: Array<() => void | Promise<void>> = [];
let cleaning: Promise<void> | undefined;
const cleanup = () =>
  (cleaning ??= (async () => {
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch {
        // one cleanup failing does not keep the others from running
      }
    }
  })());
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(sig, () => {
    log(`${sig}: stopping`);
    void cleanup().finally(() => process.exit(130));
  });
}

const onSpawn = (pid: number, what: string) => fs.appendFileSync(pidFile, `${pid}\t${what}\n`);

async function main(): Promise<void> {
  const ifs = createInterfaces(config.interfacesPerAgent);
  log(`namespace: ${ifs.names.length} interfaces per agent (lo + ${ifs.kinds})`);
  const community = `bench-${randomBytes(6).toString('hex')}`;
  const maxAgents = Math.max(...config.agentCounts);

  const agents: AgentFarm = await startAgents({
    dir: config.dir,
    count: maxAgents,
    instances: config.snmpdInstances,
    basePort: config.basePort,
    community,
    onSpawn,
  });
  cleanups.push(() => agents.stop());
  log(`${maxAgents} agents on 127.0.0.1:${agents.ports[0]}–${agents.ports.at(-1)}, ${agents.pids.length} snmpd processes`);

  const session = { timeoutMs: config.timeoutMs, retries: config.retries, maxRepetitions: config.maxRepetitions };
  let exporter: Exporter | undefined;
  if (config.tools.includes('snmp_exporter')) {
    exporter = await startExporter({
      dir: config.dir,
      port: config.exporterPort,
      agentPorts: agents.ports,
      concurrency: config.concurrency,
      config: exporterConfig({ community, ...session }),
      onSpawn,
    });
    const ex = exporter;
    cleanups.push(() => ex.stop());
  }
  const ours = new OurPoller({
    ports: agents.ports,
    community,
    interfaceNames: ifs.names,
    concurrency: config.concurrency,
    ...session,
  });
  cleanups.push(() => ours.close());
  let sharded: ShardedPoller | undefined;
  if (config.tools.includes('ours-sharded')) {
    const sp = new ShardedPoller(
      { ports: agents.ports, community, interfaceNames: ifs.names, concurrency: config.concurrency, ...session },
      config.shards,
      config.dir,
      onSpawn,
    );
    sharded = sp;
    cleanups.push(() => sp.close());
  }
  const walker = bulkwalkDriver({ agentPorts: agents.ports, community, concurrency: config.concurrency, ...session });

  // Process warm-up, unmeasured: both long-running pollers get their JIT / heap
  // into steady state (as in production) before the first measurement.
  const warmUntil = performance.now() + 2000;
  while (performance.now() < warmUntil) {
    if (config.tools.includes('ours')) await ours.round(maxAgents);
    if (sharded) await sharded.round(maxAgents);
    if (exporter) await exporter.round(maxAgents);
    if (!config.tools.includes('ours') && !sharded && !exporter) break;
  }

  // Passes: every cell is measured `passes` times, the tools' order rotating
  // from pass to pass, so a change of load on the machine hits every tool alike.
  const samples = new Map<string, PassSample[]>();
  for (let pass = 0; pass < config.passes; pass++) {
    for (const n of config.agentCounts) {
      // Shards split the agents: one agent cannot be sharded, so that cell is skipped.
      const tools = config.tools.filter((t) => t !== 'ours-sharded' || n >= config.shards);
      const order = tools.map((_, i) => tools[(i + pass) % tools.length]!);
      for (const tool of order) {
        const round = (stopAt?: number): Promise<RoundResult> =>
          tool === 'ours'
            ? ours.round(n, stopAt)
            : tool === 'ours-sharded'
              ? sharded!.round(n, stopAt)
              : tool === 'snmp_exporter'
                ? exporter!.round(n, stopAt)
                : walker.round(n, stopAt);
        const toolCpu = (): Cpu =>
          tool === 'ours'
            ? selfCpu()
            : tool === 'ours-sharded'
              ? sumCpu(sharded!.pids.map(processCpuSplit))
              : tool === 'snmp_exporter'
                ? processCpuSplit(exporter!.pid)
                : reapedChildrenCpu();
        const driver = tool === 'ours' ? ours : tool === 'ours-sharded' ? sharded : undefined;
        const sample = await measure(tool, n, pass, round, toolCpu, agents, driver);
        const key = `${tool}|${n}`;
        samples.set(key, [...(samples.get(key) ?? []), sample]);
        log(
          `pass ${pass + 1}/${config.passes} ${tool.padEnd(13)} ${String(n).padStart(3)} agents: ` +
            `${Math.round(sample.interfacePolls / sample.wallSeconds)} if/s, ` +
            `${((sample.toolCpuSeconds / Math.max(1, sample.interfacePolls)) * 1000).toFixed(3)} CPU s/1k if-polls, ` +
            `${+sample.rounds.toFixed(2)} rounds, ${sample.failures} failures${sample.errors.length ? ` (${sample.errors[0]})` : ''}`,
        );
      }
    }
  }
  const cells: CellResult[] = [];
  for (const n of config.agentCounts) {
    for (const tool of config.tools) {
      const list = samples.get(`${tool}|${n}`) ?? [];
      if (list.length > 0) cells.push(cellOf(tool, n, list));
    }
  }
  const result: InnerResult = { interfaces: ifs, snmpdPids: agents.pids, cells };
  fs.writeFileSync(config.out, JSON.stringify(result, null, 2));
}

/**
 * Measures one tool for `seconds / passes`: rounds over the agents, and no poll
 * starts after the deadline (so a slow tool's last round may be partial; every
 * poll started is waited for and counted, in the wall time too).
 */
async function measure(
  tool: Tool,
  n: number,
  pass: number,
  round: (stopAt?: number) => Promise<RoundResult>,
  toolCpu: () => Cpu,
  agents: AgentFarm,
  ours: OurPoller | ShardedPoller | undefined,
): Promise<PassSample> {
  // Warm-up, unmeasured. Ours: a round opens the sessions, more rounds until every
  // device has a reading ≥ 1.05 s old to compute rates from (only the first time).
  // snmp_exporter: a round in the first pass opens its HTTP connections and its
  // SNMP sockets. snmpbulkwalk keeps nothing between runs: none.
  if (ours) {
    await round();
    while (!(await ours.ready(n))) await round();
    await ours.resetHistory();
    await ours.takeStats();
  } else if (tool === 'snmp_exporter' && pass === 0) await round();

  const snmpd0 = agents.pids.map(processCpu);
  const tool0 = toolCpu();
  const self0 = selfCpu();
  const m0 = machineCpu();
  const t0 = performance.now();
  const s: PassSample = {
    rounds: 0,
    polls: 0,
    interfacePolls: 0,
    failures: 0,
    errors: [],
    requests: 0,
    wallSeconds: 0,
    toolCpuSeconds: 0,
    toolSystemCpuSeconds: 0,
    driverCpuSeconds: 0,
    snmpdCpuSeconds: [],
    machineBusySeconds: 0,
    machineTotalSeconds: 0,
  };
  const stopAt = t0 + (config.seconds / config.passes) * 1000;
  while (s.polls === 0 || performance.now() < stopAt) {
    const r = await round(stopAt);
    s.rounds += r.polls / n;
    s.polls += r.polls;
    s.interfacePolls += r.interfacePolls;
    s.failures += r.failures;
    s.requests += r.requests ?? 0;
    if (s.errors.length < 5) s.errors.push(...r.errors.slice(0, 5 - s.errors.length));
  }
  await ours?.percentiles(); // the daily 95th of every series kept: part of our work, inside the measurement
  s.wallSeconds = (performance.now() - t0) / 1000;
  const m1 = machineCpu();
  const self = cpuDelta(selfCpu(), self0);
  const own = cpuDelta(toolCpu(), tool0);
  s.driverCpuSeconds = self.user + self.system;
  s.toolCpuSeconds = own.user + own.system;
  s.toolSystemCpuSeconds = own.system;
  s.snmpdCpuSeconds = agents.pids.map((p, i) => processCpu(p) - snmpd0[i]!);
  s.machineBusySeconds = m1.busy - m0.busy;
  s.machineTotalSeconds = m1.total - m0.total;
  if (ours) s.ours = await ours.takeStats();
  return s;
}

function cellOf(tool: Tool, n: number, list: PassSample[]): CellResult {
  const ourWork = list.flatMap((s) => (s.ours ? [s.ours] : []));
  const work = ourWork.length > 0 ? sumStats(ourWork) : undefined;
  const sum = (f: (s: PassSample) => number) => list.reduce((a, s) => a + f(s), 0);
  const interfacePolls = sum((s) => s.interfacePolls);
  const wall = sum((s) => s.wallSeconds);
  const toolCpuSeconds = sum((s) => s.toolCpuSeconds);
  const toolSystemCpuSeconds = sum((s) => s.toolSystemCpuSeconds);
  const driverCpuSeconds = sum((s) => s.driverCpuSeconds);
  const snmpd = sum((s) => s.snmpdCpuSeconds.reduce((a, b) => a + b, 0));
  const ownCpu = (s: PassSample) =>
    s.toolCpuSeconds + (tool === 'ours' ? 0 : s.driverCpuSeconds) + s.snmpdCpuSeconds.reduce((a, b) => a + b, 0);
  const other = (s: PassSample) => Math.max(0, s.machineBusySeconds - ownCpu(s));
  const per1k = (x: number, polls: number) => (polls > 0 ? (x / polls) * 1000 : NaN);
  const polls = sum((s) => s.polls);
  const requests = sum((s) => s.requests);
  return {
    tool,
    agents: n,
    concurrency: Math.min(config.concurrency, n),
    rounds: sum((s) => s.rounds),
    polls,
    interfacePolls,
    failures: sum((s) => s.failures),
    errors: list.flatMap((s) => s.errors).slice(0, 5),
    wallSeconds: wall,
    interfacesPerSecond: interfacePolls / wall,
    toolCpuSeconds,
    toolCpuPer1kInterfacePolls: per1k(toolCpuSeconds, interfacePolls),
    toolSystemCpuShare: toolSystemCpuSeconds / toolCpuSeconds,
    driverCpuSeconds,
    snmpdCpuSeconds: snmpd,
    snmpdCpuPer1kInterfacePolls: per1k(snmpd, interfacePolls),
    snmpdBusiestCorePct: Math.max(...list.map((s) => (Math.max(...s.snmpdCpuSeconds) / s.wallSeconds) * 100)),
    machineBusyPct: (sum((s) => s.machineBusySeconds) / sum((s) => s.machineTotalSeconds)) * 100,
    otherCpuPct: (sum(other) / sum((s) => s.machineTotalSeconds)) * 100,
    ...(requests > 0 && { requestsPerPoll: requests / polls }),
    passes: list.map((s) => ({
      interfacesPerSecond: s.interfacePolls / s.wallSeconds,
      toolCpuPer1kInterfacePolls: per1k(s.toolCpuSeconds, s.interfacePolls),
      otherCpuPct: (other(s) / s.machineTotalSeconds) * 100,
      wallSeconds: s.wallSeconds,
    })),
    extra: work ? { ...work } : {},
  };
}

main()
  .catch((e: unknown) => {
    log(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
