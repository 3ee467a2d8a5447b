import { createHash, randomBytes } from 'node:crypto';
import session from 'express-session';
import type { Store } from '../neo4j/store';
import { deleteSession, getSession, putSession, touchSession } from './store';

declare module 'express-session' {
  interface SessionData {
    username: string;
    /** Synchronizer token against cross-site requests: sent back as X-CSRF-Token on every write. */
    csrfToken: string;
    /** Login time, ms: the absolute expiry counts from here whatever the activity. */
    loginAt: number;
    source: string | null;
    userAgent: string | null;
  }
}

/** The stored key of a session id (the cookie's secret is never stored as is). */
export const sessionKey = (sid: string): string => createHash('sha256').update(sid).digest('base64url');

/**
 * express-session's store in Neo4j, so sessions survive a restart, are shared
 * by every process of a deployment, and can be listed and revoked by admins.
 * Expiry: each session's `expiresAt` is its cookie's (idle timeout, rolling).
 */
export class Neo4jSessionStore extends session.Store {
  constructor(
    private readonly store: Store,
    private readonly clock: () => number = Date.now,
  ) {
    super();
  }

  override get(sid: string, cb: (err: unknown, s?: session.SessionData | null) => void): void {
    this.store
      .read((tx) => getSession(tx, sessionKey(sid), this.clock()))
      .then((s) => cb(null, s ? (JSON.parse(s.data) as session.SessionData) : null), cb);
  }

  override set(sid: string, s: session.SessionData, cb?: (err?: unknown) => void): void {
    const now = this.clock();
    this.store
      .write((tx) =>
        putSession(tx, {
          key: sessionKey(sid),
          handle: randomBytes(12).toString('base64url'),
          username: s.username ?? null,
          data: JSON.stringify(s),
          createdAt: now,
          lastSeenAt: now,
          expiresAt: this.expiry(s, now),
          source: s.source ?? null,
          userAgent: s.userAgent ?? null,
        }),
      )
      .then(
        () => cb?.(),
        (e: unknown) => cb?.(e),
      );
  }

  override touch(sid: string, s: session.SessionData, cb?: (err?: unknown) => void): void {
    const now = this.clock();
    this.store
      .write((tx) => touchSession(tx, sessionKey(sid), now, this.expiry(s, now)))
      .then(
        () => cb?.(),
        (e: unknown) => cb?.(e),
      );
  }

  override destroy(sid: string, cb?: (err?: unknown) => void): void {
    this.store
      .write((tx) => deleteSession(tx, sessionKey(sid)))
      .then(
        () => cb?.(),
        (e: unknown) => cb?.(e),
      );
  }

  private expiry(s: session.SessionData, now: number): number {
    const cookieExpiry = s.cookie?.expires ? new Date(s.cookie.expires).getTime() : now + (s.cookie?.originalMaxAge ?? 1_800_000);
    return cookieExpiry;
  }
}
