import { LANGS, messages, type Lang, type MessageKey, type Messages } from './messages';

/**
 * Looks a key up in one language's table and fills its `{name}` parameters.
 * A parameter without a value is left as written, so a missing one shows up
 * on screen instead of silently vanishing.
 *
 * @example translate(messages.en, 'cov.exitUp', { up: 1, total: 2 }) // → 'Exits up 1 / 2'
 */
export function translate(table: Messages, key: MessageKey, params: Record<string, string | number> = {}): string {
  return table[key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The language to start in: a saved choice when it is one we speak, else zh-CN (the users' language). */
export function initialLang(saved: string | null | undefined): Lang {
  return LANGS.find((l) => l === saved) ?? 'zh-CN';
}

const STORAGE_KEY = 'extranet.lang';
let current: Lang = 'zh-CN';
const listeners = new Set<(lang: Lang) => void>();

/** The UI language in force. */
export function lang(): Lang {
  return current;
}

/** Translates `key` into the UI language. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return translate(messages[current], key, params);
}

/** Reads the saved language (browser only) and sets `<html lang>`. */
export function loadLang(): Lang {
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(STORAGE_KEY);
  } catch {
    // storage disabled: start in Chinese
  }
  current = initialLang(saved);
  document.documentElement.lang = current;
  return current;
}

/** Switches the language, remembers it, and tells every listener (views re-render). */
export function setLang(next: Lang): void {
  if (next === current) return;
  current = next;
  document.documentElement.lang = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // not remembered; the switch still applies
  }
  for (const l of listeners) l(next);
}

export function onLangChange(listener: (lang: Lang) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
