import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS, type NamedEndpoint } from '@extranet/topology';
import { requireAddressPlan } from '../../backend/src/ipam/address-plan';
import { provision } from '../../backend/src/ipam/provision';
import type { Store } from '../../backend/src/neo4j/store';
import { importPlanDir } from '../../backend/src/plan/service';
import { serveApp } from '../helpers/http';
import { openTestStore, resetGraph } from '../helpers/store';
import { MINI } from '../monitor/fixture';
import path from 'node:path';
import { repoRoot } from '../../backend/src/config';

/**
 * Every endpoint of the contract (topology/src/api ENDPOINTS) over real HTTP,
 * authenticated as an admin, with random query strings, path values and bodies
 * built from the keys its schemas declare (and keys they do not): never a 5xx,
 * and a refused write (4xx) leaves the graph as it was (fingerprint before and
 * after; audit entries, sessions and tokens' last use are not the graph's data).
 */
const HUIZHOU = path.join(repoRoot, 'plans', 'huizhou');
let store: Store;
let app: Awaited<ReturnType<typeof serveApp>>;

beforeAll(async () => {
  store = await openTestStore();
  await resetGraph(store);
  await importPlanDir(store, MINI);
  await provision(store, await requireAddressPlan(HUIZHOU), { actor: 'fuzz', reason: 'fuzz' });
  process.env.LOGIN_LIMIT_PER_ADDRESS = '100000';
  process.env.LOGIN_LIMIT_PER_USER = '100000';
  app = await serveApp(store);
});
afterAll(async () => {
  await app?.close();
  await resetGraph(store);
  await store.close();
});

async function fingerprint(): Promise<string> {
  const rows = await store.read(async (tx) =>
    (
      await tx.run(
        `MATCH (n) WHERE NOT (n:AuditEvent OR n:Session OR n:ApiToken)
         RETURN labels(n)[0] + ' ' + reduce(s = '', k IN keys(n) | s + k + '=' + toString(
           CASE WHEN valueType(n[k]) STARTS WITH 'LIST' THEN reduce(t = '', x IN n[k] | t + toString(x) + ',') ELSE n[k] END) + ';') AS k`,
      )
    ).records.map((r) => String(r.get('k'))),
  );
  return createHash('sha256').update(rows.sort().join('\n')).digest('hex');
}

/** The declared keys of an object schema (zod 4: `.shape`), or none. */
const keysOf = (schema: unknown): string[] => Object.keys((schema as { shape?: Record<string, unknown> } | undefined)?.shape ?? {});
const realValues = ['4413', 'public', '10.64.0.0/11', '10.64.0.0/17', 'hz-4413-core-01', 'L-4413-441302', 'admin', '24', 'true', ''];
const text = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom(...realValues), fc.string({ unit: 'binary', maxLength: 12 }));
const value = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));

function requestOf(e: NamedEndpoint) {
  const params = [...e.path.matchAll(/:([A-Za-z_]\w*)/g)].map((m) => m[1]!);
  const queryKeys = [...keysOf(e.query), 'x'];
  const bodyKeys = [...keysOf(e.body), 'extra'];
  return fc
    .record({
      path: fc.tuple(...params.map(() => text)),
      query: fc.dictionary(fc.constantFrom(...queryKeys), text, { maxKeys: 4 }),
      body:
        e.bodyType === 'text/csv'
          ? fc.oneof(fc.string({ maxLength: 200 }), fc.constant('prefix,vrf\n10.64.0.0/24,public\n'))
          : fc.oneof(fc.dictionary(fc.constantFrom(...bodyKeys), value, { maxKeys: 6 }), fc.jsonValue({ maxDepth: 2 })),
    })
    .map(({ path: values, query, body }) => {
      let url = e.path;
      params.forEach((p, i) => (url = url.replace(`:${p}`, encodeURIComponent(values[i]!))));
      const qs = new URLSearchParams(query).toString();
      return { url: `${url}${qs ? `?${qs}` : ''}`, body: typeof body === 'string' ? body : JSON.stringify(body) };
    });
}

describe('every API endpoint under random input, as an admin', () => {
  // Logging out would end the admin's own session; a bearer token has none, so it is fuzzed too.
  for (const e of ENDPOINTS) {
    it(`${e.method} ${e.path}: never a 5xx; a refused write writes nothing`, async () => {
      let before = e.method === 'GET' ? '' : await fingerprint();
      await fc.assert(
        fc.asyncProperty(requestOf(e), async (req) => {
          const res = await fetch(`${app.base}${req.url}`, {
            method: e.method,
            headers: { ...app.auth.header('admin'), ...(e.method !== 'GET' && { 'content-type': e.bodyType ?? 'application/json' }) },
            ...(e.method !== 'GET' && { body: req.body }),
          });
          await res.arrayBuffer();
          expect(res.status, `${e.method} ${req.url} ${req.body.slice(0, 200)}`).toBeLessThan(500);
          if (e.method === 'GET') return;
          const after = await fingerprint();
          if (res.status >= 400) expect(after, `${e.method} ${req.url} ${req.body.slice(0, 200)} → ${res.status} wrote`).toBe(before);
          before = after;
        }),
        { numRuns: 5 },
      );
    });
  }
});
