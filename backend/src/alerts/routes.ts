import { DomainError, alertsApi } from '@extranet/topology';
import type { Principal } from '../auth/principal';
import { Answer, route, type Route } from '../http/contract';
import type { AlertService } from './service';

/** Who did it: the authenticated principal — never a field the client sets. */
function actorOf(principal: Principal | undefined): string {
  if (!principal) throw new DomainError('UNAUTHENTICATED', 'log in first');
  return principal.username;
}

/** The alerts API (declared in topology/src/api/alerts.ts). Writes are audited by the contract binding. */
export function alertsRoutes(service: AlertService): Route[] {
  return [
    route(alertsApi.listAlerts, () => service.active()),
    route(alertsApi.alertHistory, ({ query }) => service.history({}, query.limit)),
    route(alertsApi.linkAlertHistory, ({ params, query }) => service.history({ link: params.id }, query.limit)),
    route(alertsApi.siteAlertHistory, ({ params, query }) => service.history({ site: params.code }, query.limit)),
    route(alertsApi.acknowledgeAlert, async ({ body }, ctx) => {
      ctx.audit.target = body.key;
      return service.acknowledge(body.key, actorOf(ctx.principal), body.note);
    }),
    route(alertsApi.listSilences, async () => {
      const items = await service.silences();
      return { items, total: items.length };
    }),
    route(alertsApi.createSilence, async ({ body }, ctx) => {
      const s = await service.createSilence(body, actorOf(ctx.principal));
      ctx.audit.target = s.id;
      return new Answer(201, s);
    }),
    route(alertsApi.expireSilence, async ({ params }, ctx) => {
      ctx.audit.target = params.id;
      return service.expireSilence(params.id, actorOf(ctx.principal));
    }),
    route(alertsApi.listAlertRules, () => ({
      source: service.source,
      flapping: service.rules.flapping,
      resendMs: service.rules.resendMs,
      items: service.rules.rules.map((r) => ({
        name: r.name,
        kind: r.kind,
        severity: r.severity,
        forMs: r.forMs,
        destinations: r.destinations,
        summary: r.summary ?? null,
        raisePct: r.raisePct ?? null,
        clearPct: r.clearPct ?? null,
        maxPerSec: r.maxPerSec ?? null,
      })),
    })),
    route(alertsApi.alertDeliveries, () => ({ items: service.deliveries() })),
  ];
}
