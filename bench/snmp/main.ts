/**
 * SNMP polling benchmark: our poller against Prometheus snmp_exporter and
 * Net-SNMP's `snmpbulkwalk`, on the same Net-SNMP `snmpd` agents (about 48
 * interfaces each), with 1, 10 and 100 agents, side by side in one run.
 *
 *   npm run bench -- snmp [--seconds=8] [--passes=4] [--agents=1,10,100] [--tools=ours,ours-sharded,snmp_exporter,snmpbulkwalk]
 *                         [--concurrency=16] [--snmpd=4] [--interfaces=48] [--shards=2] [--profile] [--no-write]
 *                         [--node-flags="--max-semi-space-size=32"]   (flags for the Node process of our poller)
 *
 * Everything runs in a private network namespace made for the run
 * (`unshare -rn`: a user + network namespace, no root needed, no address but
 * the namespace's own 127.0.0.1): the interfaces, the agents, the exporter, the
 * walks and our poller. The namespace dies with its last process; this process
 * kills any process the run started that is still alive at the end (by the pid
 * recorded when it was started, checked against its command line), even when
 * the inner run failed. Writes `bench/results/snmp.json` and prints a table.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InnerConfig, InnerResult } from './inner';
import { renderTable, summarize } from './report';
import type { Tool } from './types';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');

const TOOLS: Tool[] = ['ours', 'ours-sharded', 'snmp_exporter', 'snmpbulkwalk'];

interface Args {
  seconds: number;
  passes: number;
  agents: number[];
  tools: Tool[];
  concurrency: number;
  snmpd: number;
  interfaces: number;
  profile: boolean;
  /** Extra flags for the Node process that runs our poller (e.g. --max-semi-space-size=32). */
  nodeFlags: string[];
  write: boolean;
  /** Processes of `ours-sharded`. */
  shards: number;
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    seconds: 8,
    passes: 4,
    agents: [1, 10, 100],
    tools: TOOLS,
    concurrency: 16,
    snmpd: 4,
    interfaces: 48,
    profile: false,
    nodeFlags: [],
    write: true,
    shards: 2,
  };
  for (const arg of argv) {
    const eq = arg.indexOf('=');
    const k = (eq === -1 ? arg : arg.slice(0, eq)).replace(/^--/, '');
    const v = eq === -1 ? '' : arg.slice(eq + 1);
    const num = () => {
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) throw new Error(`--${k} needs a positive number. Got: ${v}`);
      return n;
    };
    if (k === 'seconds') a.seconds = num();
    else if (k === 'passes') a.passes = Math.round(num());
    else if (k === 'agents')
      a.agents = v
        .split(',')
        .map(Number)
        .filter((n) => Number.isInteger(n) && n > 0);
    else if (k === 'tools') {
      const t = v.split(',');
      const bad = t.filter((x) => !TOOLS.includes(x as Tool));
      if (bad.length) throw new Error(`unknown tool ${bad.join(', ')}; tools: ${TOOLS.join(', ')}`);
      a.tools = t as Tool[];
    } else if (k === 'concurrency') a.concurrency = Math.round(num());
    else if (k === 'snmpd') a.snmpd = Math.round(num());
    else if (k === 'shards') a.shards = Math.max(2, Math.round(num()));
    else if (k === 'interfaces') a.interfaces = Math.max(2, Math.round(num()));
    else if (k === 'profile') a.profile = true;
    else if (k === 'node-flags') a.nodeFlags = v.split(/\s+/).filter(Boolean);
    else if (k === 'no-write') a.write = false;
    else throw new Error(`unknown option ${arg}; see bench/snmp/main.ts`);
  }
  if (a.agents.length === 0) throw new Error('--agents needs agent counts like 1,10,100');
  return a;
}

function requireTools(tools: Tool[]): void {
  const need: Array<[string, string]> = [
    ['/usr/bin/unshare', 'util-linux'],
    ['/usr/sbin/ip', 'iproute2'],
    ['/usr/sbin/snmpd', 'snmpd'],
  ];
  if (tools.includes('snmpbulkwalk')) need.push(['/usr/bin/snmpbulkwalk', 'snmp']);
  if (tools.includes('snmp_exporter')) need.push(['/usr/bin/prometheus-snmp-exporter', 'prometheus-snmp-exporter']);
  const missing = need.filter(([f]) => !fs.existsSync(f));
  if (missing.length > 0) {
    throw new Error(
      `missing ${missing.map(([f]) => f).join(', ')}: apt-get install -y ${[...new Set(missing.map(([, p]) => p))].join(' ')}`,
    );
  }
}

/** The first match of `re` in what `cmd args` prints on stdout or stderr (version banners go to either). */
const version = (cmd: string, args: string[], re: RegExp): string => {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return re.exec(`${r.stdout ?? ''}${r.stderr ?? ''}`)?.[1] ?? 'unknown';
};

function machineInfo() {
  const cpus = os.cpus();
  const pkg = (name: string) => {
    try {
      return (JSON.parse(fs.readFileSync(path.join(repo, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      return 'unknown';
    }
  };
  return {
    hostname: os.hostname(),
    cpuModel: cpus[0]?.model ?? 'unknown',
    cpus: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    kernel: os.release(),
    os: (() => {
      try {
        return /PRETTY_NAME="([^"]+)"/.exec(fs.readFileSync('/etc/os-release', 'utf8'))?.[1] ?? os.type();
      } catch {
        return os.type();
      }
    })(),
    loadAverageAtStart: os.loadavg(),
    node: process.version,
    netSnmpNpm: pkg('net-snmp'),
    snmpd: version('/usr/sbin/snmpd', ['-v'], /version:\s+([\d.]+)/i),
    snmpbulkwalk: version('/usr/bin/snmpbulkwalk', ['-V'], /version:\s*([\d.]+)/i),
    snmpExporter: version('/usr/bin/prometheus-snmp-exporter', ['--version'], /version ([\d.]+)/),
  };
}

/** Kills what the inner run recorded and is still alive — only if its command line still names our run folder or program. */
function killLeftovers(dir: string): string[] {
  const file = path.join(dir, 'pids');
  if (!fs.existsSync(file)) return [];
  const killed: string[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const [pidText, what = ''] = line.split('\t');
    const pid = Number(pidText);
    let cmdline: string;
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      continue; // gone
    }
    if (!cmdline.includes(dir)) continue; // the pid was reused by something else
    try {
      process.kill(pid, 'SIGKILL');
      killed.push(`${what} (${pid})`);
    } catch {
      /* already gone */
    }
  }
  return killed;
}

export default async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  requireTools(args.tools);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'extranet-bench-snmp-'));
  const profDir = path.join(dir, 'profiles');
  const config: InnerConfig = {
    dir,
    out: path.join(dir, 'result.json'),
    agentCounts: args.agents,
    interfacesPerAgent: args.interfaces,
    snmpdInstances: args.snmpd,
    concurrency: args.concurrency,
    seconds: args.seconds,
    passes: args.passes,
    tools: args.tools,
    timeoutMs: 2000,
    retries: 1,
    maxRepetitions: 25,
    basePort: 16100,
    exporterPort: 9116,
    shards: args.shards,
  };
  const machine = machineInfo();
  const started = Date.now();
  let result: InnerResult | undefined;
  try {
    const nodeArgs = [
      ...args.nodeFlags,
      ...(args.profile ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []),
      '--import',
      'tsx',
      path.join(here, 'inner.ts'),
      JSON.stringify(config),
    ];
    const child = spawn(
      '/usr/bin/unshare',
      ['--user', '--map-root-user', '--net', '--fork', '--kill-child=SIGTERM', process.execPath, ...nodeArgs],
      {
        cwd: repo,
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    const forward = (sig: NodeJS.Signals) => () => child.kill(sig);
    const handlers = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((s) => [s, forward(s)] as const);
    for (const [s, h] of handlers) process.on(s, h);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (c, sig) => resolve(c ?? (sig ? 128 : null)));
    });
    for (const [s, h] of handlers) process.off(s, h);
    if (code !== 0) throw new Error(`the benchmark inside the namespace failed (exit ${code}); see the lines above`);
    result = JSON.parse(fs.readFileSync(config.out, 'utf8')) as InnerResult;
  } finally {
    const killed = killLeftovers(dir);
    if (killed.length > 0) console.error(`[bench snmp] killed leftovers: ${killed.join(', ')}`);
    if (args.profile && fs.existsSync(profDir)) {
      const keep = fs.mkdtempSync(path.join(os.tmpdir(), 'extranet-bench-snmp-profile-'));
      for (const f of fs.readdirSync(profDir)) fs.copyFileSync(path.join(profDir, f), path.join(keep, f));
      console.error(`[bench snmp] CPU profiles: ${keep}`);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const summary = summarize(result.cells);
  const doc = {
    benchmark: 'snmp',
    date: new Date(started).toISOString(),
    durationSeconds: Math.round((Date.now() - started) / 100) / 10,
    command: `npm run bench -- snmp${argv.length ? ` ${argv.join(' ')}` : ''}`,
    machine,
    setup: {
      interfacesPerAgent: result.interfaces.names.length,
      interfaceKinds: `lo + ${result.interfaces.kinds}`,
      snmpdProcesses: result.snmpdPids.length,
      agentsOn: `127.0.0.1:${config.basePort}+ inside a private network namespace (unshare -rn)`,
      concurrency: config.concurrency,
      shards: config.shards,
      maxRepetitions: config.maxRepetitions,
      timeoutMs: config.timeoutMs,
      retries: config.retries,
      measuredSecondsPerCell: config.seconds,
      passes: config.passes,
      columns: {
        ours: 'one multi-column GETBULK walk of ifOperStatus, ifInDiscards, ifInErrors, ifOutErrors, ifName, ifHCInOctets, ifHCOutOctets, ifHighSpeed, ifCounterDiscontinuityTime (9 columns) with sysUpTime as a non-repeater of its first request; ifDescr and ifAlias only when ifName does not resolve the plan names (never here)',
        peers:
          'sysUpTime + ifName, ifHighSpeed, ifHCInOctets, ifHCOutOctets, ifOperStatus, ifInErrors, ifOutErrors, ifInDiscards, ifCounterDiscontinuityTime (9 columns), numeric OIDs',
      },
    },
    nodeFlags: args.nodeFlags,
    cells: result.cells,
    comparison: summary,
  };
  console.log(renderTable(result.cells, summary, doc.setup));
  if (args.write) {
    const out = path.join(repo, 'bench', 'results', 'snmp.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(doc, null, 2)}\n`);
    console.log(`\nwritten: ${path.relative(process.cwd(), out)}`);
  }
}
