import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { describe, expect, it } from 'vitest';
import { ENDPOINTS, openapiPath } from '@extranet/topology';
import { createTrust } from '../auth/trust';
import type { Store } from '../neo4j/store';
import type { LabMode } from '../poller/lab-mode';
import { createApp } from './app';
import { openapiText, OPENAPI_PATH } from './openapi-file';
import { MATRIX_MARKERS, README_PATH, readmeWithMatrix } from './permission-matrix';

/** Method + OpenAPI path of every route express has registered, walking nested routers. */
function registeredRoutes(app: Express): string[] {
  type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };
  const out: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const m of Object.keys(layer.route.methods)) out.push(`${m.toUpperCase()} ${openapiPath(layer.route.path)}`);
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return out.sort();
}

describe('the OpenAPI document', () => {
  // Route registration touches neither the store nor the lab: they are only closed over by handlers, never called here.
  const store = {} as Store;
  const app = createApp({
    store,
    trust: createTrust(store, { env: { SECRET_KEY_FILE: path.join(os.tmpdir(), `xm-openapi-test-${process.pid}.key`) } }),
    lab: {} as LabMode,
    staticDir: '/nonexistent',
  });
  const doc = JSON.parse(openapiText()) as { paths: Record<string, Record<string, unknown>> };
  const documented = Object.entries(doc.paths)
    .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))
    .sort();

  it('documents every route express serves, and nothing it does not serve', () => {
    const registered = registeredRoutes(app).filter((r) => r.includes(' /api/') || r.endsWith(' /metrics'));
    expect(registered.length).toBeGreaterThanOrEqual(25);
    expect(documented).toEqual(registered);
  });

  it('is the committed backend/openapi.json (run `npm run openapi` after changing a declaration)', () => {
    expect(fs.readFileSync(OPENAPI_PATH, 'utf8')).toBe(openapiText());
  });

  it("is what the README's permission matrix says (run `npm run openapi` after changing a permission)", () => {
    const readme = fs.readFileSync(README_PATH, 'utf8');
    expect(readme).toContain(MATRIX_MARKERS.START);
    expect(readmeWithMatrix(readme)).toBe(readme);
  });

  it('names the permission of every operation and gives each a unique operationId', () => {
    const ops = Object.values(doc.paths).flatMap((o) => Object.values(o)) as Array<{ operationId: string; 'x-permission': string }>;
    expect(ops).toHaveLength(ENDPOINTS.length);
    expect(new Set(ops.map((o) => o.operationId)).size).toBe(ops.length);
    for (const o of ops) expect(['public', 'read', 'operate', 'engineer', 'admin']).toContain(o['x-permission']);
  });

  it("declares every write as needing more than read (but one's own session and password), and only health and login as public", () => {
    const ownAccount = new Set(['POST /api/auth/login', 'POST /api/auth/logout', 'POST /api/auth/password']);
    for (const e of ENDPOINTS) {
      const id = `${e.method} ${e.path}`;
      if (e.method !== 'GET' && !ownAccount.has(id)) expect(['operate', 'engineer', 'admin'], id).toContain(e.permission);
    }
    expect(
      ENDPOINTS.filter((e) => e.permission === 'public')
        .map((e) => e.path)
        .sort(),
    ).toEqual(['/api/auth/login', '/api/health']);
  });
});
