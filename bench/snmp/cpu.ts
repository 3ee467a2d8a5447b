import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * CPU accounting from /proc, in seconds. Linux only (the bench runs in a
 * network namespace anyway).
 *
 * - a process's own CPU: utime + stime of /proc/<pid>/stat (fields 14, 15);
 * - children's CPU: cutime + cstime of /proc/self/stat (fields 16, 17) — the
 *   kernel adds a child's (and its reaped descendants') time there when the
 *   child is reaped, so the delta over a phase is exactly the CPU of the
 *   children that ended in it (getrusage(RUSAGE_CHILDREN), which Node lacks);
 * - the machine: /proc/stat's first line (busy = all − idle − iowait).
 */

let ticks: number | undefined;

/** Clock ticks per second (USER_HZ), 100 on every usual kernel. */
export function clockTicks(): number {
  if (ticks === undefined) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

/** Fields of /proc/<pid>/stat after "pid (comm) ", so field n (1-based, man proc) is at n − 3. */
function statFields(pid: number | 'self'): string[] | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/** CPU split into user and kernel (system) time, seconds. */
export interface Cpu {
  user: number;
  system: number;
}

/** utime + stime of a live process, seconds; 0 when it is gone. */
export function processCpu(pid: number): number {
  const c = processCpuSplit(pid);
  return c.user + c.system;
}

/** utime and stime of a live process, seconds; zeros when it is gone. */
export function processCpuSplit(pid: number): Cpu {
  const f = statFields(pid);
  if (f === undefined) return { user: 0, system: 0 };
  return { user: Number(f[11]) / clockTicks(), system: Number(f[12]) / clockTicks() };
}

/** Sum of {@link processCpu} over several processes. */
export function processesCpu(pids: readonly number[]): number {
  let s = 0;
  for (const p of pids) s += processCpu(p);
  return s;
}

/** CPU of this process's reaped children (cutime, cstime), seconds. */
export function reapedChildrenCpu(): Cpu {
  const f = statFields('self');
  if (f === undefined) return { user: 0, system: 0 };
  return { user: Number(f[13]) / clockTicks(), system: Number(f[14]) / clockTicks() };
}

/** This process's own CPU (all threads), seconds. */
export function selfCpu(): Cpu {
  const u = process.cpuUsage();
  return { user: u.user / 1e6, system: u.system / 1e6 };
}

/** Several processes' CPU, added field by field. */
export function sumCpu(list: readonly Cpu[]): Cpu {
  return list.reduce((a, c) => ({ user: a.user + c.user, system: a.system + c.system }), { user: 0, system: 0 });
}

/** a − b, field by field. */
export function cpuDelta(a: Cpu, b: Cpu): Cpu {
  return { user: a.user - b.user, system: a.system - b.system };
}

/** Busy and total CPU time of the whole machine since boot, seconds (all cores). */
export function machineCpu(): { busy: number; total: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest times are already in user)
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  return { busy: (total - idle) / clockTicks(), total: total / clockTicks() };
}
