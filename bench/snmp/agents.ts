import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openSession } from '../../backend/src/snmp/session';
import { processesCpu } from './cpu';

/**
 * The agents: Debian's Net-SNMP `snmpd`, several processes, each listening on
 * many UDP ports of 127.0.0.1 inside the benchmark's namespace. Agent i is
 * port `basePort + i`, served by snmpd number `i % instances`, so 10 agents
 * already spread over every instance and no single-threaded snmpd is asked
 * for the whole load. Every agent serves the namespace's interface table.
 * Own configuration only (`-C`): v2c, one random community, 127.0.0.1 only.
 */

export const SNMPD = '/usr/sbin/snmpd';

export interface AgentFarm {
  /** UDP port of agent i on 127.0.0.1. */
  ports: number[];
  community: string;
  pids: number[];
  /** Sum of utime + stime of every snmpd, seconds. */
  cpu(): number;
  stop(): Promise<void>;
}

export interface AgentOptions {
  dir: string;
  count: number;
  instances: number;
  basePort: number;
  community: string;
  /** Called with each child's pid as soon as it exists (the outer process kills leftovers). */
  onSpawn: (pid: number, what: string) => void;
}

export async function startAgents(o: AgentOptions): Promise<AgentFarm> {
  if (!fs.existsSync(SNMPD)) throw new Error(`${SNMPD} is missing: apt-get install -y snmpd snmp`);
  const ports = Array.from({ length: o.count }, (_, i) => o.basePort + i);
  const instances = Math.min(o.instances, o.count);
  const children: ChildProcess[] = [];
  const output: string[] = [];
  const stop = async () => {
    await Promise.all(children.map((c) => stopChild(c)));
  };
  try {
    for (let k = 0; k < instances; k++) {
      const mine = ports.filter((_, i) => i % instances === k);
      const dir = path.join(o.dir, `snmpd-${k}`);
      fs.mkdirSync(dir, { recursive: true });
      const conf = path.join(dir, 'snmpd.conf');
      fs.writeFileSync(conf, `rocommunity ${o.community} 127.0.0.1\n`, { mode: 0o600 });
      const child = spawn(
        SNMPD,
        [
          '-f',
          '-Lo',
          '-C',
          '-c',
          conf,
          '-p',
          path.join(dir, 'snmpd.pid'),
          `--persistentDir=${path.join(dir, 'persist')}`,
          mine.map((p) => `udp:127.0.0.1:${p}`).join(','),
        ],
        { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MIBS: '', MIBDIRS: '' } },
      );
      if (child.pid === undefined) throw new Error('snmpd did not spawn');
      o.onSpawn(child.pid, `snmpd-${k}`);
      output[k] = '';
      child.stdout?.on('data', (d: Buffer) => (output[k] = (output[k] + d.toString()).slice(-4000)));
      child.stderr?.on('data', (d: Buffer) => (output[k] = (output[k] + d.toString()).slice(-4000)));
      children.push(child);
    }
    await Promise.all(ports.map((port, i) => waitAnswer(port, o.community, children[i % instances]!, () => output[i % instances] ?? '')));
  } catch (e) {
    await stop();
    throw e;
  }
  const pids = children.map((c) => c.pid!);
  return { ports, community: o.community, pids, cpu: () => processesCpu(pids), stop };
}

async function waitAnswer(port: number, community: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`snmpd exited (${child.exitCode}):\n${output()}`);
    const s = openSession({ host: '127.0.0.1', port }, { name: 'bench', version: '2c', community }, { timeoutMs: 300, retries: 0 });
    try {
      await s.get(['1.3.6.1.2.1.1.3.0']);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      s.close();
    }
  }
  throw new Error(`snmpd does not answer on 127.0.0.1:${port}:\n${output()}`);
}

/** SIGTERM, then SIGKILL after 3 s. */
export async function stopChild(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
  c.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
  if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}
