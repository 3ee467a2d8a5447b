import { Router } from 'express';
import type { Store } from '../neo4j/store';

/** GET /api/health: 200 when Neo4j answers, 503 (with the same body shape) when it does not. */
export function healthRouter(store: Store): Router {
  const r = Router();
  r.get('/health', async (_req, res) => {
    const started = performance.now();
    const reachable = await store.ping();
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    res.status(reachable ? 200 : 503).json({
      status: reachable ? 'ok' : 'degraded',
      neo4j: { reachable, uri: redactUri(store.uri), latencyMs },
    });
  });
  return r;
}

/** Never show credentials that a URI may carry. */
function redactUri(uri: string): string {
  try {
    const u = new URL(uri);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return 'unparseable';
  }
}
