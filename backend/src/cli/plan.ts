import os from 'node:os';
import path from 'node:path';
import type { PlanDiff, PlanIssue } from '@extranet/topology';
import { alertRulesIssues } from '../alerts/rules-file';
import { loadConfig } from '../config';
import { Store } from '../neo4j/store';
import { loadAddressPlan } from '../ipam/address-plan';
import { loadPlanDir } from '../plan/load';
import { importPlan } from '../plan/service';
import { auditCli } from '../auth/audit';

type Out = (line: string) => void;

/** `extranet plan validate DIR`: exit code 0 when valid, 1 with every issue listed otherwise. */
export async function planValidate(dir: string, out: Out): Promise<number> {
  const r = await loadPlanDir(path.resolve(dir));
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

/** `extranet plan import DIR [--dry-run]`: one transaction; prints what was added, changed and removed. */
export async function planImport(dir: string, opts: { dryRun: boolean }, out: Out): Promise<number> {
  const r = await loadPlanDir(path.resolve(dir));
  if (!r.ok) {
    printIssues(r.errors, out);
    out('nothing was imported.');
    return 1;
  }
  const store = await Store.open(loadConfig(), (l) => process.stderr.write(`${l}\n`));
  try {
    const result = await importPlan(store, r.plan, { dryRun: opts.dryRun });
    if (result.changed && !opts.dryRun) {
      await auditCli(store, {
        actor: `cli:${os.userInfo().username}`,
        action: 'plan import',
        target: r.plan.name,
        after: { dir: path.resolve(dir) },
      });
    }
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
