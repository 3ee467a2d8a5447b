import type { Logger } from 'pino';
import { silencesOf, type AlertChange, type AlertDestination, type AlertRecord, type AlertRules, type Silence } from '@extranet/topology';
import type { AlertConfig } from '../config';
import { Delivery, postJson } from './delivery';
import { alertmanagerAlert, emailOf, webhookBody, type NotificationAlert } from './templates';

/** Sends one e-mail; nodemailer's transport in production (email.ts). */
export type SendMail = (m: { from: string; to: string[]; subject: string; text: string }) => Promise<void>;

/**
 * What goes where after an evaluation:
 * - an alert is **notifiable** when it fires, is not suppressed by a cause,
 *   not silenced and not held for flapping, and its rule names the destination;
 * - **Alertmanager** gets every notifiable alert with `endsAt` = now + 4 ×
 *   the re-send interval, again at least every interval (as Prometheus does),
 *   and an alert that stops being notifiable once more with `endsAt` = now;
 * - the **webhook** and **e-mail** get each alert once when it becomes
 *   notifiable and once when it resolves.
 */
export class Notifier {
  readonly delivery: Delivery;
  readonly #amSent = new Set<string>();
  readonly #sent = { webhook: new Set<string>(), email: new Set<string>() };
  #lastPush = -Infinity;

  constructor(
    private readonly config: AlertConfig,
    private readonly deps: {
      clock: () => number;
      log: Logger;
      siteName: (code: string) => string;
      describe: (a: AlertRecord) => string;
      sendMail?: SendMail;
      sleep?: (ms: number) => Promise<void>;
    },
  ) {
    this.delivery = new Delivery({
      attempts: config.ALERT_RETRIES,
      baseMs: config.ALERT_RETRY_BASE_MS,
      clock: deps.clock,
      ...(deps.sleep && { sleep: deps.sleep }),
      onGiveUp: (d, err) => deps.log.error({ destination: d, err }, 'alert notification not delivered'),
    });
  }

  /** The alerts the webhook and e-mail were told are firing, to be kept with the alerts (a process taking over restores them). */
  notified(): { webhook: string[]; email: string[] } {
    return { webhook: [...this.#sent.webhook].sort(), email: [...this.#sent.email].sort() };
  }

  restoreNotified(n: { webhook: readonly string[]; email: readonly string[] }): void {
    for (const d of ['webhook', 'email'] as const) {
      this.#sent[d].clear();
      for (const k of n[d]) this.#sent[d].add(k);
    }
  }

  configured(d: AlertDestination): boolean {
    if (d === 'alertmanager') return this.config.ALERTMANAGER_URL !== undefined;
    if (d === 'webhook') return this.config.ALERT_WEBHOOK_URL !== undefined;
    return this.config.SMTP_URL !== undefined && this.config.ALERT_EMAIL_TO !== undefined && this.deps.sendMail !== undefined;
  }

  /** After an evaluation: the changes to the webhook and e-mail, the firing set to Alertmanager. */
  afterEvaluation(
    active: readonly AlertRecord[],
    changes: readonly AlertChange[],
    silences: readonly Silence[],
    rules: AlertRules,
    force = false,
  ): void {
    const now = this.deps.clock();
    const to = (a: AlertRecord, d: AlertDestination) => this.#destinations(a, rules).includes(d) && this.configured(d);
    const notifiable = (a: AlertRecord) =>
      a.state === 'firing' && a.suppressedBy.length === 0 && !a.flapping && silencesOf(a.labels, silences, now).length === 0;

    for (const d of ['webhook', 'email'] as const) {
      const sent = this.#sent[d];
      for (const a of active) {
        if (notifiable(a) && to(a, d) && !sent.has(a.key)) {
          sent.add(a.key);
          this.#send(d, this.#notification(a, 'firing'));
        }
      }
      for (const c of changes) {
        if (c.to === 'resolved' && sent.delete(c.key)) this.#send(d, this.#notification(c.alert, 'resolved'));
      }
    }

    const firing = active.filter((a) => notifiable(a) && to(a, 'alertmanager'));
    const keys = new Set(firing.map((a) => a.key));
    const ended = [...this.#amSent].filter((k) => !keys.has(k));
    const changed = ended.length > 0 || firing.some((a) => !this.#amSent.has(a.key));
    if (!this.configured('alertmanager') || (!changed && !force && now - this.#lastPush < rules.resendMs)) return;
    if (firing.length === 0 && ended.length === 0) return;
    const until = new Date(now + 4 * rules.resendMs).toISOString();
    const byKey = new Map([...active, ...changes.map((c) => c.alert)].map((a) => [a.key, a]));
    const body = [
      ...firing.map((a) => alertmanagerAlert(this.#notification(a, 'firing'), until)),
      ...ended.flatMap((k) => {
        const a = byKey.get(k);
        return a ? [alertmanagerAlert(this.#notification(a, 'resolved'), new Date(a.resolvedAt ?? now).toISOString())] : [];
      }),
    ];
    this.#amSent.clear();
    for (const k of keys) this.#amSent.add(k);
    this.#lastPush = now;
    const url = new URL('/api/v2/alerts', this.config.ALERTMANAGER_URL).toString();
    this.delivery.send('alertmanager', () => postJson(url, body));
  }

  #destinations(a: AlertRecord, rules: AlertRules): AlertDestination[] {
    const name = a.kind === 'flapping' ? a.labels.flapping : a.rule;
    return rules.rules.find((r) => r.name === name)?.destinations ?? [];
  }

  #notification(a: AlertRecord, status: 'firing' | 'resolved'): NotificationAlert {
    const iso = (t: number | undefined) => (t === undefined ? null : new Date(t).toISOString());
    return {
      key: a.key,
      status,
      rule: a.rule,
      severity: a.severity,
      subject: a.subject,
      summary: this.deps.describe(a),
      cutOff: a.cutOff.map((code) => ({ code, name: this.deps.siteName(code) })),
      labels: a.labels,
      startsAt: iso(a.firedAt ?? a.since)!,
      endsAt: status === 'resolved' ? iso(a.resolvedAt ?? this.deps.clock()) : null,
      url: `${this.config.ALERT_EXTERNAL_URL.replace(/\/$/, '')}/#/alerts?key=${encodeURIComponent(a.key)}`,
      ...(a.ack && { acknowledgedBy: a.ack.by }),
    };
  }

  #send(d: 'webhook' | 'email', n: NotificationAlert): void {
    if (d === 'webhook') {
      const url = this.config.ALERT_WEBHOOK_URL!;
      this.delivery.send('webhook', () => postJson(url, webhookBody(this.config.ALERT_WEBHOOK_TEMPLATE, n)));
      return;
    }
    const m = emailOf(n);
    const to = this.config
      .ALERT_EMAIL_TO!.split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    this.delivery.send('email', () => this.deps.sendMail!({ from: this.config.ALERT_EMAIL_FROM, to, ...m }));
  }
}
