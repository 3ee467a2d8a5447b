import { alertsApi, type AlertEventView, type AlertView } from '../../../../topology/src/api';
import { call } from '../../api/client';
import { session } from '../../auth/session';
import { h, replace } from '../../dom';
import { formatTimestamp } from '../../format/format';
import { t } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages';
import type { MountedView, View } from '../view';
import { errorText } from '../error-text';

/**
 * 告警 — active alerts (severity, state, what it is, since when, its cause
 * when suppressed, the sites it cuts off, who acknowledged it), the sites cut
 * off from the city core, and the latest state changes. Acknowledge and
 * silence are offered only to roles holding the permission those endpoints
 * declare (`operate`). Refreshed every 15 s and after each action.
 */
const REFRESH_MS = 15_000;
const SILENCE_HOURS = [1, 2, 4, 8, 24] as const;

const SEVERITY_KEYS: Record<AlertView['severity'], MessageKey> = {
  critical: 'alerts.sev.critical',
  warning: 'alerts.sev.warning',
  info: 'alerts.sev.info',
};
const STATE_KEYS: Record<AlertEventView['from'], MessageKey> = {
  inactive: 'alerts.state.inactive',
  pending: 'alerts.state.pending',
  firing: 'alerts.state.firing',
  resolved: 'alerts.state.resolved',
};

export const alertsView: View = {
  permission: alertsApi.listAlerts.permission,
  mount: (root) => mountAlerts(root, { history: true }),
};

/**
 * Draws the alerts into `root` and keeps them fresh: the whole page, or — with
 * `history: false` — the active alerts and the cut-off sites under a smaller
 * title, as the operations view shows them above its busiest links.
 */
export function mountAlerts(root: HTMLElement, opts: { history: boolean }): MountedView {
  const active = h('div', { class: 'alerts-active' });
  const cut = h('div', { class: 'alerts-cut' });
  const history = h('div', { class: 'alerts-history' });
  replace(
    root,
    h(
      'div',
      { class: 'alerts-view' },
      opts.history ? h('h1', { class: 'view-title' }, t('alerts.title')) : h('h2', {}, t('alerts.title')),
      active,
      cut,
      opts.history && h('h2', {}, t('alerts.history')),
      opts.history && history,
    ),
  );
  let abort = new AbortController();
  const load = () => {
    abort.abort();
    abort = new AbortController();
    const signal = abort.signal;
    Promise.all([call(alertsApi.listAlerts, {}, signal), call(alertsApi.alertHistory, { query: { limit: 50 } }, signal)])
      .then(([list, events]) => {
        if (signal.aborted) return;
        replace(active, activeTable(list.items, load));
        replace(cut, suppressedSites(list.suppressedSites));
        replace(history, historyTable(events.items));
      })
      .catch((e: unknown) => !signal.aborted && replace(active, errorText(e)));
  };
  replace(active, h('p', { class: 'muted' }, t('common.loading')));
  load();
  const timer = setInterval(load, REFRESH_MS);
  return {
    update: load,
    unmount: () => {
      clearInterval(timer);
      abort.abort();
    },
  };
}

function activeTable(items: AlertView[], reload: () => void): HTMLElement {
  if (items.length === 0) return h('p', { class: 'muted', 'data-testid': 'alerts-empty' }, t('alerts.none'));
  const canAck = session.can(alertsApi.acknowledgeAlert.permission);
  const canSilence = session.can(alertsApi.createSilence.permission);
  return h(
    'table',
    { class: 'grid compact alerts-table', 'data-testid': 'alerts-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...(['alerts.severity', 'alerts.state', 'alerts.summary', 'alerts.since', 'alerts.cause', 'alerts.ack'] as const).map((k) =>
          h('th', {}, t(k)),
        ),
        (canAck || canSilence) && h('th', {}, t('alerts.actions')),
      ),
    ),
    h(
      'tbody',
      {},
      ...items.map((a) => {
        const actions = h('td', { class: 'alert-actions' });
        const note = h('div', { class: 'alert-form' });
        if (canAck)
          actions.append(
            h('button', { type: 'button', 'data-testid': 'alert-ack', onclick: () => ackForm(note, a, reload) }, t('alerts.ackButton')),
          );
        if (canSilence)
          actions.append(
            h(
              'button',
              { type: 'button', 'data-testid': 'alert-silence', onclick: () => silenceForm(note, a, reload) },
              t('alerts.silenceButton'),
            ),
          );
        actions.append(note);
        const muted = a.suppressedBy.length > 0 || a.silencedBy.length > 0;
        return h(
          'tr',
          {
            'data-alert': a.key,
            'data-state': a.state,
            'data-suppressed': String(a.suppressedBy.length > 0),
            class: `sev-${a.severity}${muted ? ' muted' : ''}`,
          },
          h('td', {}, h('span', { class: `tag sev-${a.severity}` }, t(SEVERITY_KEYS[a.severity]))),
          h(
            'td',
            {},
            t(STATE_KEYS[a.state]),
            a.flapping && h('span', { class: 'tag' }, t('alerts.flapping')),
            a.silencedBy.length > 0 && h('span', { class: 'tag' }, t('alerts.silenced')),
          ),
          h(
            'td',
            {},
            a.summary,
            a.cutOff.length > 0 &&
              h(
                'div',
                { class: 'small', 'data-testid': 'alert-cutoff' },
                t('alerts.cutOff', { count: a.cutOff.length }),
                ' ',
                a.cutOff.map((s) => s.name).join('、'),
              ),
          ),
          h('td', { class: 'nowrap', title: a.since }, formatTimestamp(a.firedAt ?? a.since)),
          h('td', { class: 'mono small' }, a.suppressedBy.length ? t('alerts.suppressedBy', { cause: a.suppressedBy.join(', ') }) : '—'),
          h(
            'td',
            { 'data-testid': 'alert-ack-by' },
            a.ack
              ? [
                  t('alerts.ackBy', { user: a.ack.by, time: formatTimestamp(a.ack.at) }),
                  a.ack.note && h('div', { class: 'small' }, a.ack.note),
                ]
              : '—',
          ),
          (canAck || canSilence) && actions,
        );
      }),
    ),
  );
}

function ackForm(into: HTMLElement, a: AlertView, reload: () => void): void {
  const input = h('input', {
    type: 'text',
    name: 'note',
    maxlength: 500,
    placeholder: t('alerts.ackNote'),
    'data-testid': 'alert-ack-note',
  });
  const status = h('span', { class: 'small' });
  const submit = (e: Event) => {
    e.preventDefault();
    call(alertsApi.acknowledgeAlert, { body: { key: a.key, note: input.value } }).then(reload, (err: unknown) =>
      replace(status, errorText(err)),
    );
  };
  replace(
    into,
    h(
      'form',
      { onsubmit: submit, 'data-testid': 'alert-ack-form' },
      input,
      h('button', { type: 'submit', class: 'primary', 'data-testid': 'alert-ack-submit' }, t('alerts.ackSubmit')),
      h('button', { type: 'button', onclick: () => replace(into) }, t('common.cancel')),
      status,
    ),
  );
  input.focus();
}

function silenceForm(into: HTMLElement, a: AlertView, reload: () => void): void {
  const hours = h('select', { name: 'hours' }, ...SILENCE_HOURS.map((n) => h('option', { value: String(n) }, t('alerts.hours', { n }))));
  const comment = h('input', { type: 'text', name: 'comment', maxlength: 500, required: true, placeholder: t('alerts.silenceComment') });
  const status = h('span', { class: 'small' });
  const submit = (e: Event) => {
    e.preventDefault();
    const endsAt = new Date(Date.now() + Number(hours.value) * 3_600_000).toISOString();
    // The alert's rule on its subject: the narrowest silence that holds it.
    const matchers = [
      { name: 'alertname', value: a.labels.alertname ?? a.rule },
      { name: a.subject.kind, value: a.subject.id },
    ];
    call(alertsApi.createSilence, { body: { matchers, endsAt, comment: comment.value } }).then(reload, (err: unknown) =>
      replace(status, errorText(err)),
    );
  };
  replace(
    into,
    h(
      'form',
      { onsubmit: submit },
      hours,
      comment,
      h('button', { type: 'submit', class: 'primary' }, t('alerts.silenceSubmit')),
      h('button', { type: 'button', onclick: () => replace(into) }, t('common.cancel')),
      status,
    ),
  );
}

function suppressedSites(sites: Array<{ code: string; name: string; causes: string[] }>): HTMLElement[] {
  if (sites.length === 0) return [];
  return [
    h('h2', {}, t('alerts.suppressedSites', { count: sites.length })),
    h(
      'ul',
      { class: 'alerts-cut-list', 'data-testid': 'alerts-suppressed-sites' },
      ...sites.map((s) =>
        h('li', { 'data-site': s.code }, `${s.name} (${s.code}) — `, h('span', { class: 'mono small' }, s.causes.join(', '))),
      ),
    ),
  ];
}

function historyTable(items: AlertEventView[]): HTMLElement {
  if (items.length === 0) return h('p', { class: 'muted' }, t('alerts.historyEmpty'));
  return h(
    'table',
    { class: 'grid compact', 'data-testid': 'alerts-history' },
    h('thead', {}, h('tr', {}, ...(['alerts.time', 'alerts.change', 'alerts.summary'] as const).map((k) => h('th', {}, t(k))))),
    h(
      'tbody',
      {},
      ...items.map((e) =>
        h(
          'tr',
          { class: e.suppressed ? 'muted' : '' },
          h('td', { class: 'nowrap', title: e.at }, formatTimestamp(e.at)),
          h(
            'td',
            {},
            `${t(STATE_KEYS[e.from])} → ${t(STATE_KEYS[e.to])}`,
            e.suppressed && h('span', { class: 'tag' }, t('alerts.suppressed')),
          ),
          h('td', {}, e.summary),
        ),
      ),
    ),
  );
}
