import { Router } from 'express';
import type { Store } from '../neo4j/store';

/**
 * GET /api/health: 200 when Neo4j answers, 503 (with the same body shape) when it does not.
 * It says whether Neo4j is the embedded one or NEO4J_URI, never where it listens
 * or with what credentials: the health answer is public, the database is not.
 */
export function healthRouter(store: Store): Router {
  const r = Router();
  r.get('/health', async (_req, res) => {
    const started = performance.now();
    const reachable = await store.ping();
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    res.status(reachable ? 200 : 503).json({
      status: reachable ? 'ok' : 'degraded',
      neo4j: { mode: store.mode, reachable, latencyMs },
    });
  });
  return r;
}
