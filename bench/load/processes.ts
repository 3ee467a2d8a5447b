import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The product's own processes, started as an operator starts them: `extranet
 * lab` (the simulated routers, writing their targets file) and `extranet serve`
 * (API, socket.io, poller, alerting) polling that lab — each an OS process with
 * its own event loop, as in a deployment.
 */

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const MAIN = path.join(ROOT, 'backend', 'src', 'main.ts');

export interface Proc {
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** CPU time used so far (user + system), ms, from /proc. */
  cpuMs(): number;
  stop(): Promise<void>;
}

const CLK_TCK = 100;

function cpuMsOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK; // utime, stime
  } catch {
    return NaN;
  }
}

/** Runs `extranet <args>` under Node with tsx, `nodeFlags` first (e.g. --cpu-prof). */
export function startExtranet(args: string[], env: NodeJS.ProcessEnv, nodeFlags: string[] = []): Proc {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', MAIN, ...args], {
    cwd: ROOT,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    output: () => out,
    cpuMs: () => cpuMsOf(child.pid!),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resolves with the first match of `re` in the process's output; rejects when it exits first or after `timeoutMs`. */
export function waitFor(p: Proc, re: RegExp, timeoutMs = 180_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = setInterval(() => {
      const m = re.exec(p.output());
      if (m) {
        clearInterval(tick);
        resolve(m);
      } else if (p.child.exitCode !== null || Date.now() - started > timeoutMs) {
        clearInterval(tick);
        reject(
          new Error(`waiting for ${re}: ${p.child.exitCode !== null ? 'the process exited' : 'timed out'}\n${p.output().slice(-3000)}`),
        );
      }
    }, 100);
  });
}
