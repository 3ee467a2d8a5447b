import { ApiError } from '../api/client';
import { h } from '../dom';
import { t } from '../i18n/i18n';

/**
 * An API failure as the UI shows it: the stable code (as `data-error-code`, for
 * tests and support), the API's message (English, exact) and its hint — the
 * fix it suggests — on a line of their own. `lead` is an optional sentence in
 * the UI's language put first.
 */
export function errorText(err: unknown, lead?: string): HTMLElement {
  const code = err instanceof ApiError ? err.code : 'ERROR';
  const message = err instanceof Error ? err.message : String(err);
  const hint = err instanceof ApiError ? err.hint : undefined;
  return h(
    'div',
    { class: 'error', role: 'alert', 'data-error-code': code, 'data-status': err instanceof ApiError ? err.status : null },
    lead && h('div', { class: 'error-lead' }, lead),
    h('div', { class: lead ? 'muted small' : null }, h('span', { class: 'error-code mono' }, code), ' ', message),
    hint && h('div', { class: 'error-hint small' }, t('common.hint', { hint })),
  );
}
