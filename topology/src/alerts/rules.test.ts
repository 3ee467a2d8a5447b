import { describe, expect, it } from 'vitest';
import { defaultAlertRules, parseAlertRules } from './rules';

describe('the alert rules file', () => {
  it('the defaults parse, with durations in ms and the file’s destinations on every rule', () => {
    const r = defaultAlertRules();
    expect(r.rules.map((x) => x.kind)).toEqual([
      'link-down',
      'device-unreachable',
      'link-below-target',
      'link-utilization',
      'link-errors',
      'site-backup-lost',
    ]);
    expect(r.rules.find((x) => x.kind === 'link-utilization')).toMatchObject({ forMs: 900_000, raisePct: 80, clearPct: 70 });
    expect(r.flapping).toEqual({ changes: 4, windowMs: 1_800_000 });
    expect(r.rules[0]!.destinations).toEqual(['alertmanager', 'webhook']);
  });

  it('a typo in a key names its path and suggests the fix', () => {
    const r = parseAlertRules({ rules: [{ name: 'x', kind: 'link-down', severty: 'critical' }] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual([
      expect.objectContaining({ file: 'alerts.yaml', path: 'rules[0].severty', code: 'unknown-key', hint: 'did you mean severity?' }),
    ]);
  });

  it('a wrong choice, a bad duration and a hysteresis the wrong way round are issues with their paths', () => {
    const r = parseAlertRules({
      rules: [
        { name: 'a', kind: 'link-down', severity: 'critcal' },
        { name: 'b', kind: 'link-utilization', raisePct: 70, clearPct: 80, for: '15 minutes' },
        { name: 'a', kind: 'link-dwn' },
      ],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byPath = Object.fromEntries(r.issues.map((i) => [i.path, i]));
    expect(byPath['rules[0].severity']).toMatchObject({ code: 'invalid', hint: 'did you mean critical?' });
    expect(byPath['rules[1].for']?.message).toMatch(/15m/);
    expect(byPath['rules[1].clearPct']?.message).toMatch(/hysteresis/);
    expect(byPath['rules[2].kind']).toMatchObject({ code: 'invalid', hint: 'did you mean link-down?' });
  });

  it('two rules of one name are refused', () => {
    const r = parseAlertRules({
      rules: [
        { name: 'a', kind: 'link-down' },
        { name: 'a', kind: 'device-unreachable' },
      ],
    });
    expect(r.ok || r.issues.map((i) => i.path)).toEqual(['rules[1].name']);
  });
});
