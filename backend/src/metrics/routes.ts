import { Router } from 'express';
import type { Store } from '../neo4j/store';
import type { Poller } from '../poller/poller';
import { collectMetrics } from './collect';
import { EXPOSITION_CONTENT_TYPE, renderExposition } from './exposition';

/**
 * `GET /metrics` in the Prometheus text format. Mount at `/metrics`
 * (outside `/api`: scrapers expect the conventional path).
 *
 * @param opts.clock default the poller's, else Date.now
 * @param opts.maxAgeMs staleness limit, default the poller's, else 180 000 ms
 * @example app.use('/metrics', metricsRouter(store, poller));
 */
export function metricsRouter(store: Store, poller?: Poller, opts: { clock?: () => number; maxAgeMs?: number } = {}): Router {
  const clock = opts.clock ?? poller?.clock ?? Date.now;
  const maxAgeMs = opts.maxAgeMs ?? poller?.maxAgeMs ?? 180_000;
  const r = Router();
  r.get('/', async (_req, res) => {
    const families = await collectMetrics(store, poller, { now: clock(), maxAgeMs });
    res.setHeader('Content-Type', EXPOSITION_CONTENT_TYPE);
    res.send(renderExposition(families));
  });
  return r;
}
