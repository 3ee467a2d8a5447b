import { DomainError, planApi } from '@extranet/topology';
import { route, type Route } from '../http/contract';
import type { Store } from '../neo4j/store';
import { snapshotAnswer } from '../readmodel/answer';
import type { ReadModels } from '../readmodel/models';
import { getSite, listSites, siteExists } from './store';

/**
 * `GET /api/sites`, `GET /api/sites/:code` (declared in topology/src/api/plan.ts).
 * The list without a filter comes from the read model when there is one; a filtered list is read per request.
 */
export function sitesRoutes(store: Store, models?: ReadModels): Route[] {
  return [
    route(planApi.listSites, async ({ query }) => {
      if (models && query.tier === undefined && query.parent === undefined) return snapshotAnswer(await models.sites.get());
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
