import { randomBytes } from 'node:crypto';
import { ROLES, type Role } from '@extranet/topology';
import { createToken, createUser, updateUser } from '../../backend/src/auth/service';
import { createTrust, type Trust } from '../../backend/src/auth/trust';
import type { Store } from '../../backend/src/neo4j/store';

/**
 * Accounts for integration tests: one user per role (`t-viewer` … `t-admin`)
 * with a random password, and a bearer token for each, made through the
 * product's own service (Argon2id, HMAC'd tokens) on the test Neo4j.
 */
export interface TestAuth {
  trust: Trust;
  users: Record<Role, { username: string; password: string }>;
  tokens: Record<Role, string>;
  /** `Authorization: Bearer …` of a role (default admin). */
  header(role?: Role): { authorization: string };
}

/** Every configured secret a test run knows, for the "no secret in any answer or log" checks. */
export const knownSecrets = new Set<string>();

export async function testAuth(store: Store): Promise<TestAuth> {
  const trust = createTrust(store);
  const users = {} as TestAuth['users'];
  const tokens = {} as TestAuth['tokens'];
  for (const role of ROLES) {
    const username = `t-${role}`;
    const password = `pw-${randomBytes(12).toString('base64url')}`;
    knownSecrets.add(password);
    await createUser(store, { username, role, password }).catch(async (e: { code?: string }) => {
      if (e.code !== 'USER_EXISTS') throw e;
      await updateUser(store, username, { password, role, disabled: false });
    });
    users[role] = { username, password };
    const { secret } = await createToken(
      store,
      trust.key,
      { username, displayName: username, role, via: 'session' },
      { name: `test ${role}`, role, expiresInDays: 1 },
    );
    knownSecrets.add(secret);
    tokens[role] = secret;
  }
  return { trust, users, tokens, header: (role: Role = 'admin') => ({ authorization: `Bearer ${tokens[role]}` }) };
}

/** Logs in over HTTP like the browser does: the session cookie and the CSRF token. */
export async function loginSession(
  base: string,
  u: { username: string; password: string },
): Promise<{ cookie: string; csrf: string; headers: Record<string, string> }> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify(u),
  });
  if (res.status !== 200) throw new Error(`login as ${u.username}: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
  return { cookie, csrf, headers: { cookie, 'x-csrf-token': csrf, origin: base } };
}
