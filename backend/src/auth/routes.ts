import { rateLimit } from 'express-rate-limit';
import type { Request, RequestHandler } from 'express';
import { authApi, csvTable, DomainError } from '@extranet/topology';
import { Answer, route, type Route } from '../http/contract';
import type { Store } from '../neo4j/store';
import { queryAudit } from './audit';
import type { AuthConfig } from './config';
import * as auth from './service';

const WINDOW_MS = 15 * 60_000;

/** Login rate limits: per source address, and failed attempts per user name (so a distributed guess at one account is slowed too). */
function loginLimits(config: AuthConfig): RequestHandler[] {
  const tooMany = (what: string) => () => {
    throw new DomainError('TOO_MANY_REQUESTS', `too many login attempts ${what}; try again in 15 minutes`);
  };
  return [
    rateLimit({
      windowMs: WINDOW_MS,
      limit: config.LOGIN_LIMIT_PER_ADDRESS,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: tooMany('from this address'),
    }),
    rateLimit({
      windowMs: WINDOW_MS,
      limit: config.LOGIN_LIMIT_PER_USER,
      standardHeaders: false,
      legacyHeaders: false,
      skipSuccessfulRequests: true,
      keyGenerator: (req: Request) => {
        const name = (req.body as { username?: unknown } | undefined)?.username;
        return `user:${typeof name === 'string' ? name.toLowerCase().slice(0, 64) : ''}`;
      },
      handler: tooMany('for this user'),
    }),
  ];
}

/** Accounts, sessions, tokens and the audit (declared in topology/src/api/auth.ts). */
export function authRoutes(store: Store, key: Buffer, config: AuthConfig): Route[] {
  const who = (p: Parameters<Parameters<typeof route>[1]>[1]['principal']) => {
    if (!p) throw new DomainError('UNAUTHENTICATED', 'log in first');
    return p;
  };
  const auditFilter = (q: {
    actor?: string | undefined;
    action?: string | undefined;
    target?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
    limit?: number | undefined;
  }) => ({
    ...q,
    from: q.from !== undefined ? Date.parse(q.from) : undefined,
    to: q.to !== undefined ? Date.parse(q.to) : undefined,
  });
  return [
    route(
      authApi.login,
      async ({ body }, { req, audit }) => {
        // The audit names an account only: a password typed into the name field by mistake must not be kept.
        if (await auth.userExists(store, body.username)) audit.target = body.username;
        if (req.authError !== undefined) {
          // eslint-disable-next-line @typescript-eslint/only-throw-error -- re-raises what the session middleware caught
          throw req.authError;
        }
        if (!req.session) {
          // A request with a token runs without sessions (trust.ts): a login is a cookie's business.
          throw req.headers.authorization !== undefined
            ? new DomainError('BAD_REQUEST', 'a login starts a cookie session: send it without an Authorization header', {
                field: 'authorization',
              })
            : new DomainError('STORE_UNAVAILABLE', 'sessions are unavailable');
        }
        return auth.login(store, req, body.username, body.password);
      },
      loginLimits(config),
    ),
    route(authApi.logout, async (_i, { req }) => {
      await auth.logout(req);
      return { ok: true as const };
    }),
    route(authApi.me, (_i, { req, principal }) => auth.meOf(who(principal), req)),
    route(authApi.changePassword, async ({ body }, { req, principal }) => {
      await auth.changeOwnPassword(store, req, who(principal), body.current, body.next);
      return { ok: true as const };
    }),
    route(authApi.listUsers, async () => {
      const items = await auth.listUsers(store);
      return { items, total: items.length };
    }),
    route(authApi.createUser, async ({ body }) => new Answer(201, await auth.createUser(store, body))),
    route(authApi.updateUser, async ({ params, body }, { audit }) => {
      const { before, after } = await auth.updateUser(store, params.username, body);
      audit.before = before;
      return after;
    }),
    route(authApi.listSessions, async () => {
      const items = await auth.listSessions(store);
      return { items, total: items.length };
    }),
    route(authApi.revokeSession, async ({ params }) => {
      await auth.revokeSession(store, params.id);
      return { revoked: true as const };
    }),
    route(authApi.listTokens, async () => {
      const items = await auth.listTokens(store);
      return { items, total: items.length };
    }),
    route(
      authApi.createToken,
      async ({ body }, { principal }) => new Answer(201, await auth.createToken(store, key, who(principal), body)),
    ),
    route(authApi.revokeToken, async ({ params }) => {
      await auth.revokeToken(store, params.id);
      return { revoked: true as const };
    }),
    route(authApi.listAudit, async ({ query }) => {
      const items = await queryAudit(store, auditFilter(query));
      return { items, total: items.length };
    }),
    route(authApi.exportAudit, async ({ query }) => {
      const items = await queryAudit(store, { ...auditFilter(query), limit: query.limit ?? 10_000 });
      const csv = csvTable(
        ['at', 'actor', 'role', 'via', 'action', 'target', 'outcome', 'errorCode', 'requestId', 'source', 'before', 'after'],
        items.map((e) => [
          e.at,
          e.actor,
          e.role,
          e.via,
          e.action,
          e.target,
          e.outcome,
          e.errorCode,
          e.requestId,
          e.source,
          JSON.stringify(e.before),
          JSON.stringify(e.after),
        ]),
      );
      return new Answer(200, csv, { 'Content-Disposition': 'attachment; filename="audit.csv"' });
    }),
  ];
}
