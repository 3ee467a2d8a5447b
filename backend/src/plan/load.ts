import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  PLAN_FILE_NAMES,
  parsePath,
  planInvalidError,
  validatePlan,
  type Plan,
  type PlanFileInput,
  type PlanIssue,
  type PlanValidation,
} from '@extranet/topology';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { MAX_YAML_DEPTH, tooDeepAt } from './nesting';
import { WORKER_PARSE_FROM_BYTES, parseYamlFileInWorker } from './parse-worker';

/**
 * The I/O edge of plans: reads the four YAML files of a plan directory, turns
 * YAML syntax errors into issues with their line, hands the data to the pure
 * `validatePlan`, and puts a line number on every issue it can locate.
 *
 * Two parsers, one result. A valid plan is read with js-yaml (YAML 1.2 core
 * schema, duplicate keys refused), which is about ten times faster and far
 * lighter than building `yaml`'s document tree — what makes a national plan of
 * 40 MB load in seconds. Only a file that js-yaml refuses, or that holds an
 * issue, is parsed again with `yaml`'s document API, whose source positions
 * give the YAML error's message and every issue's line.
 */

interface ReadFile {
  input: PlanFileInput;
  text: string;
  doc?: Document;
  lines?: LineCounter;
  /** Nested past MAX_YAML_DEPTH: not given to the document parser (issues keep no line). */
  tooDeep?: boolean;
}

/**
 * Loads and validates the plan in `dir` (plan.yaml, sites.yaml, devices.yaml,
 * links.yaml). Never throws for a bad plan: every problem comes back as an
 * issue; issue `file`s are names inside `dir`, e.g. `links.yaml`.
 *
 * @example
 * const r = await loadPlanDir('plans/huizhou');
 * if (!r.ok) for (const issue of r.errors) console.log(formatIssue(issue));
 */
export async function loadPlanDir(dir: string): Promise<PlanValidation> {
  const isDir = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) {
    return { ok: false, errors: [{ file: dir, path: '', code: 'missing-file', message: `plan directory ${dir} does not exist` }] };
  }
  const syntaxIssues: PlanIssue[] = [];
  const read = await Promise.all(PLAN_FILE_NAMES.map((name) => readPlanFile(dir, name, syntaxIssues)));
  const present = read.filter((r): r is ReadFile => r !== undefined);
  const result = validatePlan(present.map((r) => r.input));
  if (result.ok && syntaxIssues.length === 0) return result;

  // A file with a YAML syntax error was left out of validation: drop the
  // validator's "missing" for it and report the syntax error instead.
  const broken = new Set(syntaxIssues.map((i) => i.file));
  const validation = result.ok ? [] : result.errors.filter((i) => !(i.code === 'missing-file' && broken.has(i.file)));
  const byName = new Map(present.map((r) => [r.input.file, r]));
  const renamed = await alternativeNames(dir);
  const errors = [...syntaxIssues, ...validation].map((issue) => locate(issue, byName.get(issue.file), renamed));
  return { ok: false, errors };
}

/**
 * {@link loadPlanDir} for callers that want the Plan or an exception:
 * throws `DomainError('PLAN_INVALID')` (HTTP 422) with every issue in `details.issues`.
 */
export async function loadPlanOrThrow(dir: string): Promise<Plan> {
  const result = await loadPlanDir(dir);
  if (!result.ok) throw planInvalidError(result.errors, dir);
  return result.plan;
}

/** Reads and parses one file; undefined when it is absent (the validator reports that) or unparsable. */
async function readPlanFile(dir: string, name: string, issues: PlanIssue[]): Promise<ReadFile | undefined> {
  let text: string;
  let big: boolean;
  const where = path.join(dir, name);
  try {
    // A large file is parsed on a worker thread (a plan's big files side by side); its text is read here for issues.
    big = (await stat(where)).size >= WORKER_PARSE_FROM_BYTES;
    const parsed = big ? parseYamlFileInWorker(where) : undefined;
    text = await readFile(where, 'utf8');
    const r = await parsed;
    if (r?.ok) return { input: { file: name, data: r.data }, text };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    issues.push({ file: name, path: '', code: 'missing-file', message: `cannot read ${name}: ${(err as Error).message}` });
    return undefined;
  }
  try {
    // A large file refused on its worker goes straight to the document parser below.
    if (!big) return { input: { file: name, data: loadYaml(text, { schema: CORE_SCHEMA }) }, text };
  } catch {
    // Refused by the fast parser: the document parser says why, with the line.
  }
  // Unless the file nests so deep that the document parser would exhaust the stack (see nesting.ts).
  // Checked only here and before locating issues: a valid plan does not pay for the scan.
  const deep = tooDeepAt(text);
  if (deep !== undefined) {
    issues.push(tooDeepIssue(name, deep));
    return undefined;
  }
  const file: ReadFile = { input: { file: name, data: undefined }, text };
  documentOf(file);
  const error = file.doc!.errors[0];
  if (error !== undefined) {
    const line = error.linePos?.[0].line ?? file.lines!.linePos(error.pos[0]).line;
    issues.push({
      file: name,
      path: '',
      code: 'yaml',
      line,
      message: `YAML syntax error: ${error.message.split('\n')[0]}`,
      hint: 'check indentation, colons and quotes on that line',
    });
    return undefined;
  }
  file.input.data = file.doc!.toJS();
  return file;
}

/**
 * A file nested past {@link MAX_YAML_DEPTH} levels, refused before parsing (the parsers would exhaust
 * the stack: see nesting.ts).
 */
export function tooDeepIssue(file: string, line: number): PlanIssue {
  return {
    file,
    path: '',
    code: 'yaml',
    line,
    message: `YAML nested more than ${MAX_YAML_DEPTH} levels deep`,
    hint: 'a plan file nests a few levels: check the brackets and dashes on that line',
  };
}

/** Parses the file's text into `yaml`'s document tree (with source positions), once. */
function documentOf(file: ReadFile): ReadFile {
  if (file.doc === undefined) {
    file.lines = new LineCounter();
    // uniqueKeys: a key given twice in one mapping is an error, not a silent "last one wins".
    file.doc = parseDocument(file.text, { lineCounter: file.lines, prettyErrors: false, uniqueKeys: true });
  }
  return file;
}

/** Adds the line of the issue's path (or of its nearest existing ancestor) and a rename hint for `.yml` files. */
function locate(issue: PlanIssue, file: ReadFile | undefined, renamed: Map<string, string>): PlanIssue {
  if (issue.code === 'missing-file' && renamed.has(issue.file)) {
    return { ...issue, hint: `rename ${renamed.get(issue.file)} to ${issue.file}` };
  }
  if (issue.line !== undefined || file === undefined) return issue;
  if ((file.tooDeep ??= tooDeepAt(file.text) !== undefined)) return issue;
  documentOf(file);
  if (file.doc === undefined || file.lines === undefined) return issue;
  const segments = parsePath(issue.path);
  for (let n = segments.length; n >= 0; n--) {
    const node = file.doc.getIn(segments.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node?.range !== undefined) return { ...issue, line: file.lines.linePos(node.range[0]).line };
  }
  return issue;
}

/** plan files present under the wrong extension (`sites.yml`), keyed by the expected name. */
async function alternativeNames(dir: string): Promise<Map<string, string>> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  const found = new Map<string, string>();
  for (const name of PLAN_FILE_NAMES) {
    const yml = name.replace(/\.yaml$/, '.yml');
    if (entries.includes(yml)) found.set(name, yml);
  }
  return found;
}
