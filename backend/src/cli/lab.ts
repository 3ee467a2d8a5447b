import fs from 'node:fs';
import path from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { loadConfig, resolveFromRoot } from '../config';
import { runLab } from '../lab/main';
import { loadPlanOrThrow } from '../plan/load';
import { loadPollerConfig } from '../poller/config';

/**
 * `extranet lab [DIR] [--targets-file F]`: every managed device of the plan in
 * DIR (default PLAN_DIR) as a simulated router on 127.0.0.1, in the
 * foreground, with LAB_BASE_PORT / LAB_SEED as `serve`'s lab mode uses them.
 * Commands on stdin switch faults (`help` lists them); Ctrl-C or `stop` ends
 * it. `--targets-file` writes the agents' addresses in the SNMP_TARGETS file
 * format, so a `serve` elsewhere can poll this lab (`SNMP_TARGETS=F`).
 */
export async function labCommand(opts: { dir?: string; targetsFile?: string }): Promise<number> {
  const dir = path.resolve(opts.dir ?? resolveFromRoot(loadConfig().PLAN_DIR));
  const plan = await loadPlanOrThrow(dir);
  const { lab: labConfig } = loadPollerConfig(process.env);
  const abort = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => abort.abort());
  const { lab, done } = await runLab({
    devices: plan.devices,
    links: plan.links,
    basePort: labConfig.basePort,
    seed: labConfig.seed,
    control: process.stdin,
    signal: abort.signal,
  });
  if (opts.targetsFile) {
    const targets = Object.fromEntries([...lab.targets].map(([hostname, t]) => [hostname, `${t.host}:${t.port}`]));
    fs.writeFileSync(
      opts.targetsFile,
      `# written by extranet lab: SNMP_TARGETS=${opts.targetsFile} polls this lab\n${stringifyYaml({ targets })}`,
    );
    process.stdout.write(`targets written to ${opts.targetsFile}\n`);
  }
  process.stdout.write('type "help" for commands; Ctrl-C or "stop" stops the lab\n');
  await done;
  process.stdout.write('lab stopped.\n');
  return 0;
}
