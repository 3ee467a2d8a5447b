import { systemApi } from '@extranet/topology';
import type { Store } from '../neo4j/store';
import { Answer, route, type Route } from './contract';

/**
 * `GET /api/health` (200 when Neo4j answers, 503 with the same body when not;
 * `lab: true` in lab mode, so the UI and monitoring can tell simulated data
 * from the network's) and `GET /api/openapi.json` (declared in topology/src/api/system.ts).
 */
export function systemRoutes(store: Store, openapi: () => unknown, opts: { lab: boolean }): Route[] {
  return [
    route(systemApi.health, async () => {
      const started = performance.now();
      const reachable = await store.ping();
      const latencyMs = Math.round((performance.now() - started) * 10) / 10;
      return new Answer(reachable ? 200 : 503, {
        status: reachable ? 'ok' : 'degraded',
        neo4j: { reachable, latencyMs, mode: store.mode },
        lab: opts.lab,
      });
    }),
    route(systemApi.openapiDocument, () => openapi() as Record<string, unknown>),
  ];
}
