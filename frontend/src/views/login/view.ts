import { ApiError } from '../../api/client';
import { session } from '../../auth/session';
import { h, replace } from '../../dom';
import { t } from '../../i18n/i18n';
import { errorText } from '../error-text';

/** Why the login page shows: first visit, after "log out", or a session that ended (401). */
export type LoginReason = 'start' | 'logout' | 'expired';

/**
 * The login page (`POST /api/auth/login`): user name and password. A refusal
 * shows the API's error with its hint; a 429 (too many attempts from this
 * address or for this user) says to try later. On success the session tells
 * the app, which shows the route the URL hash still holds.
 */
export function mountLogin(root: HTMLElement, reason: LoginReason, problem?: unknown): { unmount(): void } {
  const username = h('input', {
    type: 'text',
    name: 'username',
    required: true,
    autocomplete: 'username',
    autocapitalize: 'none',
    spellcheck: 'false',
    maxlength: 64,
    'data-testid': 'login-username',
  });
  const password = h('input', {
    type: 'password',
    name: 'password',
    required: true,
    autocomplete: 'current-password',
    maxlength: 256,
    'data-testid': 'login-password',
  });
  const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'login-submit' }, t('login.submit'));
  const out = h('div', { class: 'form-result', 'data-testid': 'login-error', 'aria-live': 'polite' });
  if (problem) replace(out, errorText(problem, t('login.unreachable')));
  let alive = true;
  const send = async (e: Event) => {
    e.preventDefault();
    if (!username.value.trim() || !password.value) return;
    submit.disabled = true;
    replace(submit, t('login.busy'));
    replace(out);
    try {
      await session.login(username.value.trim(), password.value);
    } catch (err) {
      if (!alive) return;
      password.value = '';
      const status = err instanceof ApiError ? err.status : 0;
      replace(out, errorText(err, status === 429 ? t('login.tooMany') : status === 401 ? t('login.refused') : undefined));
      password.focus();
    } finally {
      if (alive) {
        submit.disabled = false;
        replace(submit, t('login.submit'));
      }
    }
  };
  replace(
    root,
    h(
      'div',
      { class: 'login-view', 'data-testid': 'login' },
      h(
        'form',
        { class: 'login-card stack-form', onsubmit: (e: Event) => void send(e) },
        h('h1', { class: 'view-title' }, t('login.title')),
        reason !== 'start' &&
          h(
            'p',
            { class: 'notice', 'data-testid': 'login-reason', 'data-reason': reason },
            t(reason === 'logout' ? 'login.loggedOut' : 'login.expired'),
          ),
        h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('login.username')), username),
        h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('login.password')), password),
        out,
        h('div', { class: 'form-actions' }, submit),
      ),
    ),
  );
  username.focus();
  return {
    unmount: () => {
      alive = false;
    },
  };
}
