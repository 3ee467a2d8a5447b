import { calendarDay, coverageHistoryApi, DomainError, oldestKeptDay } from '@extranet/topology';
import { route, type Route } from '../http/contract';
import type { Store } from '../neo4j/store';
import { loadCoverageHistoryConfig } from './config';
import { readSnapshots } from './store';

/**
 * `GET /api/coverage/history` (declared in topology/src/api/coverage-history.ts):
 * the daily snapshots, oldest first. Default range: every day kept (the
 * retention) up to today.
 */
export interface CoverageHistoryRouteOptions {
  /** ms since the epoch. Default the poller's clock, else Date.now. */
  clock?: () => number;
  /** Default COVERAGE_SNAPSHOT_RETENTION_DAYS (400). */
  retentionDays?: number;
  /** Day boundary, minutes east of UTC. Default 480. */
  utcOffsetMinutes?: number;
}

export function coverageHistoryRoutes(store: Store, poller?: { clock: () => number }, opts: CoverageHistoryRouteOptions = {}): Route[] {
  const clock = opts.clock ?? poller?.clock ?? Date.now;
  const retentionDays = opts.retentionDays ?? loadCoverageHistoryConfig().retentionDays;
  const offset = opts.utcOffsetMinutes ?? 480;
  return [
    route(coverageHistoryApi.getCoverageHistory, async ({ query }) => {
      const now = clock();
      const from = query.from ?? oldestKeptDay(now, retentionDays, offset);
      const to = query.to ?? calendarDay(now, offset);
      if (from > to) {
        throw new DomainError('BAD_REQUEST', `from ${from} is after to ${to}`, {
          field: 'from',
          hint: 'give from ≤ to, e.g. ?from=2025-01-01&to=2025-03-31',
        });
      }
      return { from, to, retentionDays, days: await store.read((tx) => readSnapshots(tx, from, to)) };
    }),
  ];
}
