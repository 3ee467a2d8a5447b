import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import {
  ALERT_DESTINATIONS,
  DomainError,
  defaultAlertRules,
  describeAlert,
  emptyAlertState,
  evaluateAlerts,
  matcherError,
  type AlertEventView,
  type AlertRecord,
  type AlertRules,
  type AlertSnapshot,
  type AlertState,
  type AlertView,
  type Silence,
  type SilenceMatcher,
  type SilenceView,
} from '@extranet/topology';
import { log as rootLog } from '../log';
import { loadLinkStates } from '../monitor/coverage-service';
import { CycleFollower } from '../monitor/pace';
import type { CycleResult } from '../monitor/types';
import type { Store } from '../neo4j/store';
import { serialQueue } from '../poller/serial';
import { alertSnapshot, alertView, eventView, silenceView } from './views';
import { loadAlertConfig, redactUrl, type AlertConfig } from './config';
import { Notifier, type SendMail } from './notify/notifier';
import {
  eventRow,
  expireSilenceAt,
  readActiveAlerts,
  releaseLease,
  takeLease,
  readAlertHistory,
  readDeviceStatuses,
  readSilences,
  writeAck,
  writeEvaluation,
  writeNotified,
  writeSilence,
} from './store';

/**
 * The alerts feature's service: after each poll cycle is written, the whole
 * stored network becomes one snapshot, the pure engine (topology/src/alerts)
 * evaluates it, the active alerts and state changes are written, and the
 * notifier sends what changed. Evaluations, acknowledgements and silences run
 * one at a time (a serial queue), so an acknowledgement is never lost to an
 * evaluation running beside it. With several `serve` processes (shards), one
 * of them evaluates and notifies: the one holding the `alerts` lease in Neo4j,
 * renewed with each of its cycles; when it stops (or stops renewing for the
 * lease's time), the next process to finish a cycle takes it over, starting
 * from the alerts stored.
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
  /** How long the evaluating process's lease lasts without renewal, real ms; default max(2 × maxAgeMs, 30 s). */
  leaseMs?: number;
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
  /**
   * Evaluations of the whole network this process ran, and their time in all, ms (read by benchmarks):
   * reading the network's state (of which the devices' poll statuses), judging it (the pure engine),
   * and the rest (storing, notifying); the alert records they wrote (an unchanged alert is not
   * written again), and the alerts whose measured value alone changed (one number updated).
   */
  readonly evaluations = { count: 0, ms: 0, readMs: 0, readDevicesMs: 0, judgeMs: 0, alertsWritten: 0, alertValuesWritten: 0 };
  #state: AlertState | undefined;
  #silences: Silence[] | undefined;
  #siteNames = new Map<string, string>();
  #evaluatedAt: number | null = null;
  #timer: NodeJS.Timeout | undefined;
  /** This process's name in the `alerts` lease. */
  readonly #holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  readonly #leaseMs: number;
  /** Whether this process held the lease at its last attempt. */
  #leading = false;

  constructor(opts: AlertServiceOptions) {
    this.rules = opts.rules;
    this.source = opts.source;
    this.#store = opts.store;
    this.#clock = opts.clock ?? Date.now;
    this.#maxAgeMs = opts.maxAgeMs;
    this.#leaseMs = opts.leaseMs ?? Math.max(2 * opts.maxAgeMs, 30_000);
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
   * Evaluates after every stored cycle of the poller, when this process holds the `alerts` lease
   * (taking or renewing it first); returns the unsubscribe. Cycles that end while an evaluation
   * waits to start share it (it judges at the latest one's end): at national scale a cycle ends
   * every second and an evaluation of the whole network takes longer, so evaluations follow the
   * cycles instead of piling up behind them.
   */
  attach(poller: { onCycle(l: (c: CycleResult) => void): () => void }): () => void {
    return poller.onCycle((c) => {
      if (c.storeError === undefined) this.#follower.request(c.endedAt);
      else this.#follower.noteCycle();
    });
  }

  /** The evaluations after cycles, paced (monitor/pace.ts): the cycles that end during one or its rest share the next. */
  readonly #follower = new CycleFollower(
    (at) => this.#queue.run(async () => ((await this.#lead()) ? void (await this.#evaluate(at)) : undefined)),
    (e) => this.#log.error({ err: e.message }, 'alert evaluation failed'),
  );

  /** Whether this process evaluated and notified at its last cycle (held the lease). */
  get leading(): boolean {
    return this.#leading;
  }

  async #lead(): Promise<boolean> {
    const lease = await this.#store.write((tx) => takeLease(tx, 'alerts', this.#holder, Date.now(), this.#leaseMs));
    if (lease.taken) {
      // Another process may have evaluated until now: start from what it stored.
      this.#state = undefined;
      this.#silences = undefined;
    }
    if (lease.held !== this.#leading) {
      this.#log.info(
        { holder: lease.holder },
        lease.held ? 'alerting: this process evaluates and notifies' : 'alerting: another process evaluates and notifies',
      );
    }
    this.#leading = lease.held;
    return lease.held;
  }

  /** Re-sends firing alerts to Alertmanager every `resend` interval between evaluations (a slow poll interval would let them expire). */
  start(): void {
    this.#timer ??= setInterval(() => {
      void this.#queue.run(async () => (this.#leading ? this.#notify([], true) : undefined)).catch(() => undefined);
    }, this.rules.resendMs).unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#follower.wake();
  }

  /** Gives the lease up (on shutdown), so another process takes over at its next cycle instead of after the lease's time. */
  release(): Promise<void> {
    return this.#queue.run(async () => {
      if (!this.#leading) return;
      this.#leading = false;
      await this.#store.write((tx) => releaseLease(tx, 'alerts', this.#holder));
    });
  }

  /** Waits for queued evaluations and every delivery in flight. */
  async idle(): Promise<void> {
    await this.#follower.idle();
    await this.#queue.idle();
    await this.notifier.delivery.idle();
  }

  /** One evaluation of the whole stored network at `now` (whether or not this process holds the lease). */
  evaluate(now = this.#clock()): Promise<EvaluationSummary> {
    return this.#queue.run(() => this.#evaluate(now));
  }

  async #evaluate(now: number): Promise<EvaluationSummary> {
    const t = performance.now();
    const prev = await this.#loadState();
    const snap = await this.#snapshot(now);
    const read = performance.now();
    const e = evaluateAlerts(prev, snap, this.rules, now);
    const judged = performance.now();
    const describe = (a: AlertRecord) => describeAlert(a, (c) => this.siteName(c));
    const alertingCauses = new Set(
      [...e.state.alerts.values()].filter((a) => a.cutOff.length > 0).map((a) => `${a.subject.kind}:${a.subject.id}`),
    );
    const cutOff = [...e.dependencies.unreached]
      .map(([code, causes]) => ({ code, causes: causes.filter((c) => alertingCauses.has(c)) }))
      .filter((x) => x.causes.length > 0)
      .sort((x, y) => (x.code < y.code ? -1 : 1));
    const written = await this.#store.write((tx) =>
      writeEvaluation(tx, {
        at: now,
        cutOff,
        active: [...e.state.alerts.values()],
        previous: prev.alerts,
        flaps: e.state.flaps,
        events: e.changes.map((c) => eventRow(c, describe(c.alert))),
      }),
    );
    this.evaluations.alertsWritten += written.records;
    this.evaluations.alertValuesWritten += written.values;
    this.#state = e.state;
    this.#evaluatedAt = now;
    await this.#notify(e.changes);
    const ms = performance.now() - t;
    this.evaluations.count++;
    this.evaluations.ms += ms;
    this.evaluations.readMs += read - t;
    this.evaluations.judgeMs += judged - read;
    return { at: now, active: e.state.alerts.size, changes: e.changes.length, ms };
  }

  async #notify(changes: Parameters<Notifier['afterEvaluation']>[1], force = false): Promise<void> {
    if (!this.#state) return;
    const before = JSON.stringify(this.notifier.notified());
    this.notifier.afterEvaluation([...this.#state.alerts.values()], changes, await this.#loadSilences(), this.rules, force);
    const after = this.notifier.notified();
    if (JSON.stringify(after) !== before) await this.#store.write((tx) => writeNotified(tx, after));
  }

  async #loadState(): Promise<AlertState> {
    if (this.#state) return this.#state;
    const stored = await this.#store.read((tx) => readActiveAlerts(tx));
    this.notifier.restoreNotified(stored.notified);
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
    const { plan, linkStates, errorsPerSec } = await loadLinkStates(this.#store, { now, maxAgeMs: this.#maxAgeMs });
    const t = performance.now();
    const deviceStatus = await this.#store.read((tx) => readDeviceStatuses(tx));
    this.evaluations.readDevicesMs += performance.now() - t;
    this.#siteNames = new Map(plan.sites.map((s) => [s.code, s.name]));
    return alertSnapshot(plan, linkStates, { deviceStatus, errorsPerSec });
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
    return alertView(a, silences, now, (code) => this.siteName(code));
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
