import { DomainError, planApi, type TopologyCompact, type TopologyView } from '@extranet/topology';
import { route, type Route } from '../http/contract';
import { snapshotAnswer } from '../readmodel/answer';
import type { ReadModels } from '../readmodel/models';

/**
 * `GET /api/topology`, `/api/topology/compact` and `/api/plan` (declared in
 * topology/src/api/plan.ts), answered from the read models: the view is
 * computed when the plan changes, not per request.
 */
export function topologyRoutes(models: ReadModels): Route[] {
  const form = async (kind: 'full' | 'compact', county: string | undefined) => {
    const snapshot = models.topologyForm(await models.topology.get(), kind, county);
    if (snapshot === undefined) {
      throw new DomainError('NOT_FOUND', `no county-level unit with code ${county}`, {
        field: 'county',
        hint: 'GET /api/sites?tier=county lists the county-level units',
      });
    }
    return snapshot;
  };
  return [
    route(planApi.getTopology, async ({ query }) => snapshotAnswer<TopologyView>(await form('full', query.county))),
    route(planApi.getTopologyCompact, async ({ query }) => snapshotAnswer<TopologyCompact>(await form('compact', query.county))),
    route(planApi.getPlanInfo, async () => snapshotAnswer(await models.plan.get())),
  ];
}
