import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DomainError, defaultAlertRules } from '@extranet/topology';
import { repoRoot } from '../config';
import { alertRulesIssues, loadAlertRules } from './rules-file';

describe('the rules file beside the plan', () => {
  it('plans/huizhou/alerts.yaml states the defaults', async () => {
    const r = await loadAlertRules(path.join(repoRoot, 'plans', 'huizhou'));
    const strip = (x: ReturnType<typeof defaultAlertRules>) => ({ ...x, rules: x.rules.map(({ summary: _s, ...rest }) => rest) });
    expect(strip(r.rules)).toEqual(strip(defaultAlertRules()));
    expect(r.source).toMatch(/alerts\.yaml$/);
  });

  it('no file: the defaults; a bad file: PLAN_INVALID naming the path and the fix', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'alerts-'));
    expect((await loadAlertRules(dir)).source).toBe('defaults');
    await writeFile(path.join(dir, 'alerts.yaml'), 'rules:\n  - { name: x, kind: link-down, for: 5 }\n');
    const e = await loadAlertRules(dir).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DomainError);
    expect(e).toMatchObject({ code: 'PLAN_INVALID', field: 'alerts.yaml:rules[0].for' });
    expect((await alertRulesIssues(dir)).map((i) => [i.file, i.path, i.code])).toEqual([['alerts.yaml', 'rules[0].for', 'invalid']]);
  });
});
