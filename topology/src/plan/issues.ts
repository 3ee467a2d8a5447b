import { DomainError } from '../errors';

/**
 * The closed set of plan issue codes. Tests and tools match these, never the prose.
 *
 * | code | meaning |
 * |---|---|
 * | `missing-file` | one of plan.yaml, sites.yaml, devices.yaml, links.yaml is absent |
 * | `unknown-file` | a file name the plan format does not define |
 * | `yaml` | the file is not valid YAML (the issue carries the line) |
 * | `unknown-key` | a key the format does not define (typos, credentials) |
 * | `required` | a required field is absent |
 * | `invalid` | a value of the wrong type, format or choice, or a contradiction within one record |
 * | `duplicate` | a site code, hostname, interface name (per device), link id or mgmtAddress used twice |
 * | `missing` | a reference to a site, device, interface or SNMP profile that does not exist |
 * | `cycle` | the site hierarchy loops back on itself |
 * | `wrong-tier` | a site's parent is not of the tier above (township → county-level → city) |
 * | `tier-mismatch` | a link's tier or kind does not match the sites (or roles) of its ends |
 * | `interface-in-use` | one interface is an end of two links |
 * | `no-uplink` | a built site has no built uplink from its parent's device |
 * | `status-mismatch` | a planned site with a built uplink, or a built site under a planned parent |
 */
export type PlanIssueCode =
  | 'missing-file'
  | 'unknown-file'
  | 'yaml'
  | 'unknown-key'
  | 'required'
  | 'invalid'
  | 'duplicate'
  | 'missing'
  | 'cycle'
  | 'wrong-tier'
  | 'tier-mismatch'
  | 'interface-in-use'
  | 'no-uplink'
  | 'status-mismatch';

/**
 * One problem found in a plan directory.
 *
 * @example
 * { file: 'links.yaml', path: 'links[3].b.interface', code: 'missing',
 *   message: 'hz-441302001-acc-01 has no interface GigabitEthernet0/0/9',
 *   hint: 'did you mean GigabitEthernet0/0/0?' }
 */
export interface PlanIssue {
  /** File name inside the plan directory, e.g. `links.yaml`. */
  file: string;
  /** Field path inside the file, e.g. `links[3].b.interface`; empty for the whole file. */
  path: string;
  message: string;
  /** How to fix it, when the validator can tell. */
  hint?: string;
  code: PlanIssueCode;
  /** 1-based line in the file, when the loader could locate the path (added at the I/O edge). */
  line?: number;
}

/** Builds an issue; an undefined `hint` is left out, so issues compare and serialise cleanly. */
export function issue(file: string, path: string, code: PlanIssueCode, message: string, hint?: string): PlanIssue {
  return hint === undefined ? { file, path, code, message } : { file, path, code, message, hint };
}

/** A path segment: an object key or an array index. */
export type PathSegment = string | number;

/**
 * Renders path segments the way the issue messages and README show them.
 *
 * @example formatPath(['links', 3, 'b', 'interface']) // 'links[3].b.interface'
 */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

/**
 * Inverse of {@link formatPath}: the loader uses it to find an issue's line in the YAML.
 * Keys never contain `.` or `[` in the plan format, so the split is unambiguous.
 *
 * @example parsePath('links[3].b.interface') // ['links', 3, 'b', 'interface']
 */
export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    segments.push(match[2] !== undefined ? Number(match[2]) : match[1]!);
  }
  return segments;
}

/** One line per issue, `file:line path: message (hint)`, for CLIs and error messages. */
export function formatIssue(issue: PlanIssue): string {
  const where = `${issue.file}${issue.line !== undefined ? `:${issue.line}` : ''}`;
  const path = issue.path === '' ? '' : ` ${issue.path}`;
  const hint = issue.hint === undefined ? '' : ` (${issue.hint})`;
  return `${where}${path}: [${issue.code}] ${issue.message}${hint}`;
}

/**
 * The one error a rejected plan becomes: `PLAN_INVALID` (HTTP 422), the first
 * issue's path as `field`, and every issue in `details.issues`.
 */
export function planInvalidError(issues: readonly PlanIssue[], source?: string): DomainError {
  const first = issues[0];
  const where = source === undefined ? 'plan' : `plan ${source}`;
  const count = `${issues.length} issue${issues.length === 1 ? '' : 's'}`;
  const message = first === undefined ? `${where} is invalid` : `${where} is invalid (${count}); first: ${formatIssue(first)}`;
  return new DomainError('PLAN_INVALID', message, {
    ...(first !== undefined && { field: first.path === '' ? first.file : `${first.file}:${first.path}` }),
    ...(first?.hint !== undefined && { hint: first.hint }),
    details: { ...(source !== undefined && { source }), issues: [...issues] },
  });
}
