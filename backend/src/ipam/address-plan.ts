import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  ADDRESS_PLAN_FILE,
  DomainError,
  planInvalidError,
  validateAddressPlan,
  type AddressPlan,
  type Plan,
  type PlanIssue,
} from '@extranet/topology';
import { parseDocument } from 'yaml';
import { tooDeepIssue } from '../plan/load';
import { tooDeepAt } from '../plan/nesting';

/**
 * Reads `address-plan.yaml` of a plan directory. `undefined` when the plan has
 * none (a plan may leave address management out); issues otherwise, in the
 * plan issue format.
 */
export async function loadAddressPlan(
  dir: string,
  plan?: Plan,
): Promise<{ ok: true; value: AddressPlan | undefined } | { ok: false; errors: PlanIssue[] }> {
  let text: string;
  try {
    text = await readFile(path.join(dir, ADDRESS_PLAN_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, value: undefined };
    throw e;
  }
  const deep = tooDeepAt(text);
  if (deep !== undefined) return { ok: false, errors: [tooDeepIssue(ADDRESS_PLAN_FILE, deep)] };
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length) {
    return {
      ok: false,
      errors: [{ file: ADDRESS_PLAN_FILE, path: '', code: 'yaml', message: `YAML syntax error: ${doc.errors[0]!.message}` }],
    };
  }
  const r = validateAddressPlan(doc.toJS(), plan);
  return r.ok ? { ok: true, value: r.value } : r;
}

/** The address plan or PLAN_INVALID / ADDRESS_PLAN_MISSING. */
export async function requireAddressPlan(dir: string, plan?: Plan): Promise<AddressPlan> {
  const r = await loadAddressPlan(dir, plan);
  if (!r.ok) throw planInvalidError(r.errors, dir);
  if (!r.value) {
    throw new DomainError('ADDRESS_PLAN_MISSING', `${dir} has no ${ADDRESS_PLAN_FILE}`, {
      hint: 'see plans/huizhou/address-plan.yaml and plans/README.md',
    });
  }
  return r.value;
}
