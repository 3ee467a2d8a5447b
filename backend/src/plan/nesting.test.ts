import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_YAML_DEPTH, tooDeepAt } from './nesting';

describe('tooDeepAt', () => {
  it('finds deep flow nesting and compact sequences, with the line', () => {
    expect(tooDeepAt(`a: 1\nb: ${'['.repeat(65)}${']'.repeat(65)}\n`)).toBe(2);
    expect(tooDeepAt(`a: ${'{x: '.repeat(65)}1${'}'.repeat(65)}`)).toBe(1);
    expect(tooDeepAt(`x:\n${'- '.repeat(65)}1\n`)).toBe(2);
    expect(tooDeepAt(`a: ${'['.repeat(64)}${']'.repeat(64)}`)).toBeUndefined();
  });

  it('does not count brackets inside quotes, comments or plain text', () => {
    const brackets = '['.repeat(100);
    expect(tooDeepAt(`a: "${brackets}"\nb: '${brackets}'\n# ${brackets}\nc: x ${brackets}\nd: O'Brien ${brackets}\n`)).toBeUndefined();
    expect(tooDeepAt(`a: "\\"${brackets}"`)).toBeUndefined();
  });

  it('passes every real plan file', async () => {
    const dir = path.resolve(__dirname, '../../../plans/huizhou');
    for (const f of ['plan.yaml', 'sites.yaml', 'devices.yaml', 'links.yaml', 'address-plan.yaml', 'alerts.yaml']) {
      expect(tooDeepAt(await readFile(path.join(dir, f), 'utf8')), f).toBeUndefined();
      expect(tooDeepAt(await readFile(path.join(dir, f), 'utf8'), 5), f).toBeUndefined();
    }
    expect(MAX_YAML_DEPTH).toBeGreaterThan(5);
  });
});
