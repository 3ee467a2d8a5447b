import { describe, expect, it } from 'vitest';
import { initialLang, translate } from './i18n';
import { messages, type MessageKey } from './messages';

describe('translate', () => {
  it.each([
    ['zh-CN', 'nav.topology', {}, '拓扑'],
    ['en', 'nav.topology', {}, 'Topology'],
    ['zh-CN', 'cov.exitUp', { up: 1, total: 2 }, '在用出口 1 / 2'],
    ['en', 'cov.spofCuts', { count: 14 }, 'cuts off 14 sites'],
    ['en', 'cov.exitUp', { up: 1 }, 'Exits up 1 / {total}'],
  ] as const)('%s %s %j → %s', (lang, key, params, expected) => {
    expect(translate(messages[lang], key, params)).toBe(expected);
  });

  it('has every key in both languages, none empty', () => {
    const zh = Object.keys(messages['zh-CN']).sort();
    expect(Object.keys(messages.en).sort()).toEqual(zh);
    for (const lang of ['zh-CN', 'en'] as const) {
      for (const key of zh) expect(messages[lang][key as MessageKey].trim(), `${lang} ${key}`).not.toBe('');
    }
  });

  it('uses the same parameters in both languages', () => {
    const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(messages['zh-CN']) as MessageKey[]) {
      expect(params(messages.en[key]), key).toEqual(params(messages['zh-CN'][key]));
    }
  });
});

describe('initialLang', () => {
  it.each([
    [null, 'zh-CN'],
    ['en', 'en'],
    ['zh-CN', 'zh-CN'],
    ['fr', 'zh-CN'],
  ] as const)('saved %s → %s', (saved, expected) => {
    expect(initialLang(saved)).toBe(expected);
  });
});
