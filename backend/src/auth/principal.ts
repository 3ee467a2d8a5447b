import { createHmac, randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { DomainError, ROLES, type Role } from '@extranet/topology';
import type { Store } from '../neo4j/store';
import { principalCache } from './principal-cache';
import { findTokenByHash, findUser, touchToken } from './store';

/** Who is calling, once authenticated: from a session cookie or an API token. */
export interface Principal {
  username: string;
  displayName: string;
  role: Role;
  via: 'session' | 'token';
  /** The token's id, when via a token. */
  tokenId?: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
    /** Why the caller could not be identified (a bad token, the store unreachable); raised for every endpoint that is not public. */
    authError?: unknown;
  }
}

/** API token secrets: `xmt_` + 32 random bytes (base64url). The prefix lets secret scanners and people recognise them. */
export const TOKEN_PREFIX = 'xmt_';
export const newTokenSecret = (): string => `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
/** The stored form of a token secret: HMAC-SHA256 under the server key. */
export const tokenHash = (key: Buffer, secret: string): string => createHmac('sha256', key).update(secret).digest('base64url');

/** The lesser of two roles: a token never holds more than its owner holds now. */
const lesser = (a: Role, b: Role): Role => (ROLES.indexOf(a) <= ROLES.indexOf(b) ? a : b);

export interface PrincipalOptions {
  store: Store;
  key: Buffer;
  /** Hours after login after which a session ends. */
  sessionMaxMs: number;
  clock?: () => number;
  /** How often the accounts cached here are checked against the auth epoch, ms (see principal-cache.ts). Default 1 000. */
  epochCheckMs?: number;
}

/** How stale a token's recorded last use may get, ms (touchToken's own granularity). */
const TOKEN_TOUCH_MS = 60_000;

/**
 * Resolves `req.principal` from `Authorization: Bearer <token>` or else from
 * the session cookie. A bad, expired or revoked token is a 401 at once (no
 * fallback to the cookie); a session past its absolute lifetime, or of a user
 * disabled since, is destroyed. Accounts and tokens come from the principal
 * cache: a change made through this process applies at the next request, one
 * made by another process (a shard, the CLI) within `epochCheckMs` (1 s); a
 * token's expiry is checked against the clock on every request.
 */
export function principalFrom(opts: PrincipalOptions) {
  const clock = opts.clock ?? Date.now;
  // When this process last recorded a token's use: the stored last use is kept to the minute
  // (touchToken), so a token in steady use costs a write transaction once a minute, not per request.
  const touched = new Map<string, number>();
  const cache = principalCache(opts.store, { clock, ...(opts.epochCheckMs !== undefined && { epochCheckMs: opts.epochCheckMs }) });
  return async (req: Request): Promise<Principal | undefined> => {
    const auth = req.headers.authorization;
    if (auth !== undefined) {
      const m = /^Bearer ([A-Za-z0-9_-]{10,200})$/.exec(auth);
      if (!m) throw new DomainError('UNAUTHENTICATED', 'the Authorization header is not "Bearer <token>"', { field: 'authorization' });
      const now = clock();
      const found = await cache.token(tokenHash(opts.key, m[1]!), () =>
        opts.store.read(async (tx) => {
          const token = await findTokenByHash(tx, tokenHash(opts.key, m[1]!));
          return token && { token, owner: await findUser(tx, token.owner) };
        }),
      );
      if (!found || found.token.revokedAt !== null || found.token.expiresAt <= now || !found.owner || found.owner.disabled) {
        throw new DomainError('UNAUTHENTICATED', 'the API token is unknown, expired or revoked', { hint: 'ask an admin for a new token' });
      }
      if ((touched.get(found.token.id) ?? -Infinity) < now - TOKEN_TOUCH_MS) {
        await opts.store.write((tx) => touchToken(tx, found.token.id, now));
        touched.set(found.token.id, now);
      }
      return {
        username: found.owner.username,
        displayName: found.owner.displayName,
        role: lesser(found.token.role, found.owner.role),
        via: 'token',
        tokenId: found.token.id,
      };
    }
    const s = req.session;
    if (!s?.username) return undefined;
    if (clock() - (s.loginAt ?? 0) > opts.sessionMaxMs) {
      await new Promise<void>((r) => s.destroy(() => r()));
      return undefined;
    }
    const user = await cache.user(s.username, () => opts.store.read((tx) => findUser(tx, s.username!)));
    if (!user || user.disabled) {
      await new Promise<void>((r) => s.destroy(() => r()));
      return undefined;
    }
    return { username: user.username, displayName: user.displayName, role: user.role, via: 'session' };
  };
}

/**
 * Express middleware setting `req.principal`. A failure (a bad token, Neo4j
 * unreachable) is kept in `req.authError` rather than answered here, so a
 * public endpoint — the health check above all — still answers; the guard
 * raises it for every other endpoint.
 */
export function resolvePrincipal(resolve: (req: Request) => Promise<Principal | undefined>) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (req.authError !== undefined) return next();
    resolve(req).then(
      (p) => {
        if (p) req.principal = p;
        next();
      },
      (e: unknown) => {
        req.authError = e;
        next();
      },
    );
  };
}

/** Runs the session middleware, keeping its failure (the session store unreachable) in `req.authError` instead of failing the request. */
export function tolerant(mw: (req: Request, res: Response, next: NextFunction) => void) {
  return (req: Request, res: Response, next: NextFunction): void => {
    mw(req, res, (err?: unknown) => {
      if (err !== undefined && err !== null) req.authError = err;
      next();
    });
  };
}
