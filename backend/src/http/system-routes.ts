import { systemApi } from '@extranet/topology';
import type { Store } from '../neo4j/store';
import { Answer, route, type Route } from './contract';

/**
 * `GET /api/health` (200 when Neo4j answers, 503 with the same body when not)
 * and `GET /api/openapi.json` (declared in topology/src/api/system.ts).
 */
export function systemRoutes(store: Store, openapi: () => unknown): Route[] {
  return [
    route(systemApi.health, async () => {
      const started = performance.now();
      const reachable = await store.ping();
      const latencyMs = Math.round((performance.now() - started) * 10) / 10;
      return new Answer(reachable ? 200 : 503, { status: reachable ? 'ok' : 'degraded', neo4j: { reachable, latencyMs } });
    }),
    route(systemApi.openapiDocument, () => openapi() as Record<string, unknown>),
  ];
}
