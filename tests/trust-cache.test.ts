import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createToken, revokeToken, updateUser } from '../backend/src/auth/service';
import { createTrust } from '../backend/src/auth/trust';
import type { Request } from 'express';
import type { Store } from '../backend/src/neo4j/store';
import { importPlanDir } from '../backend/src/plan/service';
import { serveApp } from './helpers/http';
import { openTestStore, resetGraph } from './helpers/store';

const MINI = path.resolve(import.meta.dirname, 'fixtures', 'plans', 'mini');

/**
 * The principal cache (backend/src/auth/principal-cache.ts) over real HTTP and
 * the real Neo4j: requests do not read accounts per request, and a change made
 * by ANOTHER process — here another Store, as the CLI or another shard's serve
 * holds — applies within the documented bound (the auth epoch is checked at
 * most once a second: 1 s plus one read; the test allows 3 s for a busy machine).
 */
const BOUND_MS = 3_000;

/** Asks until `status` answers `want`; returns how long that took, ms. */
async function untilStatus(status: () => Promise<number>, want: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    if ((await status()) === want) return performance.now() - started;
    if (performance.now() - started > 10_000) throw new Error(`still not ${want} after 10 s`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('cached principals stay correct', () => {
  let store: Store;
  let other: Store;
  let app: Awaited<ReturnType<typeof serveApp>>;

  beforeAll(async () => {
    store = await openTestStore();
    other = await openTestStore();
    await resetGraph(store);
    await importPlanDir(store, MINI);
    app = await serveApp(store);
  });
  afterAll(async () => {
    await app?.close();
    await other?.close();
    await store?.close();
  });

  const owner = (username: string) => ({ username, displayName: username, role: 'admin' as const, via: 'session' as const });
  const sites = (secret: string) =>
    fetch(`${app.base}/api/sites`, { headers: { authorization: `Bearer ${secret}` } }).then((r) => r.status);

  it('resolves a token from memory: many requests, at most an epoch read a second', async () => {
    const trust = createTrust(store);
    const { secret } = await createToken(store, trust.key, owner(app.auth.users.admin.username), {
      name: 'cached',
      role: 'viewer',
      expiresInDays: 1,
    });
    const req = (s: string) => ({ headers: { authorization: `Bearer ${s}` } }) as unknown as Request;
    await trust.resolve(req(secret));
    const reads = vi.spyOn(store, 'read');
    try {
      for (let i = 0; i < 200; i++) expect((await trust.resolve(req(secret)))?.role).toBe('viewer');
      expect(reads.mock.calls.length).toBeLessThanOrEqual(2);
    } finally {
      reads.mockRestore();
    }
  });

  it('refuses a token revoked by another process within the bound', async () => {
    const { token, secret } = await createToken(other, app.auth.trust.key, owner(app.auth.users.admin.username), {
      name: 'revoked elsewhere',
      role: 'viewer',
      expiresInDays: 1,
    });
    expect(await sites(secret)).toBe(200);
    expect(await sites(secret)).toBe(200);
    await revokeToken(other, token.id);
    expect(await untilStatus(() => sites(secret), 401)).toBeLessThan(BOUND_MS);
    expect(await sites(secret)).toBe(401);
  });

  it('applies a role lowered by another process within the bound', async () => {
    const username = app.auth.users.engineer.username;
    const header = app.auth.header('engineer');
    // An engineer's write: allowed (a refused body: 400); as a viewer: 403.
    const write = () =>
      fetch(`${app.base}/api/ipam/prefixes`, {
        method: 'POST',
        headers: { ...header, 'content-type': 'application/json' },
        body: JSON.stringify({ __probe: true }),
      }).then((r) => r.status);
    expect(await write()).toBe(400);
    await updateUser(other, username, { role: 'viewer' });
    expect(await untilStatus(write, 403)).toBeLessThan(BOUND_MS);
    expect(await sites(app.auth.tokens.engineer)).toBe(200); // still a reader
    await updateUser(other, username, { role: 'engineer' });
    expect(await untilStatus(write, 400)).toBeLessThan(BOUND_MS);
  });

  it('applies a change made through this process at the next request', async () => {
    const username = app.auth.users.operator.username;
    expect(await sites(app.auth.tokens.operator)).toBe(200);
    const off = await fetch(`${app.base}/api/users/${username}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', ...app.auth.header('admin') },
      body: JSON.stringify({ disabled: true }),
    });
    expect(off.status).toBe(200);
    expect(await sites(app.auth.tokens.operator)).toBe(401);
  });

  it('checks a cached token against the clock on every request', async () => {
    let now = Date.now();
    const trust = createTrust(store, { clock: () => now });
    const { secret } = await createToken(store, trust.key, owner(app.auth.users.admin.username), {
      name: 'expiring',
      role: 'viewer',
      expiresInDays: 1,
    });
    const req = { headers: { authorization: `Bearer ${secret}` } } as unknown as Request;
    expect((await trust.resolve(req))?.role).toBe('viewer');
    now += 2 * 86_400_000; // past its expiry (a day after it was made)
    await expect(trust.resolve(req)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
