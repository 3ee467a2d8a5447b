import { z } from 'zod';

/**
 * Where alert notifications go, from environment variables (README "Alerts",
 * `.env.example`). Every destination is optional; a rule naming one that is
 * not configured is shown as "not configured" in the delivery status.
 */
const WEBHOOK_TEMPLATES = ['generic', 'wecom', 'dingtalk'] as const;
export type WebhookTemplate = (typeof WEBHOOK_TEMPLATES)[number];

const url = z.url({ protocol: /^https?$/, error: 'an http(s) URL' });
const schema = z
  .object({
    /** Alertmanager base URL, e.g. http://127.0.0.1:9093 (alerts are POSTed to /api/v2/alerts). */
    ALERTMANAGER_URL: url.optional(),
    /** A JSON webhook (企业微信 / 钉钉 group robot, or any receiver). */
    ALERT_WEBHOOK_URL: url.optional(),
    ALERT_WEBHOOK_TEMPLATE: z
      .enum(WEBHOOK_TEMPLATES, { error: `ALERT_WEBHOOK_TEMPLATE is one of ${WEBHOOK_TEMPLATES.join(', ')}` })
      .default('generic'),
    /** smtp://user:pass@host:port or smtps://…; with ALERT_EMAIL_TO. */
    SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'an smtp:// or smtps:// URL' }).optional(),
    ALERT_EMAIL_FROM: z.string().default('extranet-alerts@localhost'),
    /** Comma-separated recipients. */
    ALERT_EMAIL_TO: z.string().optional(),
    /** Base URL of this UI, for links in notifications (Alertmanager's generatorURL). */
    ALERT_EXTERNAL_URL: url.default('http://127.0.0.1:8080'),
    /** Attempts per notification (the first included), and the first back-off, ms (doubling, at most 5 minutes). */
    ALERT_RETRIES: z.coerce.number().int().min(1).max(20).default(5),
    ALERT_RETRY_BASE_MS: z.coerce.number().int().min(1).max(600_000).default(2000),
  })
  .strip();

export type AlertConfig = z.infer<typeof schema>;

/** @throws Error naming each bad variable */
export function loadAlertConfig(env: NodeJS.ProcessEnv = process.env): AlertConfig {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    throw new Error(`invalid alert configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  return parsed.data;
}

/** A URL without its secrets (password, query string: robots carry their key there), for the API and logs. */
export function redactUrl(u: string | undefined): string | null {
  if (!u) return null;
  const x = new URL(u);
  x.password = x.password ? '***' : '';
  x.search = x.search ? '?…' : '';
  return x.toString();
}
