import { systemApi } from '@extranet/topology';
import { route, type Route } from '../http/contract';
import type { Store } from '../neo4j/store';
import type { Poller } from '../poller/poller';
import { collectMetrics } from './collect';
import { renderExposition } from './exposition';
import type { ReadModels } from '../readmodel/models';

/**
 * `GET /metrics` in the Prometheus text format (declared in topology/src/api/system.ts;
 * outside `/api`: scrapers expect the conventional path).
 *
 * @param opts.clock default the poller's, else Date.now
 * @param opts.maxAgeMs staleness limit, default the poller's, else 180 000 ms
 */
export function metricsRoutes(
  store: Store,
  poller?: Poller,
  opts: { clock?: () => number; maxAgeMs?: number; models?: ReadModels } = {},
): Route[] {
  const clock = opts.clock ?? poller?.clock ?? Date.now;
  const maxAgeMs = opts.maxAgeMs ?? poller?.maxAgeMs ?? 180_000;
  return [
    route(systemApi.metrics, async () => {
      // Link and coverage gauges from the coverage read model (judged at its time), not recomputed per scrape.
      const judged = opts.models && (await opts.models.coverage.get()).value;
      return renderExposition(await collectMetrics(store, poller, { now: judged?.now ?? clock(), maxAgeMs }, judged));
    }),
  ];
}
