import { z } from 'zod';
import { formatPath, issue, type PlanIssue } from '../plan/issues';
import { didYouMean } from '../plan/suggest';

/**
 * Alert rules as data: the rules file beside the plan (`alerts.yaml`),
 * validated once at load like the plan (strict: unknown keys are issues that
 * name their path and suggest the fix), with the Huizhou defaults applied
 * when the file is absent. Pure: the backend reads the file, this parses it.
 */

/** The closed set of rule kinds, each with the subject it watches. */
export const ALERT_RULE_KINDS = [
  'link-down',
  'link-below-target',
  'link-utilization',
  'link-errors',
  'device-unreachable',
  'site-backup-lost',
] as const;
export type AlertRuleKind = (typeof ALERT_RULE_KINDS)[number];

/** Severity, least to most urgent (Alertmanager's conventional `severity` label values). */
export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** Where notifications go; each is configured by environment variables (README "Alerts"). */
export const ALERT_DESTINATIONS = ['alertmanager', 'webhook', 'email'] as const;
export type AlertDestination = (typeof ALERT_DESTINATIONS)[number];

/** The subject an alert of each kind is about. */
export const SUBJECT_OF_KIND: Record<AlertRuleKind, 'link' | 'device' | 'site'> = {
  'link-down': 'link',
  'link-below-target': 'link',
  'link-utilization': 'link',
  'link-errors': 'link',
  'device-unreachable': 'device',
  'site-backup-lost': 'site',
};

const DURATION = /^(\d+)(s|m|h)$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;

/** `"90s"`, `"15m"`, `"2h"` → ms. */
export function durationMs(text: string): number {
  const m = DURATION.exec(text);
  if (!m) throw new Error(`invalid duration ${text}`);
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

const duration = z.string().regex(DURATION, { error: 'a duration such as 30s, 15m or 2h' });
const name = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, { error: 'a rule name: lower case letters, digits and -, e.g. link-down' });

const common = {
  name,
  severity: z.enum(ALERT_SEVERITIES).default('warning'),
  /** The condition must hold this long before the alert fires (Prometheus `for:`); until then it is pending. */
  for: duration.default('0s'),
  /** Destinations of this rule's notifications; default: the file's `destinations`. */
  destinations: z.array(z.enum(ALERT_DESTINATIONS)).optional(),
  /** One line for people (both languages welcome). */
  summary: z.string().max(200).optional(),
  /** Set false to keep a rule in the file without evaluating it. */
  enabled: z.boolean().default(true),
};

const pct = z.number().min(0).max(100);

/** One rule: a kind, its thresholds, severity, pending duration and destinations. */
export const alertRuleSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...common, kind: z.literal('link-down') }),
  z.strictObject({ ...common, kind: z.literal('link-below-target') }),
  z
    .strictObject({
      ...common,
      kind: z.literal('link-utilization'),
      /** Raise when either direction is above this percent of capacity (for `for`). */
      raisePct: pct,
      /** Clear only when both directions are below this percent (hysteresis: lower than raisePct). */
      clearPct: pct,
    })
    .refine((r) => r.clearPct < r.raisePct, { error: 'clearPct must be lower than raisePct (hysteresis)', path: ['clearPct'] }),
  z.strictObject({
    ...common,
    kind: z.literal('link-errors'),
    /** Raise when errors + discards (both ends, in and out) exceed this many packets per second. */
    maxPerSec: z.number().positive(),
  }),
  z.strictObject({ ...common, kind: z.literal('device-unreachable') }),
  z.strictObject({ ...common, kind: z.literal('site-backup-lost') }),
]);
export type AlertRuleInput = z.input<typeof alertRuleSchema>;

/** The rules file. */
export const alertRulesFileSchema = z
  .strictObject({
    /** Default destinations of every rule. */
    destinations: z.array(z.enum(ALERT_DESTINATIONS)).default(['alertmanager', 'webhook']),
    /** Flapping: more than `changes` state changes of one alert within `window` → one "flapping" notice; the alert is held. */
    flapping: z.strictObject({ changes: z.number().int().min(1).default(4), window: duration.default('30m') }).default({
      changes: 4,
      window: '30m',
    }),
    /** Alertmanager re-send interval of firing alerts (Prometheus's resend_delay). */
    resend: duration.default('1m'),
    rules: z.array(alertRuleSchema),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.rules.forEach((r, i) => {
      if (seen.has(r.name)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'name'], message: `rule name ${r.name} is used twice` });
      seen.add(r.name);
    });
  });

/** A rule ready to evaluate: durations in ms, destinations resolved. */
export interface AlertRule {
  name: string;
  kind: AlertRuleKind;
  severity: AlertSeverity;
  forMs: number;
  destinations: AlertDestination[];
  summary?: string;
  raisePct?: number;
  clearPct?: number;
  maxPerSec?: number;
}

export interface AlertRules {
  rules: AlertRule[];
  flapping: { changes: number; windowMs: number };
  resendMs: number;
}

/** The Huizhou defaults (plans/huizhou/alerts.yaml states the same explicitly). */
export const DEFAULT_ALERT_RULES_FILE: z.input<typeof alertRulesFileSchema> = {
  destinations: ['alertmanager', 'webhook'],
  flapping: { changes: 4, window: '30m' },
  resend: '1m',
  rules: [
    { name: 'link-down', kind: 'link-down', severity: 'critical', for: '0s' },
    { name: 'device-unreachable', kind: 'device-unreachable', severity: 'critical', for: '0s' },
    { name: 'link-below-target', kind: 'link-below-target', severity: 'warning', for: '15m' },
    { name: 'link-utilization', kind: 'link-utilization', severity: 'warning', for: '15m', raisePct: 80, clearPct: 70 },
    { name: 'link-errors', kind: 'link-errors', severity: 'warning', for: '5m', maxPerSec: 10 },
    { name: 'site-backup-lost', kind: 'site-backup-lost', severity: 'warning', for: '0s' },
  ],
};

/**
 * Parses a rules file (the YAML's data); every problem comes back as an issue
 * with its path and a fix, never a throw.
 * @example parseAlertRules({ rules: [{ name: 'link-down', kind: 'link-down' }] }, 'alerts.yaml')
 */
export function parseAlertRules(data: unknown, file = 'alerts.yaml'): { ok: true; rules: AlertRules } | { ok: false; issues: PlanIssue[] } {
  const r = alertRulesFileSchema.safeParse(data, { reportInput: true });
  if (!r.success) return { ok: false, issues: r.error.issues.map((i) => toIssue(file, i)) };
  const f = r.data;
  return {
    ok: true,
    rules: {
      flapping: { changes: f.flapping.changes, windowMs: durationMs(f.flapping.window) },
      resendMs: durationMs(f.resend),
      rules: f.rules
        .filter((x) => x.enabled)
        .map((x) => ({
          name: x.name,
          kind: x.kind,
          severity: x.severity,
          forMs: durationMs(x.for),
          destinations: x.destinations ?? f.destinations,
          ...(x.summary !== undefined && { summary: x.summary }),
          ...('raisePct' in x && { raisePct: x.raisePct, clearPct: x.clearPct }),
          ...('maxPerSec' in x && { maxPerSec: x.maxPerSec }),
        })),
    },
  };
}

/** The defaults, parsed. */
export function defaultAlertRules(): AlertRules {
  const r = parseAlertRules(DEFAULT_ALERT_RULES_FILE);
  if (!r.ok) throw new Error('the default alert rules are invalid');
  return r.rules;
}

const KEYS_OF: Record<string, string[]> = {
  '': ['destinations', 'flapping', 'resend', 'rules'],
  flapping: ['changes', 'window'],
  rule: ['name', 'kind', 'severity', 'for', 'destinations', 'summary', 'enabled', 'raisePct', 'clearPct', 'maxPerSec'],
};

function toIssue(file: string, z4: z.core.$ZodIssue): PlanIssue {
  const path = formatPath(z4.path);
  const input = (z4 as { input?: unknown }).input;
  if (z4.code === 'unrecognized_keys') {
    const where = z4.path.length === 0 ? '' : z4.path[0] === 'rules' ? 'rule' : String(z4.path[0]);
    const allowed = KEYS_OF[where] ?? [];
    const key = z4.keys[0]!;
    return issue(
      file,
      formatPath([...z4.path, key]),
      'unknown-key',
      `unknown key${z4.keys.length > 1 ? 's' : ''} ${z4.keys.map((k) => `"${k}"`).join(', ')}`,
      didYouMean(key, allowed) ?? `allowed keys: ${allowed.join(', ')}`,
    );
  }
  if (z4.code === 'invalid_type' && input === undefined)
    return issue(file, path, 'required', `${String(z4.path.at(-1) ?? file)} is required`);
  if (z4.code === 'invalid_union') {
    // A discriminated union reports the whole rule: name the kind it could not match.
    const kind = typeof input === 'object' && input !== null ? (input as { kind?: unknown }).kind : input;
    const kindPath = path.endsWith('.kind') ? path : formatPath([...z4.path, 'kind']);
    if (kind === undefined) return issue(file, kindPath, 'required', 'kind is required', `one of ${ALERT_RULE_KINDS.join(' | ')}`);
    return issue(
      file,
      kindPath,
      'invalid',
      `${JSON.stringify(kind)} is not one of ${ALERT_RULE_KINDS.join(' | ')}`,
      typeof kind === 'string' ? didYouMean(kind, [...ALERT_RULE_KINDS]) : undefined,
    );
  }
  if (z4.code === 'invalid_value') {
    const values = z4.values.map(String);
    const hint = typeof input === 'string' ? didYouMean(input, values) : undefined;
    return issue(file, path, 'invalid', `${JSON.stringify(input)} is not one of ${values.join(' | ')}`, hint);
  }
  return issue(file, path, 'invalid', z4.message);
}
