import { planApi } from '@extranet/topology';
import { route, type Route } from '../http/contract';
import type { Store } from '../neo4j/store';
import { listLinks } from './store';

/** `GET /api/links` (declared in topology/src/api/plan.ts). */
export function linksRoutes(store: Store): Route[] {
  return [
    route(planApi.listLinks, async ({ query }) => {
      const items = await listLinks(store, query);
      return { items, total: items.length };
    }),
  ];
}
