import { DomainError, monitorApi } from '@extranet/topology';
import { route, type Route } from '../http/contract';
import type { Store } from '../neo4j/store';
import type { SchedulerView } from './types';
import { coverageView, loadCoverage } from './coverage-service';
import { snapshotAnswer } from '../readmodel/answer';
import type { ReadModels } from '../readmodel/models';
import { readDeviceStatus } from './device-store';
import { readSpeedMismatches } from './speed-store';
import { linkUtilization, utilizationRange } from './utilization-service';

/**
 * The monitoring API (declared in topology/src/api/monitor.ts): coverage, a
 * link's utilization, a device's poll status. Reads Neo4j only, so it works in
 * a process that does not poll (other shards write).
 */
export interface MonitorRouteOptions {
  /** ms since the epoch. Default: the poller's clock, else Date.now. */
  clock?: () => number;
  /** Staleness limit of measurements, ms. Default: the poller's, else 180 000 (3 × 60 s). */
  maxAgeMs?: number;
  /** Day boundary, minutes east of UTC. Default 480. */
  utcOffsetMinutes?: number;
  /** Coverage from the read model (computed once per cycle, plan change or sixth of maxAgeMs) instead of per request. */
  models?: ReadModels;
}

export function monitorRoutes(store: Store, poller?: SchedulerView, opts: MonitorRouteOptions = {}): Route[] {
  const clock = opts.clock ?? poller?.clock ?? Date.now;
  const maxAgeMs = opts.maxAgeMs ?? poller?.maxAgeMs ?? 180_000;
  const utcOffsetMinutes = opts.utcOffsetMinutes ?? 480;
  return [
    route(monitorApi.getSpeedMismatches, () => store.read((tx) => readSpeedMismatches(tx))),
    route(monitorApi.getCoverage, async () => {
      if (opts.models) return snapshotAnswer(await opts.models.coverage.get());
      const now = clock();
      return coverageView(await loadCoverage(store, { now, maxAgeMs }), now);
    }),
    route(monitorApi.getLinkUtilization, ({ params, query }) => {
      const now = clock();
      return linkUtilization(store, params.id, utilizationRange(query, now), { now, maxAgeMs, utcOffsetMinutes });
    }),
    route(monitorApi.getDeviceStatus, async ({ params }) => {
      const sched = poller?.devices().find((d) => d.hostname === params.hostname);
      const at = { now: clock(), intervalMs: sched?.intervalMs ?? maxAgeMs / 3 };
      const view = await store.read((tx) => readDeviceStatus(tx, params.hostname, at));
      if (!view) {
        throw new DomainError('NOT_FOUND', `no device with hostname ${params.hostname}`, {
          field: 'hostname',
          hint: 'see GET /api/sites/:code for the devices of a site',
        });
      }
      return { ...view, schedule: sched ? { intervalMs: sched.intervalMs, nextPollAt: new Date(sched.nextDueAt).toISOString() } : null };
    }),
  ];
}
