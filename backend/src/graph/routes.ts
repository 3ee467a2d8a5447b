import { planApi } from '@extranet/topology';
import { route, type Route } from '../http/contract';
import type { Store } from '../neo4j/store';
import { readTopology } from './store';

/** `GET /api/topology` (declared in topology/src/api/plan.ts). */
export function topologyRoutes(store: Store): Route[] {
  return [route(planApi.getTopology, () => readTopology(store))];
}
