import type { Request, RequestHandler } from 'express';
import session from 'express-session';
import type { Endpoint } from '@extranet/topology';
import { resolveFromRoot } from '../config';
import type { AuditEntry } from '../http/contract';
import type { Store } from '../neo4j/store';
import { auditRecorder } from './audit';
import { loadAuthConfig, type AuthConfig } from './config';
import { authorize, defaultAllowedHosts } from './guard';
import { principalFrom, type Principal } from './principal';
import { loadSecretKey } from './secret';
import { Neo4jSessionStore } from './session-store';

/**
 * Everything the HTTP API and the live channel need to know who calls and
 * whether they may: one per process, shared by express and socket.io so both
 * accept the same session cookie and the same API tokens.
 */
export interface Trust {
  readonly config: AuthConfig;
  readonly key: Buffer;
  readonly allowedHosts: readonly string[];
  readonly allowedOrigins: readonly string[];
  /**
   * express-session over the Neo4j session store (cookie `xm.sid`: httpOnly, SameSite=Lax, Secure over HTTPS, rolling
   * idle expiry); skipped for a request with an `Authorization` header.
   */
  readonly session: RequestHandler;
  readonly resolve: (req: Request) => Promise<Principal | undefined>;
  readonly authorize: (e: Endpoint, req: Request) => void;
  readonly audit: (entry: AuditEntry) => Promise<void>;
}

export const SESSION_COOKIE = 'xm.sid';

/** Its schema (users, tokens, sessions, audit) is created by the store's migrations at start (AUTH_MIGRATIONS). */
export function createTrust(store: Store, opts: { env?: NodeJS.ProcessEnv; clock?: () => number } = {}): Trust {
  const config = loadAuthConfig(opts.env);
  const clock = opts.clock ?? Date.now;
  const key = loadSecretKey(resolveFromRoot(config.SECRET_KEY_FILE));
  const allowedOrigins = config.ALLOWED_ORIGINS ?? [];
  const idleMs = config.SESSION_IDLE_MINUTES * 60_000;
  const sessions = session({
    name: SESSION_COOKIE,
    secret: key.toString('base64url'),
    store: new Neo4jSessionStore(store, clock),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    unset: 'destroy',
    cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: idleMs, path: '/' },
  });
  return {
    config,
    key,
    allowedHosts: config.ALLOWED_HOSTS ?? defaultAllowedHosts(),
    allowedOrigins,
    // A request with `Authorization` is identified by its token alone (never by a cookie), so it skips
    // the session middleware and its session-store read and write.
    session: (req, res, next) => (req.headers.authorization !== undefined ? next() : sessions(req, res, next)),
    resolve: principalFrom({ store, key, sessionMaxMs: config.SESSION_MAX_HOURS * 3_600_000, clock }),
    authorize: authorize({ allowedOrigins }),
    audit: auditRecorder(store, clock),
  };
}
