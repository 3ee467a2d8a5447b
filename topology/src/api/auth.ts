import { z } from 'zod';
import { isoTime, noQuery, page, queryInt } from './common';
import { endpoint } from './endpoint';
import { ROLES } from './roles';

/**
 * Accounts, sessions, API tokens and the audit. Passwords and token secrets go
 * in request bodies only, are never returned (a token's secret once, at
 * creation) and never logged.
 */

export const usernameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9._-]{1,31}$/, 'a user name is 2–32 lower-case letters, digits, ".", "_" or "-", starting with a letter');
/** OWASP: at least 12 characters (a passphrase), at most 256; any characters. */
export const passwordSchema = z.string().min(12, 'a password has at least 12 characters').max(256);
const role = z.enum(ROLES);

export const userSchema = z
  .object({
    username: z.string(),
    displayName: z.string(),
    role,
    disabled: z.boolean(),
    createdAt: z.string(),
    passwordChangedAt: z.string().nullable(),
    lastLoginAt: z.string().nullable(),
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof userSchema>;

/** Who is calling, as the API tells the UI. `csrfToken` is set for cookie sessions: send it as `X-CSRF-Token` on every write. */
export const meSchema = z
  .object({
    user: userSchema.pick({ username: true, displayName: true, role: true }),
    via: z.enum(['session', 'token']),
    csrfToken: z.string().nullable(),
    expiresAt: z.string().nullable(),
  })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof meSchema>;

export const sessionSchema = z
  .object({
    id: z.string().meta({ description: 'A handle for the session (not the cookie value)' }),
    username: z.string(),
    createdAt: z.string(),
    lastSeenAt: z.string(),
    expiresAt: z.string(),
    source: z.string().nullable(),
    userAgent: z.string().nullable(),
  })
  .meta({ id: 'Session' });

export const tokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role,
    owner: z.string(),
    createdAt: z.string(),
    expiresAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiToken' });
export type ApiToken = z.infer<typeof tokenSchema>;

export const auditEventSchema = z
  .object({
    id: z.string(),
    at: z.string(),
    actor: z.string(),
    role: z.string().nullable(),
    via: z.enum(['session', 'token', 'cli', 'system']),
    action: z.string().meta({ description: 'The endpoint (operationId) or CLI command' }),
    target: z.string().nullable(),
    before: z.unknown().nullable(),
    after: z.unknown().nullable(),
    outcome: z.enum(['ok', 'refused', 'failed']),
    errorCode: z.string().nullable(),
    requestId: z.string().nullable(),
    source: z.string().nullable().meta({ description: 'Source address of the request' }),
  })
  .meta({ id: 'AuditEvent' });
export type AuditEvent = z.infer<typeof auditEventSchema>;

export const login = endpoint({
  method: 'POST',
  path: '/api/auth/login',
  tag: 'auth',
  permission: 'public',
  summary: 'Log in with user name and password: sets the session cookie (rate-limited per address and per user)',
  body: z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }),
  bodyLimit: 4096,
  query: noQuery,
  response: meSchema,
});

export const logout = endpoint({
  method: 'POST',
  path: '/api/auth/logout',
  tag: 'auth',
  permission: 'read',
  summary: 'End this session',
  query: noQuery,
  response: z.object({ ok: z.literal(true) }),
});

export const me = endpoint({
  method: 'GET',
  path: '/api/auth/me',
  tag: 'auth',
  permission: 'read',
  summary: 'Who is calling, with the CSRF token of a cookie session',
  query: noQuery,
  response: meSchema,
});

export const changePassword = endpoint({
  method: 'POST',
  path: '/api/auth/password',
  tag: 'auth',
  permission: 'read',
  summary: "Change one's own password (the current one is asked again); other sessions of the user end",
  body: z.strictObject({ current: z.string().min(1).max(256), next: passwordSchema }),
  bodyLimit: 4096,
  query: noQuery,
  response: z.object({ ok: z.literal(true) }),
});

export const listUsers = endpoint({
  method: 'GET',
  path: '/api/users',
  tag: 'auth',
  permission: 'admin',
  summary: 'Accounts',
  query: noQuery,
  response: page(userSchema),
});

export const createUser = endpoint({
  method: 'POST',
  path: '/api/users',
  tag: 'auth',
  permission: 'admin',
  summary: 'Create an account',
  body: z.strictObject({
    username: usernameSchema,
    displayName: z.string().trim().min(1).max(64).optional(),
    role,
    password: passwordSchema,
  }),
  bodyLimit: 4096,
  query: noQuery,
  response: userSchema,
  success: [201],
});

export const updateUser = endpoint({
  method: 'PATCH',
  path: '/api/users/:username',
  tag: 'auth',
  permission: 'admin',
  summary: "Change an account's role, display name or password, or disable it (its sessions and tokens end)",
  params: z.strictObject({ username: usernameSchema }),
  body: z.strictObject({
    role: role.optional(),
    displayName: z.string().trim().min(1).max(64).optional(),
    disabled: z.boolean().optional(),
    password: passwordSchema.optional(),
  }),
  bodyLimit: 4096,
  query: noQuery,
  response: userSchema,
});

export const listSessions = endpoint({
  method: 'GET',
  path: '/api/sessions',
  tag: 'auth',
  permission: 'admin',
  summary: 'Live sessions',
  query: noQuery,
  response: page(sessionSchema),
});

export const revokeSession = endpoint({
  method: 'DELETE',
  path: '/api/sessions/:id',
  tag: 'auth',
  permission: 'admin',
  summary: 'End a session',
  params: z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) }),
  query: noQuery,
  response: z.object({ revoked: z.literal(true) }),
});

export const listTokens = endpoint({
  method: 'GET',
  path: '/api/tokens',
  tag: 'auth',
  permission: 'admin',
  summary: 'API tokens (never their secrets)',
  query: noQuery,
  response: page(tokenSchema),
});

export const createToken = endpoint({
  method: 'POST',
  path: '/api/tokens',
  tag: 'auth',
  permission: 'admin',
  summary: 'Create an API token for the CLI or automation: its secret is in this answer only (send it as Authorization: Bearer)',
  body: z.strictObject({
    name: z.string().trim().min(1).max(64),
    role,
    expiresInDays: z.number().int().min(1).max(730).default(90),
  }),
  bodyLimit: 4096,
  query: noQuery,
  response: z.object({ token: tokenSchema, secret: z.string() }),
  success: [201],
});

export const revokeToken = endpoint({
  method: 'DELETE',
  path: '/api/tokens/:id',
  tag: 'auth',
  permission: 'admin',
  summary: 'Revoke an API token',
  params: z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) }),
  query: noQuery,
  response: z.object({ revoked: z.literal(true) }),
});

const auditQuery = z.strictObject({
  actor: z.string().max(64).optional(),
  action: z.string().max(64).optional(),
  target: z.string().max(200).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  limit: queryInt(1, 10_000).optional(),
});

export const listAudit = endpoint({
  method: 'GET',
  path: '/api/audit',
  tag: 'auth',
  permission: 'admin',
  summary: 'The audit of every write, newest first, filtered by actor, action, target and time',
  query: auditQuery,
  response: page(auditEventSchema),
});

export const exportAudit = endpoint({
  method: 'GET',
  path: '/api/audit.csv',
  tag: 'auth',
  permission: 'admin',
  summary: 'The audit as CSV (cells that a spreadsheet would run as a formula are neutralised)',
  query: auditQuery,
  response: z.string(),
  responseType: 'text/csv',
});
