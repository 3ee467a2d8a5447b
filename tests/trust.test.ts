import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allows, ENDPOINTS, ROLES, type NamedEndpoint, type Role } from '@extranet/topology';
import type { Store } from '../backend/src/neo4j/store';
import { importPlanDir } from '../backend/src/plan/service';
import { startLabMode, type LabMode } from '../backend/src/poller/lab-mode';
import { loginSession } from './helpers/auth';
import { serveApp } from './helpers/http';
import { openTestStore, resetGraph } from './helpers/store';

const MINI = path.resolve(import.meta.dirname, 'fixtures', 'plans', 'mini');

/**
 * The role matrix over real HTTP: every declared endpoint × anonymous, each
 * role (by API token), an expired session and a revoked token. A refused cell
 * is 401 (no valid credentials) or 403 (not allowed); an allowed cell is
 * anything else. Writes carry a body with an unknown key, so an allowed write
 * is refused by its input schema (400) and the matrix changes nothing.
 */
type Caller = 'anonymous' | Role | 'expired session' | 'revoked token';

function requestFor(e: NamedEndpoint): { url: string; init: RequestInit } {
  const url = e.path.replace(/:([A-Za-z]+)/g, (_m, name: string) =>
    name === 'code' ? 'ZZ99' : name === 'username' ? 'nobody' : 'matrix-nope0',
  );
  const write = e.method !== 'GET';
  const init: RequestInit = { method: e.method };
  if (write) {
    const type = e.bodyType ?? 'application/json';
    init.headers = { 'content-type': type };
    init.body = type === 'application/json' ? JSON.stringify({ __matrix: true }) : 'prefix,vrf\n';
  }
  return { url, init };
}

describe('the role matrix: every endpoint × every kind of caller', () => {
  let store: Store;
  let lab: LabMode;
  let app: Awaited<ReturnType<typeof serveApp>>;
  const headers = new Map<Caller, Record<string, string>>();

  beforeAll(async () => {
    store = await openTestStore();
    await resetGraph(store);
    await importPlanDir(store, MINI);
    lab = await startLabMode(store, { basePort: 0, shortfalls: [], env: {} });
    app = await serveApp(store, { lab });
    headers.set('anonymous', {});
    for (const r of ROLES) headers.set(r, app.auth.header(r));
    // An expired session: a real login whose stored session has passed its expiry.
    const s = await loginSession(app.base, app.auth.users.viewer);
    await store.write((tx) => tx.run('MATCH (s:Session {username: $u}) SET s.expiresAt = 0', { u: app.auth.users.viewer.username }));
    headers.set('expired session', s.headers);
    // A revoked token: a real token of an admin, revoked through the API.
    const made = await fetch(`${app.base}/api/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...app.auth.header('admin') },
      body: JSON.stringify({ name: 'to revoke', role: 'admin', expiresInDays: 1 }),
    });
    const { token, secret } = (await made.json()) as { token: { id: string }; secret: string };
    const revoked = await fetch(`${app.base}/api/tokens/${token.id}`, { method: 'DELETE', headers: app.auth.header('admin') });
    expect(revoked.status).toBe(200);
    headers.set('revoked token', { authorization: `Bearer ${secret}` });
  });
  afterAll(async () => {
    await app.close();
    await lab.stop();
    await resetGraph(store);
    await store.close();
  });

  it('answers every cell as the declared permission says', { timeout: 300_000 }, async () => {
    const wrong: string[] = [];
    let cells = 0;
    for (const e of ENDPOINTS) {
      for (const [caller, h] of headers) {
        const role = (ROLES as readonly string[]).includes(caller) ? (caller as Role) : undefined;
        const { url, init } = requestFor(e);
        const res = await fetch(`${app.base}${url}`, { ...init, headers: { ...(init.headers as Record<string, string>), ...h } });
        const body = await res.text();
        cells++;
        const expected = allows(role, e.permission) ? 'allowed' : role ? 403 : 401;
        const ok = expected === 'allowed' ? res.status !== 401 && res.status !== 403 && res.status < 500 : res.status === expected;
        if (!ok) wrong.push(`${e.method} ${e.path} as ${caller}: ${res.status} (expected ${expected}) ${body.slice(0, 120)}`);
        if (res.status === 401) expect(JSON.parse(body).error.code).toBe('UNAUTHENTICATED');
      }
    }
    expect(wrong).toEqual([]);
    expect(cells).toBe(ENDPOINTS.length * 7);
  });

  it('recorded every refused write in the audit, with who tried', async () => {
    const r = await fetch(`${app.base}/api/audit?action=allocate&limit=100`, { headers: app.auth.header('admin') });
    const items = ((await r.json()) as { items: Array<{ actor: string; outcome: string; errorCode: string | null }> }).items;
    expect(
      items
        .filter((i) => i.outcome === 'refused')
        .map((i) => i.actor)
        .sort(),
    ).toEqual(expect.arrayContaining(['anonymous', 't-operator', 't-viewer']));
    expect(items.find((i) => i.actor === 't-viewer')?.errorCode).toBe('FORBIDDEN');
    expect(items.find((i) => i.actor === 't-engineer')?.outcome).toBe('failed'); // allowed, then refused by the input schema
  });
});

describe('sessions over real HTTP', () => {
  let store: Store;
  let app: Awaited<ReturnType<typeof serveApp>>;
  beforeAll(async () => {
    store = await openTestStore();
    await resetGraph(store);
    await importPlanDir(store, MINI);
    app = await serveApp(store);
  });
  afterAll(async () => {
    await app.close();
    await resetGraph(store);
    await store.close();
  });

  it('logs in with a cookie that is httpOnly and SameSite, and the session reads the API', async () => {
    const res = await fetch(`${app.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app.base },
      body: JSON.stringify(app.auth.users.engineer),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('xm.sid='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i); // plain HTTP here; Secure over HTTPS
    const me = (await res.json()) as { user: { role: string }; csrfToken: string };
    expect(me.user.role).toBe('engineer');
    const sites = await fetch(`${app.base}/api/sites`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(sites.status).toBe(200);
  });

  it('refuses a wrong password with the same answer as an unknown user', async () => {
    const tryLogin = (username: string) =>
      fetch(`${app.base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: 'wrong-password-123' }),
      });
    const a = await tryLogin(app.auth.users.admin.username);
    const b = await tryLogin('no-such-user');
    expect([a.status, b.status]).toEqual([401, 401]);
    expect(((await a.json()) as { error: { message: string } }).error.message).toBe(
      ((await b.json()) as { error: { message: string } }).error.message,
    );
  });

  it('needs the CSRF token and a same-site Origin for a cookie write; a token client needs neither', async () => {
    const s = await loginSession(app.base, app.auth.users.admin);
    const body = JSON.stringify({ name: 'csrf check', role: 'viewer', expiresInDays: 1 });
    const post = (h: Record<string, string>) =>
      fetch(`${app.base}/api/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', ...h }, body });
    const noToken = await post({ cookie: s.cookie, origin: app.base });
    expect([noToken.status, ((await noToken.json()) as { error: { code: string } }).error.code]).toEqual([403, 'CSRF']);
    const foreign = await post({ ...s.headers, origin: 'http://evil.example' });
    expect([foreign.status, ((await foreign.json()) as { error: { code: string } }).error.code]).toEqual([403, 'ORIGIN_NOT_ALLOWED']);
    expect((await post(s.headers)).status).toBe(201);
    expect((await post(app.auth.header('admin'))).status).toBe(201);
  });

  it('ends the session at logout, and a revoked session at once', async () => {
    const s = await loginSession(app.base, app.auth.users.viewer);
    expect((await fetch(`${app.base}/api/auth/me`, { headers: { cookie: s.cookie } })).status).toBe(200);
    expect((await fetch(`${app.base}/api/auth/logout`, { method: 'POST', headers: s.headers })).status).toBe(200);
    expect((await fetch(`${app.base}/api/auth/me`, { headers: { cookie: s.cookie } })).status).toBe(401);

    const t = await loginSession(app.base, app.auth.users.operator);
    const list = (await (await fetch(`${app.base}/api/sessions`, { headers: app.auth.header('admin') })).json()) as {
      items: Array<{ id: string; username: string }>;
    };
    const mine = list.items.find((i) => i.username === app.auth.users.operator.username)!;
    expect((await fetch(`${app.base}/api/sessions/${mine.id}`, { method: 'DELETE', headers: app.auth.header('admin') })).status).toBe(200);
    expect((await fetch(`${app.base}/api/auth/me`, { headers: { cookie: t.cookie } })).status).toBe(401);
  });

  it('takes effect at once when an admin disables an account: its sessions and tokens stop working', async () => {
    const u = { username: 'temp-user', password: 'a-long-password-1' };
    const made = await fetch(`${app.base}/api/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...app.auth.header('admin') },
      body: JSON.stringify({ ...u, role: 'engineer' }),
    });
    expect(made.status).toBe(201);
    const s = await loginSession(app.base, u);
    expect((await fetch(`${app.base}/api/sites`, { headers: { cookie: s.cookie } })).status).toBe(200);
    const off = await fetch(`${app.base}/api/users/${u.username}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', ...app.auth.header('admin') },
      body: JSON.stringify({ disabled: true }),
    });
    expect(off.status).toBe(200);
    expect((await fetch(`${app.base}/api/sites`, { headers: { cookie: s.cookie } })).status).toBe(401);
    const again = await fetch(`${app.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(u),
    });
    expect(again.status).toBe(401);
  });

  it('changes one password only with the current one, and stores no password or token in clear', async () => {
    const s = await loginSession(app.base, app.auth.users.engineer);
    const wrong = await fetch(`${app.base}/api/auth/password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...s.headers },
      body: JSON.stringify({ current: 'nope', next: 'another-long-password' }),
    });
    expect(wrong.status).toBe(401);
    const ok = await fetch(`${app.base}/api/auth/password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...s.headers },
      body: JSON.stringify({ current: app.auth.users.engineer.password, next: 'another-long-password' }),
    });
    expect(ok.status).toBe(200);
    const stored = await store.read(async (tx) =>
      (await tx.run('MATCH (n) WHERE n:User OR n:ApiToken OR n:Session RETURN properties(n) AS p')).records
        .map((r) => JSON.stringify(r.get('p')))
        .join('\n'),
    );
    for (const secret of ['another-long-password', app.auth.users.admin.password, ...Object.values(app.auth.tokens)])
      expect(stored).not.toContain(secret);
    expect(stored).toMatch(/\$argon2id\$/);
  });
});
