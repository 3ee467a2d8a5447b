import { authApi } from '../../../topology/src/api';
import { api } from '../api/client';
import { h, replace } from '../dom';
import { t } from '../i18n/i18n';
import { errorText } from '../views/error-text';
import { session } from './session';

/** The least length of a new password, as the API declares it (OWASP: 12). */
const MIN_PASSWORD = authApi.passwordSchema.minLength ?? 12;

/**
 * The "change password" dialog (`POST /api/auth/password`): the current
 * password, the new one twice. The length rule is checked before sending (the
 * API checks it again); the API's refusal — a wrong current password — shows
 * in place. The user's other sessions end; this one goes on.
 */
export function openPasswordDialog(): void {
  const field = (name: string, label: string, autocomplete: string, help?: string) => {
    const input = h('input', { type: 'password', name, required: true, autocomplete, maxlength: 256 });
    return {
      input,
      row: h(
        'label',
        { class: 'field' },
        h('span', { class: 'field-label' }, label),
        input,
        help && h('span', { class: 'muted small' }, help),
      ),
    };
  };
  const current = field('current', t('pw.current'), 'current-password');
  const next = field('next', t('pw.next'), 'new-password', t('pw.rule', { min: MIN_PASSWORD }));
  const repeat = field('repeat', t('pw.repeat'), 'new-password');
  next.input.minLength = MIN_PASSWORD;
  const out = h('div', { class: 'form-result', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('pw.submit'));
  const dialog = h('dialog', { class: 'dialog', 'data-testid': 'password-dialog', 'aria-labelledby': 'pw-title' });
  const close = () => {
    dialog.close();
    dialog.remove();
  };
  const form = h(
    'form',
    { class: 'stack-form', method: 'dialog', novalidate: true, onsubmit: (e: Event) => void send(e) },
    h('h2', { id: 'pw-title' }, t('pw.title')),
    current.row,
    next.row,
    repeat.row,
    out,
    h('div', { class: 'form-actions' }, h('button', { type: 'button', onclick: close }, t('common.cancel')), submit),
  );
  async function send(e: Event): Promise<void> {
    e.preventDefault();
    const local =
      next.input.value.length < MIN_PASSWORD
        ? t('pw.tooShort', { min: MIN_PASSWORD })
        : next.input.value !== repeat.input.value
          ? t('pw.mismatch')
          : undefined;
    if (local) return replace(out, h('p', { class: 'error', 'data-error-code': 'LOCAL' }, local));
    submit.disabled = true;
    try {
      await api.changePassword(current.input.value, next.input.value);
      await session.refresh(); // the CSRF token may change with the password
      replace(
        form,
        h('p', { class: 'good', 'data-testid': 'password-changed' }, t('pw.done')),
        h('div', { class: 'form-actions' }, h('button', { type: 'button', class: 'primary', onclick: close }, t('common.close'))),
      );
    } catch (err) {
      replace(out, errorText(err));
    } finally {
      submit.disabled = false;
    }
  }
  dialog.append(form);
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  current.input.focus();
}
