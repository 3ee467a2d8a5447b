import { z } from 'zod';

/**
 * Settings of accounts, sessions and HTTP hardening, from the environment,
 * validated once. Defaults follow OWASP's session guidance: a session ends
 * after 30 idle minutes and at most 12 hours after login.
 */
const list = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .optional();

const schema = z
  .object({
    /** Minutes without a request after which a session ends. */
    SESSION_IDLE_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
    /** Hours after login after which a session ends whatever its use. */
    SESSION_MAX_HOURS: z.coerce
      .number()
      .min(0.01)
      .max(24 * 30)
      .default(12),
    /**
     * Origins (scheme://host[:port]) allowed to send cookie-authenticated writes and open live connections,
     * besides the server's own origin. Comma-separated, e.g. https://extranet.hz.gov.cn
     */
    ALLOWED_ORIGINS: list,
    /**
     * Host header values the server answers to (against DNS rebinding). Comma-separated host[:port].
     * Default: loopback names, this machine's host name and interface addresses.
     */
    ALLOWED_HOSTS: list,
    /** File holding the server's secret key (token hashes, cookie signatures); made on first start, mode 0600. */
    SECRET_KEY_FILE: z.string().default('data/secret.key'),
    /** Behind a TLS-terminating reverse proxy: trust its X-Forwarded-* headers (express `trust proxy`), e.g. `loopback` or `1`. */
    TRUST_PROXY: z.string().optional(),
    /** Login attempts allowed per source address per 15 minutes. */
    LOGIN_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).default(30),
    /** Failed login attempts allowed per user name per 15 minutes. */
    LOGIN_LIMIT_PER_USER: z.coerce.number().int().min(1).default(10),
  })
  .strip();

export type AuthConfig = z.infer<typeof schema>;

export function loadAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    throw new Error(`invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  return parsed.data;
}
