import { createInterface } from 'node:readline';
import type { Device } from '@extranet/topology';
import { loadSnmpProfiles, redact } from '../snmp/profiles';
import { LabError, LAB_FAULTS, parseFault } from './faults';
import { LAB_PROFILES, startLab, type Lab, type LabOptions } from './lab';

/**
 * `extranet lab`: runs the lab in the foreground. The CLI parses its flags and
 * calls {@link runLab}; this module prints where each agent listens and, when
 * given a control stream (stdin), takes commands to switch faults:
 *
 *     fault <hostname> <fault> on|off [ifName]
 *     faults | targets | shortfalls | help | stop
 */

export interface RunLabOptions extends LabOptions {
  /** The plan's devices (the managed ones get an agent). */
  devices: readonly Device[];
  /** Where the target table and command replies go. Default process.stdout. */
  out?: NodeJS.WritableStream;
  /** One command a line (e.g. process.stdin); absent = no commands. */
  control?: NodeJS.ReadableStream;
  /** Stops the lab when aborted (the CLI ties it to SIGINT/SIGTERM). */
  signal?: AbortSignal;
  /** Source of SNMP_PROFILES_FILE / SNMP_PROFILE_* when `profiles` is not given. Default process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface RunningLab {
  lab: Lab;
  /** Resolves once the lab has stopped (command `stop` or the abort signal). */
  done: Promise<void>;
}

const HELP = [
  'commands:',
  '  fault <hostname> <fault> on|off [ifName]   faults: ' + LAB_FAULTS.join(', '),
  '  faults        list faults switched on',
  '  targets       where each agent listens',
  '  shortfalls    interfaces served below plan',
  '  stop          stop the lab',
].join('\n');

/**
 * Starts the lab for a plan's devices and runs until stopped.
 * Credentials: `profiles`, else the ones configured in the environment (so the
 * poller, reading the same environment, matches), else {@link LAB_PROFILES}.
 * Secrets are never printed.
 *
 * @example
 * const ac = new AbortController(); process.once('SIGINT', () => ac.abort());
 * const { done } = await runLab({ devices: plan.devices, links: plan.links, control: process.stdin, signal: ac.signal });
 * await done;
 */
export async function runLab(options: RunLabOptions): Promise<RunningLab> {
  const out = options.out ?? process.stdout;
  const say = (line: string) => out.write(`${line}\n`);
  let configured = options.profiles;
  if (configured === undefined) {
    const loaded = loadSnmpProfiles(options.env ?? process.env);
    for (const w of loaded.warnings) options.log?.warn(w);
    configured = [...loaded.profiles.values()];
  }
  const profiles = configured.length > 0 ? configured : LAB_PROFILES;
  const lab = await startLab(options.devices, { ...options, profiles });

  say(`lab: ${lab.targets.size} agents; credentials: ${profiles.map((p) => JSON.stringify(redact(p))).join(' ')}`);
  const printTargets = () => {
    for (const [hostname, t] of lab.targets) say(`  ${hostname.padEnd(28)} ${t.host}:${t.port}`);
  };
  const printShortfalls = () => {
    for (const s of lab.shortfalls) say(`  below plan: ${s.hostname} ${s.ifName} ${s.actualMbps} Mbps (plan ${s.planMbps}, ${s.tier})`);
  };
  printTargets();
  printShortfalls();

  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const stop = () => void lab.stop().then(finish);
  options.signal?.addEventListener('abort', stop, { once: true });
  if (options.signal?.aborted) stop();

  if (options.control !== undefined) {
    const lines = createInterface({ input: options.control });
    void done.then(() => lines.close());
    lines.on('line', (line) => {
      const [command, ...args] = line.trim().split(/\s+/);
      try {
        if (command === undefined || command === '') return;
        if (command === 'stop') return stop();
        if (command === 'targets') return printTargets();
        if (command === 'shortfalls') return printShortfalls();
        if (command === 'faults') {
          for (const f of lab.faults()) say(`  ${f.hostname} ${f.ifName ?? '*'} ${f.fault} since ${new Date(f.since).toISOString()}`);
          return;
        }
        if (command === 'fault' && args.length >= 3 && (args[2] === 'on' || args[2] === 'off')) {
          const [hostname, fault, onOff, ifName] = args as [string, string, string, string | undefined];
          lab.setFault(hostname, ifName, parseFault(fault), onOff === 'on');
          return say(`ok: ${hostname}${ifName ? ` ${ifName}` : ''} ${fault} ${onOff}`);
        }
        say(HELP);
      } catch (e) {
        if (!(e instanceof LabError)) throw e;
        say(`error: ${e.code}: ${e.message}`);
      }
    });
  }
  return { lab, done };
}
