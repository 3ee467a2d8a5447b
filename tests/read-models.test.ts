import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandTopology, topologyOfCounty, type TopologyView } from '@extranet/topology';
import type { Store } from '../backend/src/neo4j/store';
import { loadPlanOrThrow } from '../backend/src/plan/load';
import { importPlan } from '../backend/src/plan/service';
import { serveApp } from './helpers/http';
import { openTestStore, resetGraph } from './helpers/store';

const huizhou = path.resolve(import.meta.dirname, '..', 'plans', 'huizhou');
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A conditional GET as a browser revalidating its cache sends it. Not fetch(): the Fetch standard turns a
 * request carrying If-None-Match into `Cache-Control: no-cache`, which asks the server for the full answer.
 */
function conditionalGet(url: string, headers: Record<string, string>): Promise<{ status: number; etag: string | undefined }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode!, etag: res.headers.etag }));
      })
      .on('error', reject);
  });
}

/**
 * The read models over real HTTP: /api/topology, its compact and per-county
 * forms, /api/coverage and /api/plan are served from memory with an ETag,
 * 304 when unchanged, gzip when asked, and a new ETag once the plan or a poll
 * cycle (of any process) changed what they show.
 */
describe('read models: ETag, 304, gzip, compact and per-county forms', () => {
  let store: Store;
  let app: Awaited<ReturnType<typeof serveApp>>;
  const headers = () => app.auth.header('admin');
  const get = (p: string, extra: Record<string, string> = {}) => fetch(`${app.base}${p}`, { headers: { ...headers(), ...extra } });

  beforeAll(async () => {
    store = await openTestStore();
    await resetGraph(store);
    await importPlan(store, await loadPlanOrThrow(huizhou));
    app = await serveApp(store);
  });
  afterAll(async () => {
    await app.close();
    await resetGraph(store);
    await store.close();
  });

  it('answers 304 to an unchanged read, gzip when asked, identity when not', async () => {
    for (const p of ['/api/topology', '/api/coverage', '/api/plan', '/api/topology/compact', '/api/topology?county=441302']) {
      const first = await get(p, { 'accept-encoding': 'gzip' });
      expect(first.status).toBe(200);
      expect(first.headers.get('content-encoding')).toBe('gzip');
      const etag = first.headers.get('etag')!;
      expect(etag).toMatch(/^"[\w-]{27}"$/);
      await first.arrayBuffer();
      const again = await conditionalGet(`${app.base}${p}`, { ...headers(), 'if-none-match': etag });
      expect([p, again.status]).toEqual([p, 304]);
      const plain = await get(p, { 'accept-encoding': 'identity' });
      expect(plain.headers.get('content-encoding')).toBeNull();
      expect(plain.headers.get('etag')).toBe(etag);
      await plain.arrayBuffer();
    }
  });

  it('gives the compact and per-county forms the full form’s content', async () => {
    const full = (await (await get('/api/topology')).json()) as TopologyView;
    const compact = await (await get('/api/topology/compact')).json();
    expect(expandTopology(compact)).toEqual(full);
    const counties = full.nodes.filter((n) => n.tier === 'county').map((n) => n.id);
    const seen = new Set<string>();
    for (const code of counties) {
      const one = (await (await get(`/api/topology?county=${code}`)).json()) as TopologyView;
      expect(one).toEqual(topologyOfCounty(full, code));
      expect(expandTopology(await (await get(`/api/topology/compact?county=${code}`)).json())).toEqual(one);
      for (const n of one.nodes) if (n.tier === 'township') seen.add(n.id);
    }
    expect(seen.size).toBe(full.nodes.filter((n) => n.tier === 'township').length);
    const unknown = await get('/api/topology?county=999999');
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe('NOT_FOUND');
  });

  it('names the loaded plan', async () => {
    const body = await (await get('/api/plan')).json();
    expect(body).toMatchObject({ name: '惠州市电子政务外网', city: '4413', sites: 92 });
  });

  it('changes the ETag once the plan changed, and once a cycle of any process was written', async () => {
    const topo = (await get('/api/topology')).headers.get('etag')!;
    const cov = (await get('/api/coverage')).headers.get('etag')!;
    const plan = await loadPlanOrThrow(huizhou);
    await importPlan(store, { ...plan, sites: plan.sites.map((s) => (s.code === '441302' ? { ...s, name: '惠城区（新）' } : s)) });
    await pause(1_100); // a version read is trusted for a second
    expect((await conditionalGet(`${app.base}/api/topology`, { ...headers(), 'if-none-match': topo })).status).toBe(200);
    const after = await get('/api/topology');
    expect(after.headers.get('etag')).not.toBe(topo);
    expect(((await after.json()) as TopologyView).nodes.find((n) => n.id === '441302')!.name).toBe('惠城区（新）');
    expect((await (await get('/api/plan')).json()).name).toBe('惠州市电子政务外网');

    const cov2 = (await get('/api/coverage')).headers.get('etag')!;
    expect(cov2).not.toBe(cov); // the plan changed
    // Another process's poll cycle (a shard) is written to the store: coverage is judged again.
    await store.write((tx) => tx.run("MERGE (c:CycleMeta {id: 'cycles'}) SET c.seq = coalesce(c.seq, 0) + 1"));
    await pause(1_100);
    const cov3 = await conditionalGet(`${app.base}/api/coverage`, { ...headers(), 'if-none-match': cov2 });
    expect(cov3.status).toBe(200);
    expect(cov3.etag).not.toBe(cov2);
  });
});
