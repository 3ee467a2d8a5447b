import { randomBytes, randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { DomainError, roleAtMost, type ApiToken, type Me, type Role, type User } from '@extranet/topology';
import type { Store } from '../neo4j/store';
import { DUMMY_HASH, hashPassword, needsRehash, verifyPassword } from './passwords';
import { newTokenSecret, tokenHash, type Principal } from './principal';
import { authChanged } from './principal-cache';
import { sessionKey } from './session-store';
import * as db from './store';

/**
 * Account, session and token operations; each write is one transaction. Times in ms.
 * Every write that changes who a session or token is clears this process's
 * principal caches after its commit ({@link authChanged}); the store's writes
 * move the auth epoch, so other processes' caches follow within a second.
 */

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function toUser(u: db.UserRecord): User {
  return {
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    disabled: u.disabled,
    createdAt: iso(u.createdAt)!,
    passwordChangedAt: iso(u.passwordChangedAt),
    lastLoginAt: iso(u.lastLoginAt),
  };
}

const toToken = (t: db.TokenRecord): ApiToken => ({
  id: t.id,
  name: t.name,
  role: t.role,
  owner: t.owner,
  createdAt: iso(t.createdAt)!,
  expiresAt: iso(t.expiresAt)!,
  lastUsedAt: iso(t.lastUsedAt),
  revokedAt: iso(t.revokedAt),
});

/**
 * Creates an account. Used by the API (admins), `extranet user create` and
 * `scripts/run`'s first admin. @throws USER_EXISTS
 */
export async function createUser(
  store: Store,
  u: { username: string; displayName?: string | undefined; role: Role; password: string },
  clock: () => number = Date.now,
): Promise<User> {
  const passwordHash = await hashPassword(u.password);
  const now = clock();
  const record = {
    username: u.username,
    displayName: u.displayName ?? u.username,
    role: u.role,
    passwordHash,
    disabled: false,
    createdAt: now,
    passwordChangedAt: now,
  };
  const created = await store.write((tx) => db.createUser(tx, record));
  authChanged(store);
  if (!created) throw new DomainError('USER_EXISTS', `the user name ${u.username} is taken`, { field: 'username' });
  return toUser({ ...record, lastLoginAt: null });
}

export async function userExists(store: Store, username: string): Promise<boolean> {
  return (await store.read((tx) => db.findUser(tx, username))) !== undefined;
}

export async function countUsers(store: Store): Promise<number> {
  return store.read((tx) => db.countUsers(tx));
}

export async function listUsers(store: Store): Promise<User[]> {
  return (await store.read((tx) => db.listUsers(tx))).map(toUser);
}

/**
 * Changes an account. Disabling it, or changing its role or password, ends its
 * sessions and (when disabled) revokes its tokens. The last enabled admin can
 * be neither demoted nor disabled. @throws NOT_FOUND, LAST_ADMIN
 */
export async function updateUser(
  store: Store,
  username: string,
  change: { role?: Role | undefined; displayName?: string | undefined; disabled?: boolean | undefined; password?: string | undefined },
  clock: () => number = Date.now,
): Promise<{ before: User; after: User }> {
  const passwordHash = change.password !== undefined ? await hashPassword(change.password) : undefined;
  const now = clock();
  const changed = await store.write(async (tx) => {
    const before = await db.findUser(tx, username);
    if (!before) throw new DomainError('NOT_FOUND', `no user ${username}`, { field: 'username' });
    const losesAdmin =
      before.role === 'admin' && !before.disabled && ((change.role && change.role !== 'admin') || change.disabled === true);
    if (losesAdmin && (await db.countAdmins(tx)) <= 1) {
      throw new DomainError('LAST_ADMIN', `${username} is the last admin`, { hint: 'make another admin first' });
    }
    const after = await db.updateUser(tx, username, {
      ...(change.role !== undefined && { role: change.role }),
      ...(change.displayName !== undefined && { displayName: change.displayName }),
      ...(change.disabled !== undefined && { disabled: change.disabled }),
      ...(passwordHash !== undefined && { passwordHash, passwordChangedAt: now }),
    });
    if (change.disabled === true || change.role !== undefined || passwordHash !== undefined) await db.deleteSessionsOf(tx, username);
    if (change.disabled === true) await db.revokeTokensOf(tx, username, now);
    return { before: toUser(before), after: toUser(after!) };
  });
  authChanged(store);
  return changed;
}

/** The `Me` answer for a principal (with the CSRF token of its session, when it has one). */
export function meOf(p: Principal, req: Request): Me {
  const s = req.session;
  return {
    user: { username: p.username, displayName: p.displayName, role: p.role },
    via: p.via,
    csrfToken: p.via === 'session' ? (s?.csrfToken ?? null) : null,
    expiresAt: p.via === 'session' && s?.cookie.expires ? new Date(s.cookie.expires).toISOString() : null,
  };
}

/**
 * Logs in: checks the password (the same Argon2 work for an unknown user name,
 * so timing does not tell which names exist), then starts a NEW session (the
 * id changes at login: no session fixation) holding the user, a fresh CSRF
 * token, the login time, the source address and the user agent.
 * @throws UNAUTHENTICATED (one message for a wrong name and a wrong password)
 */
export async function login(store: Store, req: Request, username: string, password: string, clock: () => number = Date.now): Promise<Me> {
  const user = await store.read((tx) => db.findUser(tx, username));
  const ok = user ? await verifyPassword(user.passwordHash, password) : await verifyPassword(await DUMMY_HASH, password).then(() => false);
  if (!user || !ok || user.disabled) {
    throw new DomainError('UNAUTHENTICATED', 'wrong user name or password, or the account is disabled');
  }
  const now = clock();
  const rehash = needsRehash(user.passwordHash) ? await hashPassword(password) : undefined;
  await store.write((tx) => db.updateUser(tx, user.username, { lastLoginAt: now, ...(rehash && { passwordHash: rehash }) }));
  await new Promise<void>((resolve, reject) =>
    req.session.regenerate((e: unknown) => (e ? reject(e instanceof Error ? e : new Error('session regenerate failed')) : resolve())),
  );
  req.session.username = user.username;
  req.session.csrfToken = randomBytes(32).toString('base64url');
  req.session.loginAt = now;
  req.session.source = req.ip ?? null;
  req.session.userAgent = req.get('user-agent')?.slice(0, 200) ?? null;
  await new Promise<void>((resolve, reject) =>
    req.session.save((e: unknown) => (e ? reject(e instanceof Error ? e : new Error('session save failed')) : resolve())),
  );
  const principal: Principal = { username: user.username, displayName: user.displayName, role: user.role, via: 'session' };
  req.principal = principal;
  return meOf(principal, req);
}

export async function logout(req: Request): Promise<void> {
  if (!req.session) return;
  await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
}

/** Changes one's own password after checking the current one; the user's other sessions end. @throws UNAUTHENTICATED */
export async function changeOwnPassword(
  store: Store,
  req: Request,
  p: Principal,
  current: string,
  next: string,
  clock: () => number = Date.now,
): Promise<void> {
  const user = await store.read((tx) => db.findUser(tx, p.username));
  if (!user || !(await verifyPassword(user.passwordHash, current))) {
    throw new DomainError('UNAUTHENTICATED', 'the current password is wrong', { field: 'current' });
  }
  const passwordHash = await hashPassword(next);
  const keep = req.sessionID ? sessionKey(req.sessionID) : undefined;
  await store.write(async (tx) => {
    await db.updateUser(tx, p.username, { passwordHash, passwordChangedAt: clock() });
    await db.deleteSessionsOf(tx, p.username, keep);
  });
  authChanged(store);
}

export async function listSessions(store: Store, clock: () => number = Date.now) {
  return (await store.read((tx) => db.listSessions(tx, clock()))).map((s) => ({
    id: s.handle,
    username: s.username ?? '',
    createdAt: iso(s.createdAt)!,
    lastSeenAt: iso(s.lastSeenAt)!,
    expiresAt: iso(s.expiresAt)!,
    source: s.source,
    userAgent: s.userAgent,
  }));
}

export async function revokeSession(store: Store, handle: string): Promise<void> {
  if (!(await store.write((tx) => db.deleteSessionByHandle(tx, handle)))) {
    throw new DomainError('NOT_FOUND', `no session ${handle}`, { field: 'id' });
  }
}

/**
 * Creates an API token owned by `owner`, with a role no higher than the owner's.
 * The secret is returned here only; the database keeps its HMAC.
 */
export async function createToken(
  store: Store,
  key: Buffer,
  owner: Principal,
  t: { name: string; role: Role; expiresInDays: number },
  clock: () => number = Date.now,
): Promise<{ token: ApiToken; secret: string }> {
  if (!roleAtMost(t.role, owner.role)) {
    throw new DomainError('FORBIDDEN', `a token cannot hold more than its creator's role (${owner.role})`, { field: 'role' });
  }
  const secret = newTokenSecret();
  const now = clock();
  const record: db.TokenRecord = {
    id: randomUUID().replace(/-/g, '').slice(0, 16),
    name: t.name,
    role: t.role,
    owner: owner.username,
    hash: tokenHash(key, secret),
    createdAt: now,
    expiresAt: now + t.expiresInDays * 86_400_000,
    lastUsedAt: null,
    revokedAt: null,
  };
  await store.write((tx) => db.createToken(tx, record));
  authChanged(store);
  return { token: toToken(record), secret };
}

export async function listTokens(store: Store): Promise<ApiToken[]> {
  return (await store.read((tx) => db.listTokens(tx))).map(toToken);
}

export async function revokeToken(store: Store, id: string, clock: () => number = Date.now): Promise<void> {
  const revoked = await store.write((tx) => db.revokeToken(tx, id, clock()));
  authChanged(store);
  if (!revoked) throw new DomainError('NOT_FOUND', `no token ${id}`, { field: 'id' });
}
