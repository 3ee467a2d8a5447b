import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import {
  ALERT_DESTINATIONS,
  DomainError,
  defaultAlertRules,
  describeAlert,
  emptyAlertState,
  evaluateAlerts,
  isManagedDevice,
  matcherError,
  silenceActive,
  silencesOf,
  type AlertEventView,
  type AlertRecord,
  type AlertRules,
  type AlertSnapshot,
  type AlertState,
  type AlertView,
  type Plan,
  type Silence,
  type SilenceMatcher,
  type SilenceView,
} from '@extranet/topology';
import { log as rootLog } from '../log';
import { loadLinkStates } from '../monitor/coverage-service';
import type { CycleResult } from '../monitor/types';
import type { Store } from '../neo4j/store';
import { serialQueue } from '../poller/serial';
import { loadAlertConfig, redactUrl, type AlertConfig } from './config';
import { Notifier, type SendMail } from './notify/notifier';
import {
  eventRow,
  expireSilenceAt,
  readActiveAlerts,
  readAlertHistory,
  readAlertInputs,
  readSilences,
  writeAck,
  writeEvaluation,
  writeSilence,
  type AlertEventRow,
} from './store';

/**
 * The alerts feature's service: after each poll cycle is written, the whole
 * stored network becomes one snapshot, the pure engine (topology/src/alerts)
 * evaluates it, the active alerts and state changes are written, and the
 * notifier sends what changed. Evaluations, acknowledgements and silences run
 * one at a time (a serial queue), so an acknowledgement is never lost to an
 * evaluation running beside it.
 */
export interface AlertServiceOptions {
  store: Store;
  rules: AlertRules;
  /** Where the rules came from (a file path, or `defaults`). */
  source: string;
  config: AlertConfig;
  /** ms since the epoch; default Date.now. */
  clock?: () => number;
  /** End states older than this are stale, ms. */
  maxAgeMs: number;
  log?: Logger;
  sendMail?: SendMail;
  /** Back-off sleeps of the deliveries (tests make them instant). */
  sleep?: (ms: number) => Promise<void>;
}

export interface EvaluationSummary {
  at: number;
  active: number;
  changes: number;
  ms: number;
}

export class AlertService {
  readonly rules: AlertRules;
  readonly source: string;
  readonly notifier: Notifier;
  readonly #store: Store;
  readonly #clock: () => number;
  readonly #maxAgeMs: number;
  readonly #log: Logger;
  readonly #queue = serialQueue();
  #state: AlertState | undefined;
  #silences: Silence[] | undefined;
  #siteNames = new Map<string, string>();
  #evaluatedAt: number | null = null;
  #timer: NodeJS.Timeout | undefined;

  constructor(opts: AlertServiceOptions) {
    this.rules = opts.rules;
    this.source = opts.source;
    this.#store = opts.store;
    this.#clock = opts.clock ?? Date.now;
    this.#maxAgeMs = opts.maxAgeMs;
    this.#log = (opts.log ?? rootLog).child({ component: 'alerts' });
    this.notifier = new Notifier(opts.config, {
      clock: this.#clock,
      log: this.#log,
      siteName: (c) => this.siteName(c),
      describe: (a) => describeAlert(a, (c) => this.siteName(c)),
      ...(opts.sendMail && { sendMail: opts.sendMail }),
      ...(opts.sleep && { sleep: opts.sleep }),
    });
    this.config = opts.config;
  }

  readonly config: AlertConfig;

  siteName(code: string): string {
    return this.#siteNames.get(code) ?? code;
  }

  /**
   * Evaluates after every stored cycle of the poller; returns the unsubscribe. Cycles that end while
   * an evaluation waits to start share it (it judges at the latest one's end): at national scale a
   * cycle ends every second and an evaluation of the whole network takes longer, so evaluations
   * follow the cycles instead of piling up behind them.
   */
  attach(poller: { onCycle(l: (c: CycleResult) => void): () => void }): () => void {
    return poller.onCycle((c) => {
      if (c.storeError !== undefined) return;
      const waiting = this.#pendingAt !== undefined;
      this.#pendingAt = Math.max(this.#pendingAt ?? -Infinity, c.endedAt);
      if (waiting) return;
      this.#queue
        .run(() => {
          const at = this.#pendingAt!;
          this.#pendingAt = undefined;
          return this.#evaluate(at);
        })
        .catch((e: Error) => this.#log.error({ err: e.message }, 'alert evaluation failed'));
    });
  }

  /** The end of the latest cycle whose evaluation has not started yet. */
  #pendingAt: number | undefined;

  /** Re-sends firing alerts to Alertmanager every `resend` interval between evaluations (a slow poll interval would let them expire). */
  start(): void {
    this.#timer ??= setInterval(() => {
      void this.#queue.run(async () => this.#notify([], true)).catch(() => undefined);
    }, this.rules.resendMs).unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Waits for queued evaluations and every delivery in flight. */
  async idle(): Promise<void> {
    await this.#queue.idle();
    await this.notifier.delivery.idle();
  }

  /** One evaluation of the whole stored network at `now`. */
  evaluate(now = this.#clock()): Promise<EvaluationSummary> {
    return this.#queue.run(() => this.#evaluate(now));
  }

  async #evaluate(now: number): Promise<EvaluationSummary> {
    const t = performance.now();
    const prev = await this.#loadState();
    const snap = await this.#snapshot(now);
    const e = evaluateAlerts(prev, snap, this.rules, now);
    const describe = (a: AlertRecord) => describeAlert(a, (c) => this.siteName(c));
    const alertingCauses = new Set(
      [...e.state.alerts.values()].filter((a) => a.cutOff.length > 0).map((a) => `${a.subject.kind}:${a.subject.id}`),
    );
    const cutOff = [...e.dependencies.unreached]
      .map(([code, causes]) => ({ code, causes: causes.filter((c) => alertingCauses.has(c)) }))
      .filter((x) => x.causes.length > 0)
      .sort((x, y) => (x.code < y.code ? -1 : 1));
    await this.#store.write((tx) =>
      writeEvaluation(tx, {
        cutOff,
        active: [...e.state.alerts.values()],
        flaps: e.state.flaps,
        events: e.changes.map((c) => eventRow(c, describe(c.alert))),
      }),
    );
    this.#state = e.state;
    this.#evaluatedAt = now;
    await this.#notify(e.changes);
    return { at: now, active: e.state.alerts.size, changes: e.changes.length, ms: performance.now() - t };
  }

  async #notify(changes: Parameters<Notifier['afterEvaluation']>[1], force = false): Promise<void> {
    if (!this.#state) return;
    this.notifier.afterEvaluation([...this.#state.alerts.values()], changes, await this.#loadSilences(), this.rules, force);
  }

  async #loadState(): Promise<AlertState> {
    if (this.#state) return this.#state;
    const stored = await this.#store.read((tx) => readActiveAlerts(tx));
    this.#state =
      stored.alerts.length || stored.flaps.size
        ? { alerts: new Map(stored.alerts.map((a) => [a.key, a])), flaps: stored.flaps }
        : emptyAlertState();
    return this.#state;
  }

  async #loadSilences(): Promise<Silence[]> {
    this.#silences ??= await this.#store.read((tx) => readSilences(tx));
    return this.#silences;
  }

  async #snapshot(now: number): Promise<AlertSnapshot> {
    const { plan, linkStates } = await loadLinkStates(this.#store, { now, maxAgeMs: this.#maxAgeMs });
    const extra = await this.#store.read((tx) => readAlertInputs(tx, now - this.#maxAgeMs));
    this.#siteNames = new Map(plan.sites.map((s) => [s.code, s.name]));
    const state = new Map(linkStates.map((c) => [c.linkId, c]));
    return {
      sites: plan.sites.map((s) => ({ code: s.code, name: s.name, tier: s.tier, ...(s.parent !== undefined && { parent: s.parent }) })),
      devices: plan.devices.map((d) => ({ hostname: d.hostname, site: d.site, role: d.role, managed: isManagedDevice(d) })),
      links: plan.links.map((l) => {
        const c = state.get(l.id);
        return {
          id: l.id,
          kind: l.kind,
          status: l.status,
          a: { device: l.a.device },
          b: { device: l.b.device },
          state: c?.state ?? 'unknown',
          meetsTarget: c?.meetsTarget ?? false,
          ...(c?.reason !== undefined && { reason: c.reason }),
          targetMbps: l.targetMbps,
          ...(c?.capacityMbps !== undefined && { capacityMbps: c.capacityMbps }),
          ...(c?.inPct !== undefined && { inPct: c.inPct }),
          ...(c?.outPct !== undefined && { outPct: c.outPct }),
          ...(extra.errorsPerSec.has(l.id) && { errorsPerSec: extra.errorsPerSec.get(l.id)! }),
        };
      }),
      deviceStatus: extra.deviceStatus,
      core: coreOf(plan),
    };
  }

  /** The active alerts as stored (any process may serve this, not only the one that evaluates). */
  async active(): Promise<{
    items: AlertView[];
    total: number;
    evaluatedAt: string | null;
    suppressedSites: Array<{ code: string; name: string; causes: string[] }>;
  }> {
    const [{ alerts, cutOff }, silences] = await Promise.all([this.#store.read((tx) => readActiveAlerts(tx)), this.#freshSilences()]);
    if (this.#siteNames.size === 0) await this.#loadSiteNames();
    const now = this.#clock();
    const order = { critical: 0, warning: 1, info: 2 } as const;
    const items = alerts
      .map((a) => this.view(a, silences, now))
      .sort((x, y) => order[x.severity] - order[y.severity] || (x.since < y.since ? -1 : x.since > y.since ? 1 : x.key < y.key ? -1 : 1));
    return {
      items,
      total: items.length,
      evaluatedAt: this.#evaluatedAt === null ? null : new Date(this.#evaluatedAt).toISOString(),
      suppressedSites: cutOff.map((x) => ({ code: x.code, name: this.siteName(x.code), causes: x.causes })),
    };
  }

  view(a: AlertRecord, silences: readonly Silence[], now: number): AlertView {
    const iso = (t: number | undefined) => (t === undefined ? null : new Date(t).toISOString());
    const site = (code: string) => ({ code, name: this.siteName(code) });
    return {
      key: a.key,
      rule: a.rule,
      kind: a.kind,
      severity: a.severity,
      subject: a.subject,
      state: a.state,
      since: new Date(a.since).toISOString(),
      firedAt: iso(a.firedAt),
      resolvedAt: iso(a.resolvedAt),
      value: a.value ?? null,
      summary: describeAlert(a, (c) => this.siteName(c)),
      cutOff: a.cutOff.map(site),
      degraded: a.degraded.map(site),
      suppressedBy: a.suppressedBy,
      flapping: a.flapping,
      silencedBy: silencesOf(a.labels, silences, now),
      labels: a.labels,
      ack: a.ack ? { by: a.ack.by, at: new Date(a.ack.at).toISOString(), note: a.ack.note } : null,
    };
  }

  async history(filter: { link?: string; site?: string }, limit: number): Promise<{ items: AlertEventView[]; total: number }> {
    const r = await this.#store.read((tx) => readAlertHistory(tx, filter, limit));
    return { items: r.items.map(eventView), total: r.total };
  }

  /** Acknowledges an active alert: who, when, a note. It keeps notifying Alertmanager (with `acknowledged_by`) until it resolves. */
  acknowledge(key: string, by: string, note: string): Promise<AlertView> {
    return this.#queue.run(async () => {
      const acked = await this.#store.write((tx) => writeAck(tx, key, { by, at: this.#clock(), note }));
      if (!acked) {
        throw new DomainError('NOT_FOUND', `no active alert ${key}`, {
          field: 'key',
          hint: 'GET /api/alerts lists the active alerts and their keys',
        });
      }
      this.#state?.alerts.set(key, acked);
      if (this.#siteNames.size === 0) await this.#loadSiteNames();
      return this.view(acked, await this.#loadSilences(), this.#clock());
    });
  }

  async silences(): Promise<SilenceView[]> {
    const now = this.#clock();
    return (await this.#freshSilences()).map((s) => silenceView(s, now));
  }

  createSilence(
    input: { matchers: SilenceMatcher[]; startsAt?: string; endsAt: string; comment: string },
    by: string,
  ): Promise<SilenceView> {
    const now = this.#clock();
    input.matchers.forEach((m, i) => {
      const err = matcherError(m);
      if (err)
        throw new DomainError('BAD_REQUEST', `matcher ${m.name}: ${err}`, {
          field: `matchers[${i}].value`,
          hint: 'a regular expression, e.g. 4413.*',
        });
    });
    const startsAt = input.startsAt === undefined ? now : Date.parse(input.startsAt);
    const endsAt = Date.parse(input.endsAt);
    if (endsAt <= Math.max(startsAt, now)) {
      throw new DomainError('BAD_REQUEST', 'endsAt must be later than startsAt and now', {
        field: 'endsAt',
        hint: 'e.g. two hours from now',
      });
    }
    const s: Silence = {
      id: randomBytes(12).toString('base64url'),
      matchers: input.matchers.map((m) => ({ name: m.name, value: m.value, isRegex: m.isRegex ?? false, isEqual: m.isEqual ?? true })),
      startsAt,
      endsAt,
      createdBy: by,
      createdAt: now,
      comment: input.comment,
    };
    return this.#queue.run(async () => {
      await this.#store.write((tx) => writeSilence(tx, s));
      this.#silences = undefined;
      await this.#notify([]);
      return silenceView(s, now);
    });
  }

  expireSilence(id: string, by: string): Promise<SilenceView> {
    return this.#queue.run(async () => {
      const now = this.#clock();
      const found = await this.#store.write((tx) => expireSilenceAt(tx, id, by, now));
      if (!found) throw new DomainError('NOT_FOUND', `no silence ${id}`, { field: 'id' });
      this.#silences = undefined;
      const s = (await this.#loadSilences()).find((x) => x.id === id)!;
      await this.#notify([]);
      return silenceView(s, now);
    });
  }

  deliveries() {
    const c = this.config;
    const target = { alertmanager: redactUrl(c.ALERTMANAGER_URL), webhook: redactUrl(c.ALERT_WEBHOOK_URL), email: redactUrl(c.SMTP_URL) };
    const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
    return ALERT_DESTINATIONS.map((d) => {
      const s = this.notifier.delivery.statusOf(d);
      return {
        destination: d,
        configured: this.notifier.configured(d),
        target: target[d],
        sent: s.sent,
        failed: s.failed,
        retrying: s.retrying,
        lastSuccessAt: iso(s.lastSuccessAt),
        lastFailureAt: iso(s.lastFailureAt),
        lastError: s.lastError,
      };
    });
  }

  async #freshSilences(): Promise<Silence[]> {
    this.#silences = await this.#store.read((tx) => readSilences(tx));
    return this.#silences;
  }

  async #loadSiteNames(): Promise<void> {
    const { plan } = await loadLinkStates(this.#store, { now: this.#clock(), maxAgeMs: this.#maxAgeMs });
    this.#siteNames = new Map(plan.sites.map((s) => [s.code, s.name]));
  }
}

const CORE_ROLES = new Set(['core', 'backup-core']);

/** The city site's core and backup-core devices (as coverage defines the core). */
function coreOf(plan: Plan): string[] {
  const city = plan.sites.find((s) => s.tier === 'city')?.code;
  return plan.devices.filter((d) => d.site === city && CORE_ROLES.has(d.role)).map((d) => d.hostname);
}

function silenceView(s: Silence, now: number): SilenceView {
  return {
    id: s.id,
    matchers: s.matchers.map((m) => ({ name: m.name, value: m.value, isRegex: m.isRegex ?? false, isEqual: m.isEqual ?? true })),
    startsAt: new Date(s.startsAt).toISOString(),
    endsAt: new Date(s.endsAt).toISOString(),
    createdBy: s.createdBy,
    createdAt: new Date(s.createdAt).toISOString(),
    comment: s.comment,
    expiredBy: s.expiredBy ?? null,
    active: silenceActive(s, now),
  };
}

function eventView(e: AlertEventRow): AlertEventView {
  return {
    key: e.key,
    rule: e.rule,
    severity: e.severity as AlertEventView['severity'],
    subject: { kind: e.subjectKind as AlertEventView['subject']['kind'], id: e.subjectId },
    from: e.from as AlertEventView['from'],
    to: e.to as AlertEventView['to'],
    at: new Date(e.at).toISOString(),
    summary: e.summary,
    suppressed: e.suppressed,
    cutOff: e.cutOff,
  };
}

/**
 * The service a process that does not evaluate uses to serve the alerts API
 * (the alerts another process stored; acknowledgements and silences are
 * written to the same store): default rules, no destinations.
 */
export function readOnlyAlertService(store: Store, scheduler?: { clock: () => number; maxAgeMs: number }): AlertService {
  return new AlertService({
    store,
    rules: defaultAlertRules(),
    source: 'defaults',
    config: loadAlertConfig({}),
    maxAgeMs: scheduler?.maxAgeMs ?? 180_000,
    ...(scheduler && { clock: scheduler.clock }),
  });
}
