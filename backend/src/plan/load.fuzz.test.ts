import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { formatIssue, PLAN_FILE_NAMES, type PlanIssue } from '@extranet/topology';
import fc from 'fast-check';
import { dump, load } from 'js-yaml';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { alertRulesIssues } from '../alerts/rules-file';
import { loadAddressPlan } from '../ipam/address-plan';
import { loadPlanDir, loadPlanOrThrow } from './load';

/**
 * Fuzzing the plan loader with mutated YAML: what `extranet plan validate` and
 * `plan import` read (the four plan files through `loadPlanDir`, then
 * address-plan.yaml and alerts.yaml) — keys dropped, values of another type,
 * duplicated keys and entries, wrong codes, deep nesting, huge numbers, random
 * unicode, the text cut short or spliced. The loader must answer every one with
 * issues (file, path, code, message) or a valid plan: never throw, never hang.
 */

const MINI = path.resolve(__dirname, '../../../tests/fixtures/plans/mini');
const HUIZHOU = path.resolve(__dirname, '../../../plans/huizhou');

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path into a parsed document (its containers and leaves). */
function paths(v: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

const odd = fc.oneof(
  fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, -0, 0.5, 1e21, Number.MAX_SAFE_INTEGER * 1000, 1e20),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('', ' ', 'null', '~', '441302', '4413020019999', 'GigabitEthernet0/0/99', '10.0.0.0/33', '惠州', 'é\u0301', '\u202e'),
  fc.boolean(),
  fc.constant(null),
  fc.integer(),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

type Mutation =
  | { kind: 'drop'; pick: number }
  | { kind: 'replace'; pick: number; value: Json }
  | { kind: 'duplicate-entry'; pick: number }
  | { kind: 'nest'; pick: number; depth: number; asArray: boolean };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), pick: fc.nat(), value: odd }),
  fc.record({ kind: fc.constant('duplicate-entry' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('nest' as const), pick: fc.nat(), depth: fc.integer({ min: 1, max: 200 }), asArray: fc.boolean() }),
);

/** Applies a structural mutation to a copy of `doc`. */
function mutate(doc: Json, m: Mutation): Json {
  const copy = structuredClone(doc);
  const all = paths(copy);
  const at = all[m.pick % all.length]!;
  if (at.length === 0) {
    if (m.kind === 'replace') return m.value;
    if (m.kind === 'nest') return nest(copy, m.depth, m.asArray);
    return m.kind === 'drop' ? null : copy;
  }
  const parent = at.slice(0, -1).reduce<Json>((v, k) => (v as Record<string | number, Json>)[k]!, copy) as
    Record<string | number, Json> | Json[];
  const key = at[at.length - 1]!;
  if (m.kind === 'drop') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else if (m.kind === 'replace') (parent as Record<string | number, Json>)[key] = m.value;
  else if (m.kind === 'nest')
    (parent as Record<string | number, Json>)[key] = nest((parent as Record<string | number, Json>)[key]!, m.depth, m.asArray);
  else if (Array.isArray(parent)) parent.splice(key as number, 0, structuredClone(parent[key as number]!));
  return copy;
}

function nest(v: Json, depth: number, asArray: boolean): Json {
  let out = v;
  for (let i = 0; i < depth; i++) out = asArray ? [out] : { x: out };
  return out;
}

type TextMutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'duplicate-line'; at: number }
  | { kind: 'delete-line'; at: number }
  | { kind: 'deep'; at: number; depth: number; open: '[' | '{' };

const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.constantFrom(
        ':',
        ': ',
        '- ',
        '\t',
        '"',
        "'",
        '&a ',
        '*a',
        '!!js/function ',
        '!!binary x',
        '? ',
        '%YAML 1.1\n---\n',
        '<<: *a\n',
        '\n  ',
        '{',
        '[',
      ),
    ),
  }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('delete-line' as const), at: fc.nat() }),
  // Nesting from 50 levels (within the depth guard: a schema issue) to 5,000 (refused before parsing).
  fc.record({
    kind: fc.constant('deep' as const),
    at: fc.nat(),
    depth: fc.integer({ min: 50, max: 5_000 }),
    open: fc.constantFrom('[' as const, '{' as const),
  }),
);

function mutateText(text: string, m: TextMutation): string {
  const lines = text.split('\n');
  switch (m.kind) {
    case 'truncate':
      return text.slice(0, m.at % (text.length + 1));
    case 'insert': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case 'duplicate-line': {
      const i = m.at % lines.length;
      lines.splice(i, 0, lines[i]!);
      return lines.join('\n');
    }
    case 'delete-line':
      lines.splice(m.at % lines.length, 1);
      return lines.join('\n');
    case 'deep': {
      // A value nested `depth` levels deep in flow style, put in place of one line's value.
      const i = m.at % lines.length;
      const close = m.open === '[' ? ']' : '}';
      const inner = m.open === '[' ? '1' : 'a: 1';
      const deep = `${m.open.repeat(m.depth)}${inner}${close.repeat(m.depth)}`;
      lines[i] = /:\s/.test(lines[i]!) ? lines[i]!.replace(/:\s.*$/, `: ${deep}`) : `${lines[i]}${deep}`;
      return lines.join('\n');
    }
  }
}

/** What every answer must look like: a plan, or issues with a file, a path and a code. */
function checkIssues(errors: readonly PlanIssue[]): void {
  expect(errors.length).toBeGreaterThan(0);
  for (const issue of errors) {
    expect(typeof issue.file).toBe('string');
    expect(typeof issue.path).toBe('string');
    expect(typeof issue.code).toBe('string');
    expect(typeof issue.message).toBe('string');
    expect(issue.message.length).toBeGreaterThan(0);
    formatIssue(issue); // what the CLI prints
  }
}

let dir: string;
const original = new Map<string, string>();
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'extranet-plan-fuzz-'));
  for (const name of PLAN_FILE_NAMES) original.set(name, await readFile(path.join(MINI, name), 'utf8'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Writes the mini plan with `file` replaced by `text`, and loads it the way `plan validate` does. */
async function loadWith(file: string, text: string) {
  for (const [name, t] of original) await writeFile(path.join(dir, name), name === file ? text : t);
  return loadPlanDir(dir);
}

const planFile = fc.constantFrom(...PLAN_FILE_NAMES);
/** Cases run per property, logged. */
let runs = 0;
/** Cases per property (seeded: the same cases every run; `PLAN_FUZZ_RUNS` for more), and the longest one may take: a hang fails. */
const RUNS = Number(process.env.PLAN_FUZZ_RUNS ?? 40);
const CASE_MS = 5_000;
const SEED = Number(process.env.PLAN_FUZZ_SEED ?? 0);

/**
 * Found by the fuzz: a file nested a few thousand levels deep (`[[[[…`, `- - - …`, `{{{…`) overflowed the
 * YAML parsers' stack — reported as the YAML error "Maximum call stack size exceeded" after a second of
 * work, and with flow mappings as keys the test worker died out of memory. Refused before parsing now.
 */
describe('regression: nesting thousands of levels deep', () => {
  const deep = {
    'flow sequences': `sites: ${'['.repeat(5000)}1${']'.repeat(5000)}\n`,
    'flow mappings as keys': `sites: ${'{'.repeat(5000)}a: 1${'}'.repeat(5000)}\n`,
    'compact block sequences': `sites:\n${'- '.repeat(5000)}1\n`,
  };
  for (const [what, text] of Object.entries(deep)) {
    it(`${what}: one YAML issue at its line, at once`, async () => {
      const started = performance.now();
      const r = await loadWith('sites.yaml', text);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.errors).toEqual([
        expect.objectContaining({ file: 'sites.yaml', code: 'yaml', message: 'YAML nested more than 64 levels deep' }),
      ]);
      expect(r.errors[0]!.line).toBe(what === 'compact block sequences' ? 2 : 1);
      expect(performance.now() - started).toBeLessThan(1000);
    });
  }
  it('the same in address-plan.yaml and alerts.yaml', async () => {
    const side = await mkdtemp(path.join(os.tmpdir(), 'extranet-plan-fuzz-'));
    try {
      await writeFile(path.join(side, 'address-plan.yaml'), deep['flow sequences']);
      await writeFile(path.join(side, 'alerts.yaml'), deep['flow mappings as keys']);
      const ap = await loadAddressPlan(side);
      expect(ap.ok ? [] : ap.errors).toEqual([
        expect.objectContaining({ code: 'yaml', line: 1, message: 'YAML nested more than 64 levels deep' }),
      ]);
      expect(await alertRulesIssues(side)).toEqual([expect.objectContaining({ code: 'yaml', line: 1 })]);
    } finally {
      await rm(side, { recursive: true, force: true });
    }
  });
});

describe('the plan loader under mutated YAML', () => {
  beforeEach(() => {
    runs = 0;
  });
  afterEach((ctx) => {
    if (runs > 0) console.log(`${ctx.task.name.split(' (')[0]}: ${runs} cases`);
  });

  it('the unmutated mini plan is valid (the mutations start from a valid plan)', async () => {
    expect((await loadPlanDir(MINI)).ok).toBe(true);
  });

  it('structural mutations (dropped keys, other types, duplicated entries, deep nesting, huge numbers, unicode): issues or a plan, never a throw', async () => {
    await fc.assert(
      fc.asyncProperty(planFile, fc.array(mutation, { minLength: 1, maxLength: 3 }), async (file, ms) => {
        let doc = load(original.get(file)!) as Json;
        for (const m of ms) doc = mutate(doc, m);
        const r = await loadWith(file, dump(doc, { noRefs: true, flowLevel: 40 }));
        if (!r.ok) checkIssues(r.errors);
        runs++;
      }),
      { numRuns: RUNS, timeout: CASE_MS, seed: SEED + 10 },
    );
    expect(runs).toBe(RUNS);
  });

  it('text mutations (cut short, spliced characters, duplicated or deleted lines, 5,000-deep flow nesting): issues or a plan, never a throw', async () => {
    await fc.assert(
      fc.asyncProperty(planFile, fc.array(textMutation, { minLength: 1, maxLength: 3 }), async (file, ms) => {
        let text = original.get(file)!;
        for (const m of ms) text = mutateText(text, m);
        const r = await loadWith(file, text);
        if (!r.ok) checkIssues(r.errors);
        runs++;
      }),
      { numRuns: RUNS, timeout: CASE_MS, seed: SEED + 11 },
    );
    expect(runs).toBe(RUNS);
  });

  it('a mutated address-plan.yaml or alerts.yaml of the Huizhou plan: issues or a value, never a throw', async () => {
    const plan = await loadPlanOrThrow(HUIZHOU);
    const files = {
      'address-plan.yaml': await readFile(path.join(HUIZHOU, 'address-plan.yaml'), 'utf8'),
      'alerts.yaml': await readFile(path.join(HUIZHOU, 'alerts.yaml'), 'utf8'),
    };
    const side = await mkdtemp(path.join(os.tmpdir(), 'extranet-plan-fuzz-'));
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('address-plan.yaml' as const, 'alerts.yaml' as const),
          fc.oneof(fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.array(textMutation, { minLength: 1, maxLength: 2 })),
          async (file, ms) => {
            let text = files[file];
            if ('pick' in ms[0]!) {
              let doc = load(text) as Json;
              for (const m of ms as Mutation[]) doc = mutate(doc, m);
              text = dump(doc, { noRefs: true, flowLevel: 40 });
            } else for (const m of ms as TextMutation[]) text = mutateText(text, m);
            await writeFile(path.join(side, 'address-plan.yaml'), file === 'address-plan.yaml' ? text : files['address-plan.yaml']);
            await writeFile(path.join(side, 'alerts.yaml'), file === 'alerts.yaml' ? text : files['alerts.yaml']);
            const ap = await loadAddressPlan(side, plan);
            if (!ap.ok) checkIssues(ap.errors);
            const alerts = await alertRulesIssues(side);
            if (alerts.length > 0) checkIssues(alerts);
            runs++;
          },
        ),
        { numRuns: RUNS, timeout: CASE_MS, seed: SEED + 12 },
      );
      expect(runs).toBe(RUNS);
    } finally {
      await rm(side, { recursive: true, force: true });
    }
  });
});
