#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { DomainError } from '@extranet/topology';
import { LabError } from './lab/faults';
import { ipamCommand, ipamUsage } from './cli/ipam';
import { checkCommand } from './cli/check';
import { labCommand } from './cli/lab';
import { planGenerate, planImport, planValidate } from './cli/plan';
import { pollOnceCommand } from './cli/poll';
import { serve } from './cli/serve';
import { userCommand, userUsage } from './cli/user';

const usage = `extranet — 电子政务外网管理 / extranet manager

usage:
  extranet serve [--lab] [--shard i/N] [--first-admin]
                                       run the API, web UI and poller (starts the embedded Neo4j unless NEO4J_URI is set);
                                       polls each device's mgmtAddress:161 (or the SNMP_TARGETS file); --lab or LAB=1:
                                       the demo, polling simulated routers on 127.0.0.1 instead (one UDP socket per device:
                                       exit 4 with the fix when ulimit -n is too low for the plan); --first-admin: on a store
                                       with no accounts, make "admin" with a random password and print it once
  extranet poll --once [--device H]… [--shard i/N] [--lab]
                                       poll every device (or the named ones) once, write the history, print each
                                       device's status; exit 3 when some device is not ok (--lab or LAB=1: the lab's)
  extranet lab [DIR] [--targets-file F] run the plan's devices as simulated SNMP routers on 127.0.0.1 (LAB_BASE_PORT,
                                       LAB_SEED); commands on stdin switch faults ("help"); Ctrl-C stops
  extranet plan validate DIR           check a plan directory; lists every issue with its file, field and fix
  extranet plan import DIR [--dry-run] import a plan in one transaction; prints what was added, changed, removed
                                       (a large first import into a new embedded store: Neo4j's bulk importer)
  extranet plan generate (--size huizhou-like|province|national | --counties N --townships M) [--seed S] --out DIR
                                       write a synthetic plan directory (plan files and an address plan sized to fit),
                                       the same for the same seed: for scale tests and demos
  extranet check [--json]              consistency pass over the stored graph (address tree, free lists, links' ends);
                                       exit 0 when consistent, 1 with every issue listed
${ipamUsage}
${userUsage}
`;

/** Exit code of `serve --lab` / `lab` / `poll --lab` when the plan has more devices than the process may open sockets for. */
const EXIT_LAB_TOO_BIG = 4;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
      // ipam
      reason: { type: 'string' },
      count: { type: 'string' },
      'first-fit': { type: 'boolean' },
      key: { type: 'string' },
      status: { type: 'string' },
      role: { type: 'string' },
      site: { type: 'string' },
      vrf: { type: 'string' },
      recursive: { type: 'boolean' },
      confirm: { type: 'string' },
      // user, token
      'password-stdin': { type: 'boolean' },
      user: { type: 'string' },
      days: { type: 'string' },
      shard: { type: 'string' },
      lab: { type: 'boolean' },
      'first-admin': { type: 'boolean' },
      // poll, lab
      once: { type: 'boolean' },
      device: { type: 'string', multiple: true },
      'targets-file': { type: 'string' },
      // plan generate
      size: { type: 'string' },
      counties: { type: 'string' },
      townships: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      // check
      json: { type: 'boolean' },
    },
  });
  const out = (l: string) => process.stdout.write(`${l}\n`);
  const [cmd, sub, arg] = positionals;
  if (values.help || !cmd) {
    out(usage);
    return cmd || values.help ? 0 : 2;
  }
  if (cmd === 'serve') {
    await serve({
      ...(values.shard && { shard: values.shard }),
      ...(values.lab && { lab: true }),
      ...(values['first-admin'] && { firstAdmin: true }),
    });
    return -1; // keeps running
  }
  if (cmd === 'poll') {
    if (!values.once) {
      process.stderr.write('extranet poll needs --once (the continuous poller runs inside extranet serve)\n');
      return 2;
    }
    return pollOnceCommand(
      { ...(values.device && { devices: values.device }), ...(values.shard && { shard: values.shard }), ...(values.lab && { lab: true }) },
      out,
    );
  }
  if (cmd === 'user' || cmd === 'token') return userCommand(sub, arg, values, out, cmd === 'token');
  if (cmd === 'lab')
    return labCommand({ ...(sub && { dir: sub }), ...(values['targets-file'] && { targetsFile: values['targets-file'] }) });
  if (cmd === 'check') return checkCommand({ json: values.json === true }, out);
  const progress = (l: string) => process.stderr.write(`${l}\n`);
  if (cmd === 'plan' && sub === 'validate' && arg) return planValidate(arg, out, progress);
  if (cmd === 'plan' && sub === 'generate') {
    const { size, counties, townships, seed, out: dir } = values;
    return planGenerate({ size, counties, townships, seed, out: dir }, out, progress);
  }
  if (cmd === 'plan' && sub === 'import' && arg) return planImport(arg, { dryRun: values['dry-run'] }, out, progress);
  if (cmd === 'ipam') {
    const { device: _device, lab: _lab, ...ipamValues } = values;
    return ipamCommand({ positionals: positionals.slice(1), values: ipamValues }, out);
  }
  process.stderr.write(`unknown command: ${positionals.join(' ')}\n\n${usage}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof DomainError) {
      process.stderr.write(`error [${err.code}]: ${err.message}${err.hint ? `\n  fix: ${err.hint}` : ''}\n`);
    } else if (err instanceof LabError && err.code === 'TOO_MANY_AGENTS') {
      // The lab does not fit the open-file limit: its own exit code, so scripts can tell it from a crash.
      process.stderr.write(`error [${err.code}]: ${err.message}\n`);
      process.exit(EXIT_LAB_TOO_BIG);
    } else {
      process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    }
    process.exit(1);
  },
);
