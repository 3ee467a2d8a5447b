import { DomainError, ipamApi, type AddressPlan } from '@extranet/topology';
import type { Principal } from '../auth/principal';
import { Answer, route, type Route } from '../http/contract';
import type { Store } from '../neo4j/store';
import { snapshotAnswer } from '../readmodel/answer';
import type { ReadModels } from '../readmodel/models';
import { exportCsv, importCsv } from './csv';
import { provision } from './provision';
import { auditLog, freeOf, getPrefixOrThrow, listPrefixes, lookupAddress, utilizationOf } from './queries';
import { allocateNext, assignPrefix, releasePrefix } from './service';

/** Who did it: the authenticated principal — never a header or field the client sets. */
function actorOf(principal: Principal | undefined): string {
  if (!principal) throw new DomainError('UNAUTHENTICATED', 'log in first');
  return principal.username;
}

/**
 * The address-space API (declared in topology/src/api/ipam.ts). The prefix list
 * without a filter comes from the read model when there is one; a filtered list is read per request.
 */
export function ipamRoutes(store: Store, plan: () => AddressPlan | undefined, models?: ReadModels): Route[] {
  return [
    route(ipamApi.listPrefixes, async ({ query }) => {
      if (models && Object.values(query).every((v) => v === undefined)) return snapshotAnswer(await models.prefixes.get());
      const items = await listPrefixes(store, query);
      return { items, total: items.length };
    }),
    route(ipamApi.getPrefix, ({ query }) => getPrefixOrThrow(store, query.vrf, query.cidr)),
    route(ipamApi.getFree, ({ query }) => freeOf(store, query.vrf, query.cidr, query.length)),
    route(ipamApi.getUtilization, ({ query }) => utilizationOf(store, query.vrf, query.cidr, query.unit)),
    route(ipamApi.lookup, ({ query }) => lookupAddress(store, query.address, query.vrf)),
    route(ipamApi.ipamHistory, async ({ query }) => {
      const items = await auditLog(store, query);
      return { items, total: items.length };
    }),
    route(ipamApi.allocate, async ({ body }, { principal }) => {
      const r = await allocateNext(store, plan(), { ...body, actor: actorOf(principal) });
      return new Answer(r.replayed ? 200 : 201, { items: r.prefixes, replayed: r.replayed });
    }),
    route(ipamApi.assign, ({ body }, { principal }) => assignPrefix(store, plan(), { ...body, actor: actorOf(principal) })),
    route(ipamApi.reserve, ({ body }, { principal }) =>
      assignPrefix(store, plan(), { ...body, status: 'reserved', actor: actorOf(principal) }),
    ),
    route(ipamApi.release, async ({ body }, { principal }) => ({
      // The role decides whether a root block may go recursively (service.ts, checkRootRelease).
      released: await releasePrefix(store, { ...body, actor: actorOf(principal), role: principal?.role ?? 'viewer' }),
    })),
    route(ipamApi.provision, async ({ body }, { principal }) => {
      const ap = plan();
      if (!ap) throw new DomainError('ADDRESS_PLAN_MISSING', 'no address plan is loaded', { hint: 'add address-plan.yaml to PLAN_DIR' });
      const result = await provision(store, ap, { ...body, actor: actorOf(principal), reason: body.reason || 'provision by policy' });
      const changed = result.created.length > 0;
      return new Answer(changed ? 201 : 200, { created: result.created, changed });
    }),
    route(
      ipamApi.exportCsv,
      async ({ query }) =>
        new Answer(200, await exportCsv(store, query.vrf), { 'Content-Disposition': 'attachment; filename="prefixes.csv"' }),
    ),
    route(ipamApi.importCsv, ({ query, body }, { principal }) =>
      importCsv(store, plan(), body, { actor: actorOf(principal), reason: query.reason ?? 'CSV import' }, query.vrf),
    ),
  ];
}
