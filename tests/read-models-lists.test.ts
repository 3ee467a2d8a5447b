import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../backend/src/neo4j/store';
import { requireAddressPlan } from '../backend/src/ipam/address-plan';
import { provision } from '../backend/src/ipam/provision';
import { releasePrefix } from '../backend/src/ipam/service';
import { loadPlanOrThrow } from '../backend/src/plan/load';
import { importPlan } from '../backend/src/plan/service';
import { serveApp } from './helpers/http';
import { openTestStore, resetGraph } from './helpers/store';

const huizhou = path.resolve(import.meta.dirname, '..', 'plans', 'huizhou');

interface Row {
  vrf: string;
  cidr: string;
  parent: string | null;
}

/** A conditional GET (fetch() would add Cache-Control: no-cache to a request with If-None-Match). */
function conditionalGet(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      })
      .on('error', reject);
  });
}

/**
 * The lists served from read models (`/api/sites` and `/api/ipam/prefixes`
 * without a filter, `/metrics`): 304 on their ETag, the same content as the
 * filtered forms read per request, and an IPAM write shows at once when made
 * through this process and within the version check (1 s) when made by another.
 */
describe('read models of the lists: sites, prefixes, /metrics', () => {
  let store: Store;
  let other: Store;
  let app: Awaited<ReturnType<typeof serveApp>>;
  const headers = () => app.auth.header('admin');
  const get = async (p: string) => {
    const res = await fetch(`${app.base}${p}`, { headers: headers() });
    return { status: res.status, etag: res.headers.get('etag'), body: (await res.json()) as { items: any[]; total: number } };
  };

  beforeAll(async () => {
    store = await openTestStore();
    other = await openTestStore();
    await resetGraph(store);
    await importPlan(store, await loadPlanOrThrow(huizhou));
    await provision(store, await requireAddressPlan(huizhou), { actor: 'test', reason: 'lists' });
    app = await serveApp(store);
  });
  afterAll(async () => {
    await app?.close();
    await resetGraph(store);
    await other?.close();
    await store?.close();
  });

  it('serves the site list with an ETag (304 on it), and its filtered forms with the same rows', async () => {
    const all = await get('/api/sites');
    expect(all.status).toBe(200);
    expect(all.etag).toMatch(/^"[\w-]{27}"$/);
    expect(await conditionalGet(`${app.base}/api/sites`, { ...headers(), 'if-none-match': all.etag! })).toBe(304);
    const counties = await get('/api/sites?tier=county');
    expect(counties.body.items).toEqual(all.body.items.filter((s: { tier: string }) => s.tier === 'county'));
    const under = await get('/api/sites?parent=441302');
    expect(under.body.items.length).toBeGreaterThan(0);
    expect(under.body.items).toEqual(all.body.items.filter((s: { parent: string | null }) => s.parent === '441302'));
    expect((await get('/api/sites?parent=999999')).status).toBe(404);
  });

  it('serves the prefix list from memory, filtered forms per request, and follows writes of this and other processes', async () => {
    const all = await get('/api/ipam/prefixes');
    expect(all.body.total).toBe(all.body.items.length);
    expect(all.body.total).toBeGreaterThan(1000);
    expect(await conditionalGet(`${app.base}/api/ipam/prefixes`, { ...headers(), 'if-none-match': all.etag! })).toBe(304);
    const some = await get('/api/ipam/prefixes?vrf=public&limit=3');
    expect(some.body.items).toEqual(all.body.items.filter((p: Row) => p.vrf === 'public').slice(0, 3));

    const rows = all.body.items as Row[];
    const leaves = rows.filter((p) => p.parent !== null && !rows.some((c) => c.vrf === p.vrf && c.parent === p.cidr));
    const [here, elsewhere] = [leaves[0]!, leaves[1]!];
    // Through this process (the API): the next request already shows it.
    const released = await fetch(`${app.base}/api/ipam/release`, {
      method: 'POST',
      headers: { ...headers(), 'content-type': 'application/json' },
      body: JSON.stringify({ vrf: here.vrf, cidr: here.cidr, reason: 'read model test' }),
    });
    expect(released.status).toBe(200);
    const after = await get('/api/ipam/prefixes');
    expect(after.etag).not.toBe(all.etag);
    expect(after.body.items.some((p: Row) => p.vrf === here.vrf && p.cidr === here.cidr)).toBe(false);
    expect(after.body.total).toBe(all.body.total - 1);
    // By another process (another Store): within the version check.
    await releasePrefix(other, { vrf: elsewhere.vrf, cidr: elsewhere.cidr, actor: 'other', reason: 'read model test', role: 'admin' });
    const started = performance.now();
    for (;;) {
      const now = await get('/api/ipam/prefixes');
      if (!now.body.items.some((p: Row) => p.vrf === elsewhere.vrf && p.cidr === elsewhere.cidr)) break;
      expect(performance.now() - started).toBeLessThan(3_000);
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  it('serves /metrics as text with an ETag and its gzip', async () => {
    const res = await fetch(`${app.base}/metrics`, { headers: headers() });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toMatch(/^# HELP extranet_link_utilization_ratio /m);
    const etag = res.headers.get('etag')!;
    expect(await conditionalGet(`${app.base}/metrics`, { ...headers(), 'if-none-match': etag })).toBe(304);
    const zipped = await new Promise<Buffer>((resolve, reject) => {
      http
        .get(`${app.base}/metrics`, { headers: { ...headers(), 'accept-encoding': 'gzip' } }, (r) => {
          expect(r.headers['content-encoding']).toBe('gzip');
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => resolve(Buffer.concat(chunks)));
        })
        .on('error', reject);
    });
    expect(gunzipSync(zipped).toString()).toBe(text);
  });
});
