import { checkDevices } from './check-devices';
import { checkLinks } from './check-links';
import { checkSites } from './check-sites';
import { checkUplinks } from './check-uplinks';
import { planInvalidError, type PlanIssue } from './issues';
import { indexPlan } from './plan-index';
import { parsePlanFiles, type PlanFileInput, type PlanSections } from './structure';
import type { Device, Interface, Link, Plan, Site } from './types';

/**
 * Validation of a plan directory's files, pure: parsed YAML in, a compiled
 * {@link Plan} or every issue out. Three stages, each run only when the one
 * before found nothing, so one mistake yields one issue rather than a cascade:
 * 1. each file against its schema (structure.ts);
 * 2. references, uniqueness and the site hierarchy (check-sites/devices/links.ts);
 * 3. the connection rule: every built site has a built uplink (check-uplinks.ts).
 * Within a stage every issue is reported, sorted by file and document order.
 */

/** Outcome of {@link validatePlan}. */
export type PlanValidation = { ok: true; plan: Plan } | { ok: false; errors: PlanIssue[] };

/**
 * Validates the files of one plan directory and compiles them into a Plan:
 * defaults applied (site and link status `built`, link `targetMbps` from the
 * plan's target for its tier, empty `interfaces` and `snmpProfiles`).
 *
 * @example
 * const result = validatePlan([
 *   { file: 'plan.yaml', data: { name: 'mini', city: '4413', targets: {...}, snmpProfiles: ['v3'] } },
 *   { file: 'sites.yaml', data: { sites: [...] } },
 *   { file: 'devices.yaml', data: { devices: [...] } },
 *   { file: 'links.yaml', data: { links: [...] } },
 * ]);
 * if (!result.ok) console.log(result.errors.map(formatIssue).join('\n'));
 */
export function validatePlan(files: readonly PlanFileInput[]): PlanValidation {
  const parsed = parsePlanFiles(files);
  if (!parsed.ok) return { ok: false, errors: sortIssues(parsed.issues) };
  const index = indexPlan(parsed.sections);
  const references = [...checkSites(index), ...checkDevices(index), ...checkLinks(index)];
  if (references.length > 0) return { ok: false, errors: sortIssues(references) };
  // The connection rule runs only on a plan whose references all resolve: a
  // mistyped hostname would otherwise also surface as a "no uplink" elsewhere.
  const connection = checkUplinks(index);
  if (connection.length > 0) return { ok: false, errors: sortIssues(connection) };
  return { ok: true, plan: compilePlan(parsed.sections) };
}

/**
 * {@link validatePlan} for callers that want the Plan or an exception:
 * throws `DomainError('PLAN_INVALID')` with every issue in `details.issues`.
 */
export function validatePlanOrThrow(files: readonly PlanFileInput[], source?: string): Plan {
  const result = validatePlan(files);
  if (!result.ok) throw planInvalidError(result.errors, source);
  return result.plan;
}

/** Throws `DomainError('PLAN_INVALID')` unless the validation succeeded; returns the Plan. */
export function throwIfInvalid(result: PlanValidation, source?: string): Plan {
  if (!result.ok) throw planInvalidError(result.errors, source);
  return result.plan;
}

function compilePlan(s: PlanSections): Plan {
  return {
    name: s.plan.name,
    city: s.plan.city,
    targets: { ...s.plan.targets },
    snmpProfiles: [...s.plan.snmpProfiles],
    sites: s.sites.map((site): Site => defined({ ...site })),
    devices: s.devices.map((device): Device =>
      defined({ ...device, interfaces: device.interfaces.map((i): Interface => defined({ ...i })) }),
    ),
    links: s.links.map((link): Link =>
      defined({ ...link, a: { ...link.a }, b: { ...link.b }, targetMbps: link.targetMbps ?? s.plan.targets[link.tier] }),
    ),
  };
}

/** Drops keys whose value is undefined, so compiled records compare and serialise cleanly. */
function defined<T extends object>(record: T): T {
  // In place on the fresh copy each caller makes (a national plan has 200,000 records).
  for (const key of Object.keys(record) as (keyof T)[]) if (record[key] === undefined) delete record[key];
  return record;
}

const FILE_ORDER = ['plan.yaml', 'sites.yaml', 'devices.yaml', 'links.yaml'];

/** Stable order: by file (format order), then by list position in the path, then by path text. */
function sortIssues(issues: PlanIssue[]): PlanIssue[] {
  const rank = (file: string) => FILE_ORDER.indexOf(file.split(/[\\/]/).pop() ?? file);
  const fileRank = (file: string) => (rank(file) < 0 ? FILE_ORDER.length : rank(file)); // unknown files last
  const position = (path: string) => Number(/^\w+\[(\d+)\]/.exec(path)?.[1] ?? -1);
  return issues
    .map((issue, order) => ({ issue, order }))
    .sort((x, y) => fileRank(x.issue.file) - fileRank(y.issue.file) || position(x.issue.path) - position(y.issue.path) || x.order - y.order)
    .map(({ issue }) => issue);
}
