import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../backend/src/config';
import { Store } from '../backend/src/neo4j/store';
import { importPlanDir } from '../backend/src/plan/service';
import { getJson, serveApp, tcpRelay } from './helpers/http';
import { openTestStore, resetGraph } from './helpers/store';

const huizhou = path.resolve(import.meta.dirname, '..', 'plans', 'huizhou');

describe('the API over real HTTP, on the imported Huizhou plan', () => {
  let store: Store;
  let app: Awaited<ReturnType<typeof serveApp>>;

  beforeAll(async () => {
    store = await openTestStore();
    await resetGraph(store);
    await importPlanDir(store, huizhou);
    app = await serveApp(store);
  });
  afterAll(async () => {
    await app.close();
    await resetGraph(store);
    await store.close();
  });

  it('reports Neo4j as reachable in /api/health', async () => {
    const { status, body } = await getJson(`${app.base}/api/health`);
    expect(status).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.neo4j.reachable).toBe(true);
  });

  it('lists the seven county-level units, zones included, filtered by tier', async () => {
    const { status, body } = await getJson(`${app.base}/api/sites?tier=county`);
    expect(status).toBe(200);
    expect(body.total).toBe(7);
    const codes = body.items.map((s: { code: string }) => s.code);
    expect(codes).toEqual(expect.arrayContaining(['441302', '441303', '441322', '441323', '441324', '4413DYW', '4413ZK']));
    expect(body.items.every((s: { parent: string }) => s.parent === '4413')).toBe(true);
  });

  it('lists the townships under one parent, and the zone townships keep their legal county', async () => {
    const all = await getJson(`${app.base}/api/sites?tier=township`);
    expect(all.body.total).toBe(84);
    const dyw = await getJson(`${app.base}/api/sites?parent=4413DYW`);
    expect(dyw.body.total).toBe(3);
    expect(dyw.body.items.every((s: { legalCounty: string }) => s.legalCounty === '441303')).toBe(true);
  });

  it('returns one site with its devices, interfaces and links', async () => {
    const { status, body } = await getJson(`${app.base}/api/sites/441302`);
    expect(status).toBe(200);
    expect(body.name).toBe('惠城区');
    expect(body.deviceList.length).toBeGreaterThan(0);
    expect(body.deviceList[0].interfaces.length).toBeGreaterThan(0);
    expect(body.links.some((l: { kind: string }) => l.kind === 'uplink')).toBe(true);
    expect(body.links.some((l: { kind: string }) => l.kind === 'backup')).toBe(true);
  });

  it('filters links by tier and status, with targets from the plan', async () => {
    const cc = await getJson(`${app.base}/api/links?tier=city-county`);
    expect(cc.status).toBe(200);
    expect(cc.body.items.length).toBeGreaterThanOrEqual(14); // 7 uplinks + 7 backups
    expect(cc.body.items.every((l: { targetMbps: number }) => l.targetMbps === 1000)).toBe(true);
    const ct = await getJson(`${app.base}/api/links?tier=county-township&status=built`);
    expect(ct.body.items.every((l: { targetMbps: number; status: string }) => l.targetMbps === 100 && l.status === 'built')).toBe(true);
    const exit = await getJson(`${app.base}/api/links?tier=city-internet`);
    expect(exit.body.items).toHaveLength(1);
    expect(exit.body.items[0].targetMbps).toBe(1000);
  });

  it('gives the topology as nodes and links that all resolve', async () => {
    const { body } = await getJson(`${app.base}/api/topology`);
    const ids = new Set(body.nodes.map((n: { id: string }) => n.id));
    expect(ids.size).toBe(1 + 7 + 84 + 1); // + INTERNET
    for (const l of body.links) {
      expect(ids.has(l.source)).toBe(true);
      expect(ids.has(l.target)).toBe(true);
    }
  });

  it.each([
    ['/api/sites?tier=province', 'tier'],
    ['/api/sites?color=red', 'color'],
    ['/api/links?status=maybe', 'status'],
    ['/api/sites/not-a-code', ''],
    ['/api/topology?x=1', 'x'],
  ])('rejects %s with 400 BAD_REQUEST', async (url, field) => {
    const { status, body } = await getJson(`${app.base}${url}`);
    expect(status).toBe(400);
    expect(body.error.code).toBe('BAD_REQUEST');
    if (field) expect(body.error.field ?? body.error.message).toContain(field);
  });

  it('answers unknown ids and routes with 404 NOT_FOUND', async () => {
    for (const url of ['/api/sites/441399', '/api/sites?parent=441399', '/api/nothing']) {
      const { status, body } = await getJson(`${app.base}${url}`);
      expect(status, url).toBe(404);
      expect(body.error.code).toBe('NOT_FOUND');
    }
  });

  it('serves its OpenAPI description', async () => {
    const { status, body } = await getJson(`${app.base}/api/openapi.json`);
    expect(status).toBe(200);
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/api/health',
        '/api/sites',
        '/api/sites/{code}',
        '/api/links',
        '/api/topology',
        '/api/ipam/allocate',
        '/metrics',
      ]),
    );
    expect(body.openapi).toBe('3.1.0');
  });
});

describe('the API when Neo4j goes away', () => {
  it('answers 503 STORE_UNAVAILABLE quickly and keeps serving', async () => {
    const real = new URL(process.env.NEO4J_URI!);
    const relay = await tcpRelay({ host: real.hostname, port: Number(real.port) });
    const store = await Store.open({ ...loadConfig(), NEO4J_URI: `bolt://127.0.0.1:${relay.port}` });
    const app = await serveApp(store);
    try {
      expect((await getJson(`${app.base}/api/sites?tier=county`)).status).toBe(200);
      await relay.cut();
      const sites = await getJson(`${app.base}/api/sites`);
      expect(sites.status).toBe(503);
      expect(sites.body.error.code).toBe('STORE_UNAVAILABLE');
      const health = await getJson(`${app.base}/api/health`);
      expect(health.status).toBe(503);
      expect(health.body.neo4j.reachable).toBe(false);
    } finally {
      await app.close();
      await store.close();
    }
  });
});
