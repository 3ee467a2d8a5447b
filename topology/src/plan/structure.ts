import { z } from 'zod';
import { formatPath, issue, type PlanIssue } from './issues';
import {
  PLAN_FILE_NAMES,
  PLAN_FILE_SCHEMAS,
  type DevicesFile,
  type LinksFile,
  type PlanFile,
  type PlanFileName,
  type SitesFile,
} from './schema';
import { didYouMean } from './suggest';

/**
 * Step one of validation: each file against its own schema. Turns zod's issues
 * into PlanIssues with our codes, paths and hints. No cross-file rule here.
 */

/** One file of a plan directory as the loader read it: its name and parsed YAML. */
export interface PlanFileInput {
  /** File name; its last path segment selects the schema (plan.yaml, sites.yaml, …). */
  file: string;
  data: unknown;
}

/** The four files, each parsed and defaulted, with the names issues should report. */
export interface PlanSections {
  plan: PlanFile;
  sites: SitesFile['sites'];
  devices: DevicesFile['devices'];
  links: LinksFile['links'];
  /** The name each file was given as, so later issues report the caller's file names. */
  fileOf: Record<PlanFileName, string>;
}

/** Keys that look like credentials: they get a hint saying where secrets belong. */
const CREDENTIAL_KEY = /community|password|passphrase|secret|authkey|privkey|auth_?key|priv_?key|credential/i;

/**
 * Parses each file with its schema. Fails if any file is missing, unknown,
 * given twice, or does not match its schema; every such problem is reported.
 */
export function parsePlanFiles(files: readonly PlanFileInput[]): { ok: true; sections: PlanSections } | { ok: false; issues: PlanIssue[] } {
  const issues: PlanIssue[] = [];
  const parsed = new Map<PlanFileName, { file: string; data: unknown }>();
  for (const { file, data } of files) {
    const base = file.split(/[\\/]/).pop() ?? file;
    if (!isPlanFileName(base)) {
      issues.push(
        issue(
          file,
          '',
          'unknown-file',
          `${base} is not a file of the plan format`,
          didYouMean(base, PLAN_FILE_NAMES) ?? `the files are ${PLAN_FILE_NAMES.join(', ')}`,
        ),
      );
      continue;
    }
    if (parsed.has(base)) {
      issues.push(issue(file, '', 'duplicate', `${base} is given twice`));
      continue;
    }
    const schema: z.ZodType = PLAN_FILE_SCHEMAS[base];
    const result = schema.safeParse(data, { reportInput: true });
    if (result.success) parsed.set(base, { file, data: result.data });
    else {
      issues.push(...result.error.issues.flatMap((zodIssue) => toPlanIssues(file, schema, zodIssue)));
      parsed.set(base, { file, data: undefined });
    }
  }
  for (const name of PLAN_FILE_NAMES) {
    if (!parsed.has(name)) {
      issues.push(issue(name, '', 'missing-file', `${name} is missing`, `create ${name}; plans/README.md describes it`));
    }
  }
  if (issues.length > 0) return { ok: false, issues };

  const get = (name: PlanFileName) => parsed.get(name)!;
  return {
    ok: true,
    sections: {
      plan: get('plan.yaml').data as PlanFile,
      sites: (get('sites.yaml').data as SitesFile).sites,
      devices: (get('devices.yaml').data as DevicesFile).devices,
      links: (get('links.yaml').data as LinksFile).links,
      fileOf: Object.fromEntries(PLAN_FILE_NAMES.map((name) => [name, get(name).file])) as Record<PlanFileName, string>,
    },
  };
}

function isPlanFileName(name: string): name is PlanFileName {
  return Object.hasOwn(PLAN_FILE_SCHEMAS, name);
}

/** Maps one zod issue to our codes; an unknown-keys issue becomes one PlanIssue per key. */
function toPlanIssues(file: string, schema: z.ZodType, zodIssue: z.core.$ZodIssue): PlanIssue[] {
  const path = formatPath(zodIssue.path);
  const at = (key: PropertyKey) => formatPath([...zodIssue.path, key]);
  const input = (zodIssue as { input?: unknown }).input;

  if (zodIssue.code === 'unrecognized_keys') {
    const allowed = keysAt(schema, zodIssue.path);
    return zodIssue.keys.map((key) =>
      issue(
        file,
        at(key),
        'unknown-key',
        `unknown key "${key}"`,
        CREDENTIAL_KEY.test(key)
          ? 'credentials never go in the plan: reference an SNMP profile by name (snmpProfile) ' +
              'and keep its secrets in the SNMP profile configuration'
          : (didYouMean(key, allowed) ?? `allowed keys: ${allowed.join(', ')}`),
      ),
    );
  }
  if (zodIssue.code === 'invalid_type' && zodIssue.path.length === 0 && (input === undefined || input === null)) {
    // An empty YAML document parses to null.
    return [issue(file, path, 'invalid', `${file} is empty`, `it must be a mapping with the keys ${keysAt(schema, []).join(', ')}`)];
  }
  if (zodIssue.code === 'invalid_type' && input === undefined) {
    return [issue(file, path, 'required', `${String(zodIssue.path.at(-1))} is required`)];
  }
  if (zodIssue.code === 'invalid_type' && zodIssue.path.length === 0) {
    return [
      issue(file, path, 'invalid', `${file} must be a mapping, not ${describe(input)}`, `its keys are ${keysAt(schema, []).join(', ')}`),
    ];
  }
  if (zodIssue.code === 'invalid_type' && input === null) {
    return [issue(file, path, 'invalid', `${String(zodIssue.path.at(-1))} is empty`, 'give it a value or remove the key')];
  }
  if (zodIssue.code === 'invalid_value') {
    const values = zodIssue.values.map(String);
    const hint = typeof input === 'string' ? didYouMean(input, values) : undefined;
    return [issue(file, path, 'invalid', `${JSON.stringify(input)} is not one of ${values.join(' | ')}`, hint)];
  }
  return [issue(file, path, 'invalid', zodIssue.message)];
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

/** The keys an object schema at `path` allows, for "did you mean" on unknown keys. */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: unknown = schema;
  for (const segment of [...path, undefined]) {
    // Unwrap defaults and optionals until a container is reached.
    while (current instanceof z.ZodDefault || current instanceof z.ZodOptional) current = current.unwrap();
    if (segment === undefined) break;
    if (current instanceof z.ZodArray) current = current.element;
    else if (current instanceof z.ZodObject) current = current.shape[String(segment)];
    else return [];
  }
  return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}
