import { ROLE_LABELS, type Me } from '../../../topology/src/api';
import { h } from '../dom';
import { lang, t } from '../i18n/i18n';
import { openPasswordDialog } from './password-dialog';
import { session } from './session';

/** A role's label in the UI language (roles.ts carries both). */
export function roleLabel(role: Me['user']['role']): string {
  return ROLE_LABELS[role][lang() === 'zh-CN' ? 'zh' : 'en'];
}

/** The header's user part: display name and role, "change password", "log out". */
export function userMenu(me: Me): HTMLElement {
  const { username, displayName, role } = me.user;
  return h(
    'div',
    { class: 'user-menu', 'data-testid': 'user-menu', 'data-role': role },
    h(
      'span',
      { class: 'user-name', 'data-testid': 'user-name', title: t('user.title', { name: username, role: roleLabel(role) }) },
      displayName,
    ),
    h('span', { class: 'user-role', 'data-testid': 'user-role' }, roleLabel(role)),
    me.via === 'session' &&
      h(
        'button',
        { type: 'button', class: 'header-button', 'data-testid': 'change-password', onclick: openPasswordDialog },
        t('user.changePassword'),
      ),
    h(
      'button',
      { type: 'button', class: 'header-button', 'data-testid': 'logout', onclick: () => void session.logout() },
      t('user.logout'),
    ),
  );
}
