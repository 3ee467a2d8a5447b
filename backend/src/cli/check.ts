import { loadConfig } from '../config';
import { Store } from '../neo4j/store';
import { readGraphFacts } from '../check/check-store';
import { checkGraph, type CheckReport } from '../check/rules';

type Out = (line: string) => void;

/**
 * `extranet check [--json]`: the consistency pass over the stored graph — the
 * address tree (no overlapping prefixes, each IN its smallest container, each
 * container's free list and used count what its children say), links with
 * both ends, interfaces on devices, devices at a site, no half-claimed
 * request key. Exit code 0 when all hold, 1 when some do not (for cron and
 * check scripts).
 */
export async function checkCommand(opts: { json: boolean }, out: Out): Promise<number> {
  const store = await Store.open(loadConfig(), (l) => process.stderr.write(`${l}\n`));
  try {
    const started = Date.now();
    const report = checkGraph(await store.read(readGraphFacts, { timeoutMs: Math.max(store.txTimeoutMs, 120_000) }));
    if (opts.json) out(JSON.stringify({ ...report, ms: Date.now() - started }, null, 2));
    else printReport(report, Date.now() - started, out);
    return report.ok ? 0 : 1;
  } finally {
    await store.close();
  }
}

/** The readable report: one line per issue, grouped by code, then a verdict. */
export function printReport(report: CheckReport, ms: number, out: Out): void {
  const { prefixes, links } = report.counts;
  out(`checked ${prefixes} prefixes and ${links} links in ${ms} ms`);
  const byCode = new Map<string, CheckReport['issues']>();
  for (const i of report.issues) byCode.set(i.code, [...(byCode.get(i.code) ?? []), i]);
  for (const [code, issues] of byCode) {
    out(`  ${code} (${issues.length}):`);
    for (const i of issues.slice(0, 50)) out(`    ${i.subject}: ${i.message}`);
    if (issues.length > 50) out(`    … and ${issues.length - 50} more (--json lists all)`);
  }
  out(report.ok ? 'consistent: every check holds.' : `INCONSISTENT: ${report.issues.length} issue(s).`);
}
