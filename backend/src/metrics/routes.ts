import { systemApi } from '@extranet/topology';
import { Answer, route, type Route } from '../http/contract';
import type { Store } from '../neo4j/store';
import type { Poller } from '../poller/poller';
import { collectMetrics } from './collect';
import { renderExposition } from './exposition';
import type { ReadModels } from '../readmodel/models';
import { metricsModel } from './model';

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
  // With the read models: the exposition from memory (metrics/model.ts); without: gathered per scrape.
  const fromMemory = opts.models && metricsModel(store, poller, opts.models, maxAgeMs);
  return [
    route(systemApi.metrics, async () => {
      if (fromMemory) {
        const m = await fromMemory();
        return new Answer(200, m.text, { ETag: m.etag, 'Cache-Control': 'no-cache' }, { json: m.bytes, gzip: m.gzip });
      }
      return renderExposition(await collectMetrics(store, poller, { now: clock(), maxAgeMs }));
    }),
  ];
}
