import type { AlertRuleKind, AlertSeverity } from './rules';

/**
 * An alert's life: `pending` (condition true, waiting out the rule's `for`) →
 * `firing` → `resolved`. A pending alert whose condition clears is resolved
 * without ever firing (and never notified). Times in ms since the epoch.
 */
export const ALERT_STATES = ['pending', 'firing', 'resolved'] as const;
export type AlertStateName = (typeof ALERT_STATES)[number];

export type AlertSubject = { kind: 'link' | 'device' | 'site'; id: string };

/** One alert instance: a rule on a subject. */
export interface AlertRecord {
  /** `rule|kind:id`, e.g. `link-down|link:L-4413-441303`; flapping notices: `flapping|<key of the flapping alert>`. */
  key: string;
  /** Rule name (`alertname` label); `flapping` for flapping notices. */
  rule: string;
  kind: AlertRuleKind | 'flapping';
  severity: AlertSeverity;
  subject: AlertSubject;
  state: AlertStateName;
  /** When the condition became true. */
  since: number;
  firedAt?: number;
  resolvedAt?: number;
  /** Last evaluation that saw it. */
  updatedAt: number;
  /** The measured value behind it (percent, packets/s), where there is one. */
  value?: number;
  /** Sites this failure cuts off from the city core (root causes only), sorted codes. */
  cutOff: string[];
  /** Sites still reached that lost their backup path through this failure (root causes only). */
  degraded: string[];
  /** Element keys (`link:ID`, `device:HOST`) of the alerting failures that explain this one; non-empty = suppressed, not notified. */
  suppressedBy: string[];
  /** Held: the alert changes state too often; one flapping notice stands for it. */
  flapping: boolean;
  /** Labels for routing (Alertmanager) and silences. */
  labels: Record<string, string>;
  ack?: { by: string; at: number; note: string };
}

/** What the engine carries from one evaluation to the next. */
export interface AlertState {
  /** Active alerts (pending or firing) by key. */
  alerts: Map<string, AlertRecord>;
  /** Times the condition of each key changed (true↔false), within the flapping window. */
  flaps: Map<string, number[]>;
}

export const emptyAlertState = (): AlertState => ({ alerts: new Map(), flaps: new Map() });

/** One state change of one alert, for the history and the notifiers. */
export interface AlertChange {
  key: string;
  from: AlertStateName | 'inactive';
  to: AlertStateName;
  at: number;
  /** The alert after the change. */
  alert: AlertRecord;
}
