import { authApi, ROLES, type AuditEvent, type Role } from '../../../../topology/src/api';
import { api } from '../../api/client';
import { roleLabel } from '../../auth/user-menu';
import { h, replace } from '../../dom';
import { formatTimestamp } from '../../format/format';
import { t } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages';
import type { View } from '../view';
import { errorText } from '../error-text';

/**
 * 审计 — for admins: the audit of every write (`GET /api/audit`), newest
 * first, filtered by actor, action and target (`#/audit?actor=&action=&target=`),
 * with a CSV export of the same filter (`/api/audit.csv`). The view and its tab
 * need the permission the audit endpoint declares.
 */
const FILTERS = ['actor', 'action', 'target'] as const;
type Filter = Partial<Record<(typeof FILTERS)[number], string>>;
/** Rows shown; the total says how many match. */
const LIMIT = 500;

const OUTCOME_KEYS: Record<AuditEvent['outcome'], MessageKey> = {
  ok: 'audit.outcome.ok',
  refused: 'audit.outcome.refused',
  failed: 'audit.outcome.failed',
};

/** The route's filter, without empty values. */
function filterOf(params: Record<string, string>): Filter {
  return Object.fromEntries(FILTERS.filter((k) => params[k]?.trim()).map((k) => [k, params[k]!.trim()]));
}

export const auditView: View = {
  permission: authApi.listAudit.permission,
  mount(root, params, navigate) {
    const inputs = Object.fromEntries(
      FILTERS.map((k) => [
        k,
        h('input', {
          type: 'search',
          name: k,
          maxlength: k === 'target' ? 200 : 64,
          autocomplete: 'off',
          spellcheck: 'false',
          'data-testid': `audit-filter-${k}`,
        }),
      ]),
    ) as Record<(typeof FILTERS)[number], HTMLInputElement>;
    const exportLink = h('a', { class: 'button-link', 'data-testid': 'audit-export', download: 'audit.csv' }, t('audit.export'));
    const content = h('div', { class: 'audit-content' });
    const labels: Record<(typeof FILTERS)[number], MessageKey> = { actor: 'audit.actor', action: 'audit.action', target: 'audit.target' };
    const submit = (e: Event) => {
      e.preventDefault();
      navigate(Object.fromEntries(FILTERS.map((k) => [k, inputs[k].value.trim()])));
    };
    replace(
      root,
      h(
        'div',
        { class: 'audit-view' },
        h('h1', { class: 'view-title' }, t('audit.title')),
        h(
          'form',
          { class: 'audit-filter', 'data-testid': 'audit-filter', onsubmit: submit },
          ...FILTERS.map((k) => h('label', { class: 'field' }, h('span', { class: 'field-label' }, t(labels[k])), inputs[k])),
          h(
            'div',
            { class: 'form-actions' },
            h('button', { type: 'submit', class: 'primary' }, t('audit.filter')),
            h('button', { type: 'button', onclick: () => navigate({}) }, t('audit.clear')),
            exportLink,
          ),
        ),
        content,
      ),
    );

    let abort = new AbortController();
    const show = (p: Record<string, string>) => {
      abort.abort();
      abort = new AbortController();
      const signal = abort.signal;
      const filter = filterOf(p);
      for (const k of FILTERS) inputs[k].value = filter[k] ?? '';
      exportLink.href = api.auditCsvUrl(filter);
      replace(content, h('p', { class: 'muted' }, t('common.loading')));
      api
        .audit({ ...filter, limit: LIMIT }, signal)
        .then((page) => !signal.aborted && replace(content, table(page.items, page.total)))
        .catch((e: unknown) => !signal.aborted && replace(content, errorText(e)));
    };
    show(params);
    return { update: show, unmount: () => abort.abort() };
  },
};

function table(items: AuditEvent[], total: number): HTMLElement[] {
  if (items.length === 0) return [h('p', { class: 'muted', 'data-testid': 'audit-empty' }, t('audit.empty'))];
  return [
    h('p', { class: 'muted small', 'data-testid': 'audit-count' }, t('audit.count', { shown: items.length, total })),
    h(
      'table',
      { class: 'grid compact audit-table', 'data-testid': 'audit-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...(['audit.time', 'audit.actor', 'audit.role', 'audit.action', 'audit.target', 'audit.outcome', 'audit.requestId'] as const).map(
            (k) => h('th', {}, t(k)),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        ...items.map((e) =>
          h(
            'tr',
            { 'data-audit': e.id, 'data-action': e.action, 'data-outcome': e.outcome, class: `outcome-${e.outcome}` },
            h('td', { class: 'nowrap', title: e.at }, formatTimestamp(e.at)),
            h('td', {}, e.actor, e.via !== 'session' && h('span', { class: 'tag' }, e.via)),
            h('td', {}, e.role === null ? '—' : ROLES.includes(e.role as Role) ? roleLabel(e.role as Role) : e.role),
            h('td', { class: 'mono' }, e.action),
            h('td', { class: 'mono' }, e.target ?? '—'),
            h('td', { title: e.errorCode ?? '' }, t(OUTCOME_KEYS[e.outcome]), e.errorCode && h('span', { class: 'tag mono' }, e.errorCode)),
            h('td', { class: 'mono small' }, e.requestId ?? '—'),
          ),
        ),
      ),
    ),
  ];
}
