import type { Request } from 'express';
import { DomainError, ipamApi, type AddressPlan } from '@extranet/topology';
import { Answer, route, type Route } from '../http/contract';
import type { Store } from '../neo4j/store';
import { exportCsv, importCsv } from './csv';
import { provision } from './provision';
import { auditLog, freeOf, getPrefixOrThrow, listPrefixes, lookupAddress, utilizationOf } from './queries';
import { allocateNext, assignPrefix, releasePrefix } from './service';

/** Who did it: the X-Actor header, else the body's actor, else "api". */
function actorOf(req: Request, bodyActor?: string): string {
  return (req.get('x-actor') ?? bodyActor ?? 'api').slice(0, 100);
}

/** The address-space API (declared in topology/src/api/ipam.ts). */
export function ipamRoutes(store: Store, plan: () => AddressPlan | undefined): Route[] {
  return [
    route(ipamApi.listPrefixes, async ({ query }) => {
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
    route(ipamApi.allocate, async ({ body }, { req }) => {
      const r = await allocateNext(store, plan(), { ...body, actor: actorOf(req, body.actor) });
      return new Answer(r.replayed ? 200 : 201, { items: r.prefixes, replayed: r.replayed });
    }),
    route(ipamApi.assign, ({ body }, { req }) => assignPrefix(store, plan(), { ...body, actor: actorOf(req, body.actor) })),
    route(ipamApi.reserve, ({ body }, { req }) =>
      assignPrefix(store, plan(), { ...body, status: 'reserved', actor: actorOf(req, body.actor) }),
    ),
    route(ipamApi.release, async ({ body }, { req }) => ({
      released: await releasePrefix(store, { ...body, actor: actorOf(req, body.actor) }),
    })),
    route(ipamApi.provision, async ({ body }, { req }) => {
      const ap = plan();
      if (!ap) throw new DomainError('ADDRESS_PLAN_MISSING', 'no address plan is loaded', { hint: 'add address-plan.yaml to PLAN_DIR' });
      const result = await provision(store, ap, { ...body, actor: actorOf(req, body.actor), reason: body.reason || 'provision by policy' });
      const changed = result.created.length > 0;
      return new Answer(changed ? 201 : 200, { created: result.created, changed });
    }),
    route(ipamApi.exportCsv, async ({ query }) => new Answer(200, await exportCsv(store, query.vrf), { 'Content-Disposition': 'attachment; filename="prefixes.csv"' })),
    route(ipamApi.importCsv, ({ query, body }, { req }) =>
      importCsv(store, plan(), body, { actor: actorOf(req), reason: query.reason ?? 'CSV import' }, query.vrf),
    ),
  ];
}
