import { z } from 'zod';
import { ALERT_DESTINATIONS, ALERT_RULE_KINDS, ALERT_SEVERITIES } from '../alerts/rules';
import { ALERT_STATES } from '../alerts/types';
import { linkIdParam, noQuery, queryInt, siteCodeParam } from './common';
import { endpoint } from './endpoint';

/**
 * Alerts: the active ones with their cause and the sites they cut off,
 * history per link and per site, acknowledgements, silences, the rules in
 * force and the delivery status of each destination. Times ISO 8601.
 */

const time = z.string();
const siteRef = z.object({ code: z.string(), name: z.string() });

/** One alert as the API and the UI show it. */
export const alertViewSchema = z
  .object({
    key: z.string().meta({ example: 'link-down|link:L-4413-441303' }),
    rule: z.string(),
    kind: z.enum([...ALERT_RULE_KINDS, 'flapping']),
    severity: z.enum(ALERT_SEVERITIES),
    subject: z.object({ kind: z.enum(['link', 'device', 'site']), id: z.string() }),
    state: z.enum(ALERT_STATES),
    since: time,
    firedAt: time.nullable(),
    resolvedAt: time.nullable(),
    value: z.number().nullable(),
    summary: z.string(),
    /** Sites this failure cuts off from the city core. */
    cutOff: z.array(siteRef),
    /** Sites still reached that lost their backup path through this failure. */
    degraded: z.array(siteRef),
    /** The failures (`link:ID`, `device:HOST`) that explain this alert; non-empty = suppressed, not notified. */
    suppressedBy: z.array(z.string()),
    flapping: z.boolean(),
    /** Active silences matching it (ids): shown, not notified. */
    silencedBy: z.array(z.string()),
    labels: z.record(z.string(), z.string()),
    ack: z.object({ by: z.string(), at: time, note: z.string() }).nullable(),
  })
  .meta({ id: 'Alert' });
export type AlertView = z.infer<typeof alertViewSchema>;

/** One state change, for the history. */
export const alertEventSchema = z
  .object({
    key: z.string(),
    rule: z.string(),
    severity: z.enum(ALERT_SEVERITIES),
    subject: z.object({ kind: z.enum(['link', 'device', 'site']), id: z.string() }),
    from: z.enum([...ALERT_STATES, 'inactive']),
    to: z.enum(ALERT_STATES),
    at: time,
    summary: z.string(),
    suppressed: z.boolean(),
    cutOff: z.array(z.string()),
  })
  .meta({ id: 'AlertEvent' });
export type AlertEventView = z.infer<typeof alertEventSchema>;

const matcher = z.strictObject({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, { error: 'a label name, e.g. county' }),
  value: z.string().max(256),
  isRegex: z.boolean().default(false),
  isEqual: z.boolean().default(true),
});

export const silenceSchema = z
  .object({
    id: z.string(),
    matchers: z.array(z.object({ name: z.string(), value: z.string(), isRegex: z.boolean(), isEqual: z.boolean() })),
    startsAt: time,
    endsAt: time,
    createdBy: z.string(),
    createdAt: time,
    comment: z.string(),
    expiredBy: z.string().nullable(),
    active: z.boolean(),
  })
  .meta({ id: 'Silence' });
export type SilenceView = z.infer<typeof silenceSchema>;

export const deliveryStatusSchema = z
  .object({
    destination: z.enum(ALERT_DESTINATIONS),
    configured: z.boolean(),
    /** Where to (no secret: a webhook's query string and any password are cut). */
    target: z.string().nullable(),
    sent: z.number().int(),
    failed: z.number().int(),
    /** Deliveries waiting for a retry. */
    retrying: z.number().int(),
    lastSuccessAt: time.nullable(),
    lastFailureAt: time.nullable(),
    lastError: z.string().nullable(),
  })
  .meta({ id: 'AlertDelivery' });

const historyQuery = z.strictObject({ limit: queryInt(1, 1000).default(200) });
const history = z.object({ items: z.array(alertEventSchema), total: z.number().int() });

export const listAlerts = endpoint({
  method: 'GET',
  path: '/api/alerts',
  tag: 'alerts',
  permission: 'read',
  summary: 'Active alerts (pending and firing) with severity, cause, cut-off sites, acknowledgement and silences',
  query: noQuery,
  response: z.object({
    items: z.array(alertViewSchema),
    total: z.number().int(),
    evaluatedAt: time.nullable(),
    /** Sites cut off from the city core by an alerting failure: marked suppressed with their causes, not alerted one by one. */
    suppressedSites: z.array(siteRef.extend({ causes: z.array(z.string()) })),
  }),
});

export const alertHistory = endpoint({
  method: 'GET',
  path: '/api/alerts/history',
  tag: 'alerts',
  permission: 'read',
  summary: 'State changes of all alerts, newest first',
  query: historyQuery,
  response: history,
});

export const linkAlertHistory = endpoint({
  method: 'GET',
  path: '/api/links/:id/alerts',
  tag: 'alerts',
  permission: 'read',
  summary: "A link's alert history, newest first",
  params: z.strictObject({ id: linkIdParam }),
  query: historyQuery,
  response: history,
});

export const siteAlertHistory = endpoint({
  method: 'GET',
  path: '/api/sites/:code/alerts',
  tag: 'alerts',
  permission: 'read',
  summary: "A site's alert history (its own, its devices' and its uplinks'), newest first",
  params: z.strictObject({ code: siteCodeParam }),
  query: historyQuery,
  response: history,
});

export const acknowledgeAlert = endpoint({
  method: 'POST',
  path: '/api/alerts/ack',
  tag: 'alerts',
  permission: 'operate',
  summary: 'Acknowledge an active alert: who (the caller), when (now) and a note',
  body: z.strictObject({
    key: z.string().min(1).max(300),
    note: z.string().trim().max(500).default(''),
  }),
  bodyLimit: 4096,
  query: noQuery,
  response: alertViewSchema,
});

export const listSilences = endpoint({
  method: 'GET',
  path: '/api/alerts/silences',
  tag: 'alerts',
  permission: 'read',
  summary: 'Silences, active and past (newest first)',
  query: noQuery,
  response: z.object({ items: z.array(silenceSchema), total: z.number().int() }),
});

export const createSilence = endpoint({
  method: 'POST',
  path: '/api/alerts/silences',
  tag: 'alerts',
  permission: 'operate',
  summary: 'Silence the alerts whose labels match every matcher, from startsAt (default now) to endsAt',
  body: z.strictObject({
    matchers: z.array(matcher).min(1, { error: 'give at least one matcher, e.g. {"name":"county","value":"441303"}' }).max(20),
    startsAt: z.iso.datetime({ offset: true }).optional(),
    endsAt: z.iso.datetime({ offset: true, error: 'an ISO 8601 time with offset, e.g. 2025-03-04T12:00:00+08:00' }),
    comment: z.string().trim().min(1, { error: 'say why (comment)' }).max(500),
  }),
  bodyLimit: 8192,
  query: noQuery,
  response: silenceSchema,
  success: [201],
});

export const expireSilence = endpoint({
  method: 'DELETE',
  path: '/api/alerts/silences/:id',
  tag: 'alerts',
  permission: 'operate',
  summary: 'Expire a silence now',
  params: z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) }),
  query: noQuery,
  response: silenceSchema,
});

export const listAlertRules = endpoint({
  method: 'GET',
  path: '/api/alerts/rules',
  tag: 'alerts',
  permission: 'read',
  summary: 'The alert rules in force (from the rules file beside the plan, or the defaults)',
  query: noQuery,
  response: z.object({
    source: z.string(),
    flapping: z.object({ changes: z.number().int(), windowMs: z.number().int() }),
    resendMs: z.number().int(),
    items: z.array(
      z.object({
        name: z.string(),
        kind: z.enum(ALERT_RULE_KINDS),
        severity: z.enum(ALERT_SEVERITIES),
        forMs: z.number().int(),
        destinations: z.array(z.enum(ALERT_DESTINATIONS)),
        summary: z.string().nullable(),
        raisePct: z.number().nullable(),
        clearPct: z.number().nullable(),
        maxPerSec: z.number().nullable(),
      }),
    ),
  }),
});

export const alertDeliveries = endpoint({
  method: 'GET',
  path: '/api/alerts/deliveries',
  tag: 'alerts',
  permission: 'read',
  summary: 'Delivery status of each notification destination (Alertmanager, webhook, e-mail)',
  query: noQuery,
  response: z.object({ items: z.array(deliveryStatusSchema) }),
});
