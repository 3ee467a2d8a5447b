import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  DomainError,
  defaultAlertRules,
  formatIssue,
  parseAlertRules,
  planInvalidError,
  type AlertRules,
  type PlanIssue,
} from '@extranet/topology';
import { parseDocument } from 'yaml';
import { tooDeepIssue } from '../plan/load';
import { tooDeepAt } from '../plan/nesting';

/** The rules file's name, beside the plan's files. */
export const ALERT_RULES_FILE = 'alerts.yaml';

/**
 * The alert rules of a plan directory: `alerts.yaml` when it exists (validated
 * strictly, like the plan), else the built-in defaults. A bad file is refused
 * with every issue (file, path, fix), never half-applied.
 * @throws DomainError PLAN_INVALID listing the file's issues
 */
export async function loadAlertRules(dir: string): Promise<{ rules: AlertRules; source: string }> {
  const file = path.join(dir, ALERT_RULES_FILE);
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  if (text === undefined) return { rules: defaultAlertRules(), source: 'defaults' };
  const deep = tooDeepAt(text);
  if (deep !== undefined) throw planInvalidError([tooDeepIssue(ALERT_RULES_FILE, deep)], file);
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw planInvalidError([{ file: ALERT_RULES_FILE, path: '', code: 'yaml', message: doc.errors[0]!.message }], file);
  }
  const r = parseAlertRules(doc.toJS(), ALERT_RULES_FILE);
  if (!r.ok) throw planInvalidError(r.issues, file);
  return { rules: r.rules, source: file };
}

export { formatIssue };

/** The rules file's issues (empty when it is valid or absent), for `extranet plan validate`. */
export async function alertRulesIssues(dir: string): Promise<PlanIssue[]> {
  try {
    await loadAlertRules(dir);
    return [];
  } catch (e) {
    if (e instanceof DomainError && e.code === 'PLAN_INVALID') return (e.details?.issues as PlanIssue[] | undefined) ?? [];
    throw e;
  }
}
