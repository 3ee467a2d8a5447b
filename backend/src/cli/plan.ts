import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  PLAN_SIZES,
  generatePlan,
  renderPlanYaml,
  seededRandom,
  type GeneratedPlan,
  type PlanDiff,
  type PlanIssue,
  type PlanSizeName,
  type PlanSpec,
  type PlanValidation,
} from '@extranet/topology';
import { alertRulesIssues } from '../alerts/rules-file';
import { loadConfig } from '../config';
import { loadAddressPlan } from '../ipam/address-plan';
import { loadPlanDir } from '../plan/load';
import { openAndImport } from '../plan/first-import';
import { auditCli } from '../auth/audit';

type Out = (line: string) => void;

/** `extranet plan validate DIR`: exit code 0 when valid, 1 with every issue listed otherwise. */
export async function planValidate(dir: string, out: Out, progress: Out = () => {}): Promise<number> {
  const r = await loadValidated(dir, progress);
  if (!r.ok) {
    printIssues(r.errors, out);
    return 1;
  }
  const { plan } = r;
  const ap = await loadAddressPlan(path.resolve(dir), plan);
  if (!ap.ok) {
    printIssues(ap.errors, out);
    return 1;
  }
  const alertIssues = await alertRulesIssues(path.resolve(dir));
  if (alertIssues.length > 0) {
    printIssues(alertIssues, out);
    return 1;
  }
  const tiers = (t: string) => plan.sites.filter((s) => s.tier === t).length;
  out(
    `plan ${plan.name}: valid — ${tiers('city')} city, ${tiers('county')} county-level units, ${tiers('township')} townships, ${plan.devices.length} devices, ${plan.links.length} links${ap.value ? `; address plan: ${ap.value.domains.length} domains, ${ap.value.rootBlocks.length} root blocks` : '; no address plan'}.`,
  );
  return 0;
}

/** `extranet plan import DIR [--dry-run]`: one transaction; prints what was added, changed and removed, and its progress. */
export async function planImport(dir: string, opts: { dryRun: boolean }, out: Out, progress: Out = () => {}): Promise<number> {
  const r = await loadValidated(dir, progress);
  if (!r.ok) {
    printIssues(r.errors, out);
    out('nothing was imported.');
    return 1;
  }
  const { store, result } = await openAndImport(loadConfig(), r.plan, {
    dryRun: opts.dryRun,
    progress,
    storeProgress: (l) => process.stderr.write(`${l}\n`),
  });
  try {
    if (result.changed && !opts.dryRun) {
      await auditCli(store, {
        actor: `cli:${os.userInfo().username}`,
        action: 'plan import',
        target: r.plan.name,
        after: { dir: path.resolve(dir) },
      });
    }
    progress(`import: done — Node's peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
    if (!result.changed) {
      out(`plan ${r.plan.name}: no changes — the database already holds this plan.`);
    } else {
      out(`plan ${r.plan.name}: ${opts.dryRun ? 'would change (dry run, nothing written)' : 'imported'}:`);
      printDiff(result.diff, out);
    }
    return 0;
  } finally {
    await store.close();
  }
}

/** Loads and validates a plan directory, saying how long it took and how big it is. */
async function loadValidated(dir: string, progress: Out): Promise<PlanValidation> {
  const started = performance.now();
  progress(`validate: reading ${path.resolve(dir)}`);
  const r = await loadPlanDir(path.resolve(dir));
  const s = (performance.now() - started) / 1000;
  if (r.ok) {
    const records = r.plan.sites.length + r.plan.devices.length + r.plan.links.length;
    progress(
      `validate: ${records.toLocaleString('en')} sites, devices and links valid in ${s.toFixed(1)} s ` +
        `(${Math.round(records / Math.max(s, 0.001)).toLocaleString('en')} records/s, ${Math.round(process.memoryUsage().rss / 1e6)} MB RSS)`,
    );
  } else progress(`validate: ${r.errors.length} issue(s) found in ${s.toFixed(1)} s`);
  return r;
}

/** Options of `extranet plan generate`, as typed on the command line. */
export interface GenerateOptions {
  size?: string;
  counties?: string;
  townships?: string;
  seed?: string;
  out?: string;
}

/**
 * `extranet plan generate --size huizhou-like|province|national | --counties N --townships M [--seed S] --out DIR`:
 * writes a synthetic plan directory (the four plan files and an address plan sized to fit). Exit 2 on bad options.
 */
export async function planGenerate(opts: GenerateOptions, out: Out, err: Out): Promise<number> {
  const sizes = Object.keys(PLAN_SIZES).join(', ');
  const usage = `usage: extranet plan generate (--size ${sizes.replace(/, /g, '|')} | --counties N --townships M) [--seed S] --out DIR`;
  const whole = (text: string | undefined, what: string, min: number): number | string => {
    const n = Number(text);
    return text !== undefined && /^\d+$/.test(text) && Number.isSafeInteger(n) && n >= min
      ? n
      : `${what} must be a whole number ≥ ${min}, got ${text}`;
  };
  let spec: PlanSpec;
  let label: string;
  if (opts.size !== undefined) {
    if (opts.counties !== undefined || opts.townships !== undefined)
      return fail(err, `give either --size or --counties/--townships\n${usage}`);
    if (!(opts.size in PLAN_SIZES)) return fail(err, `unknown size ${opts.size}: one of ${sizes}\n${usage}`);
    spec = PLAN_SIZES[opts.size as PlanSizeName];
    label = `--size ${opts.size}`;
  } else {
    const counties = whole(opts.counties, '--counties', 1);
    const townships = whole(opts.townships, '--townships', 0);
    if (typeof counties === 'string') return fail(err, `${counties}\n${usage}`);
    if (typeof townships === 'string') return fail(err, `${townships}\n${usage}`);
    spec = { counties, townships };
    label = `--counties ${counties} --townships ${townships}`;
  }
  const seed = whole(opts.seed ?? '1', '--seed', 0);
  if (typeof seed === 'string') return fail(err, `${seed}\n${usage}`);
  if (opts.out === undefined) return fail(err, `--out DIR is required (the plan directory to write)\n${usage}`);

  const started = performance.now();
  let generated: GeneratedPlan;
  try {
    generated = generatePlan(spec, seededRandom(seed));
  } catch (e) {
    return fail(err, (e as Error).message);
  }
  const { plan, addressPlan } = generated;
  const files = renderPlanYaml(plan, addressPlan, {
    generator: `extranet plan generate ${label} --seed ${seed}`,
    notes: ['a synthetic plan for scale tests and demos: names, codes and addresses are made up.'],
  });
  const dir = path.resolve(opts.out);
  await mkdir(dir, { recursive: true });
  let bytes = 0;
  for (const [name, text] of Object.entries(files) as [string, string][]) {
    bytes += Buffer.byteLength(text);
    await writeFile(path.join(dir, name), text);
  }
  const tiers = (t: string) => plan.sites.filter((s) => s.tier === t).length;
  const planned = plan.sites.filter((s) => s.status === 'planned').length;
  const backups = plan.links.filter((l) => l.kind === 'backup' && l.tier === 'county-township').length;
  out(
    `plan ${plan.name}: ${tiers('county')} county-level units, ${tiers('township')} townships (${planned} sites planned, ` +
      `${backups} township backups), ${plan.devices.length} devices, ${plan.links.length} links — ` +
      `${(bytes / 1e6).toFixed(1)} MB in ${path.relative(process.cwd(), dir) || '.'} (${Math.round(performance.now() - started)} ms)`,
  );
  return 0;
}

function fail(err: Out, message: string): number {
  err(message);
  return 2;
}

function printIssues(issues: readonly PlanIssue[], out: Out): void {
  out(`plan is invalid (${issues.length} issue${issues.length === 1 ? '' : 's'}):`);
  for (const i of issues) {
    const where = `${i.file}${i.line !== undefined ? `:${i.line}` : ''}`;
    out(`  ${where}: ${i.path || '(root)'}: ${i.message} [${i.code}]${i.hint ? `\n      fix: ${i.hint}` : ''}`);
  }
}

export function printDiff(diff: PlanDiff, out: Out): void {
  for (const [kind, d] of Object.entries(diff)) {
    if (!d || typeof d !== 'object' || !('added' in d)) continue;
    const { added, changed, removed } = d as { added: string[]; changed: { key: string; fields: string[] }[]; removed: string[] };
    if (!added.length && !changed.length && !removed.length) continue;
    out(`  ${kind}: +${added.length} added, ~${changed.length} changed, -${removed.length} removed`);
    const show = (sign: string, items: string[]) => {
      for (const k of items.slice(0, 20)) out(`    ${sign} ${k}`);
      if (items.length > 20) out(`    … and ${items.length - 20} more`);
    };
    show('+', added);
    show(
      '~',
      changed.map((c) => `${c.key} (${c.fields.join(', ')})`),
    );
    show('-', removed);
  }
}
