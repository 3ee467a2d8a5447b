import { DomainError, planApi } from '@extranet/topology';
import { route, type Route } from '../http/contract';
import type { Store } from '../neo4j/store';
import { getSite, listSites, siteExists } from './store';

/** `GET /api/sites`, `GET /api/sites/:code` (declared in topology/src/api/plan.ts). */
export function sitesRoutes(store: Store): Route[] {
  return [
    route(planApi.listSites, async ({ query }) => {
      if (query.parent && !(await siteExists(store, query.parent))) {
        throw new DomainError('NOT_FOUND', `no site with code ${query.parent}`, { field: 'parent' });
      }
      const items = await listSites(store, query);
      return { items, total: items.length };
    }),
    route(planApi.getSite, async ({ params }) => {
      const site = await getSite(store, params.code);
      if (!site) throw new DomainError('NOT_FOUND', `no site with code ${params.code}`, { field: 'code' });
      return site;
    }),
  ];
}
