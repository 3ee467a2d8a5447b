import fs from 'node:fs';
import path from 'node:path';
import compression from 'compression';
import express, { type Express } from 'express';
import type { AddressPlan } from '@extranet/topology';
import { repoRoot } from '../config';
import { alertsRoutes } from '../alerts/routes';
import { readOnlyAlertService, type AlertService } from '../alerts/service';
import { ipamRoutes } from '../ipam/routes';
import { topologyRoutes } from '../graph/routes';
import { linksRoutes } from '../links/routes';
import { metricsRoutes } from '../metrics/routes';
import { monitorRoutes } from '../monitor/routes';
import { coverageHistoryRoutes } from '../coverage-history/routes';
import type { LabMode } from '../poller/lab-mode';
import { labRoutes } from '../poller/lab-routes';
import type { Poller } from '../poller/poller';
import type { Store } from '../neo4j/store';
import { sitesRoutes } from '../sites/routes';
import { authRoutes } from '../auth/routes';
import { checkHost } from '../auth/guard';
import { resolvePrincipal, tolerant } from '../auth/principal';
import type { Trust } from '../auth/trust';
import { mountRoutes, type Route } from './contract';
import { securityHeaders } from './security';
import { errorHandler, notFound } from './errors';
import { openapiDocument } from './openapi';
import { PRODUCT_VERSION } from './openapi-file';
import { systemRoutes } from './system-routes';
import { createReadModels, type ReadModels } from '../readmodel/models';

export interface AppDeps {
  store: Store;
  /** The address plan in force (from PLAN_DIR/address-plan.yaml); IPAM policy checks are skipped without one. */
  addressPlan?: AddressPlan;
  /** The running poller, when this process polls (its live status shows in the API and /metrics). */
  poller?: Poller;
  /** Lab mode: simulated routers whose faults can be switched at run time. */
  lab?: LabMode;
  /** Built frontend to serve at `/`; a placeholder page when it has not been built. */
  staticDir?: string;
  /** Check every answer against its declared schema (see MountOptions). Default: `API_CHECK_RESPONSES=1`. */
  checkResponses?: boolean;
  /** Sessions, tokens, permissions and the audit (shared with the live channel). */
  trust: Trust;
  /** The alert service that evaluates after each poll cycle; without one, the API serves the stored alerts. */
  alerts?: AlertService;
  /** The views served from memory (topology, coverage, plan); made from `store` and `poller` when absent. */
  models?: ReadModels;
}

/** Every route of the process: each feature's declared endpoints bound to their handlers. Lab routes only in lab mode. */
export function appRoutes(deps: AppDeps): Route[] {
  let openapi: unknown;
  const models = deps.models ?? defaultReadModels(deps);
  return [
    ...systemRoutes(deps.store, () => (openapi ??= openapiDocument(PRODUCT_VERSION)), { lab: deps.lab !== undefined }),
    ...authRoutes(deps.store, deps.trust.key, deps.trust.config),
    ...sitesRoutes(deps.store, models),
    ...linksRoutes(deps.store),
    ...topologyRoutes(models),
    ...ipamRoutes(deps.store, () => deps.addressPlan, models),
    ...monitorRoutes(deps.store, deps.poller, { models }),
    ...coverageHistoryRoutes(deps.store, deps.poller),
    ...(deps.lab ? labRoutes(deps.lab) : []),
    ...metricsRoutes(deps.store, deps.poller, { models }),
    ...alertsRoutes(deps.alerts ?? readOnlyAlertService(deps.store, deps.poller)),
  ];
}

/** Read models on the app's store, their coverage marked out of date by each of the poller's cycles. */
export function defaultReadModels(deps: Pick<AppDeps, 'store' | 'poller'>): ReadModels {
  const { poller } = deps;
  return createReadModels(deps.store, {
    maxAgeMs: poller?.maxAgeMs ?? 180_000,
    ...(poller && { clock: poller.clock, onCycle: (listener: () => void) => void poller.onCycle(listener) }),
  });
}

/** The express app: `/api/*` (JSON, declared in topology/src/api, described at /api/openapi.json), `/metrics` and the web UI. */
export function createApp(deps: AppDeps): Express {
  const { trust } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  if (trust.config.TRUST_PROXY) app.set('trust proxy', trust.config.TRUST_PROXY);
  app.use(securityHeaders());
  // gzip for every answer a client accepts it for; read-model answers come gzipped already and pass through.
  app.use(compression());
  app.use(checkHost(trust.allowedHosts));
  app.use(['/api', '/metrics'], tolerant(trust.session), resolvePrincipal(trust.resolve));

  const api = express.Router();
  mountRoutes(api, appRoutes(deps), {
    checkResponses: deps.checkResponses ?? process.env.API_CHECK_RESPONSES === '1',
    authorize: trust.authorize,
    audit: trust.audit,
  });
  app.use(api);
  app.use('/api', notFound);

  const staticDir = deps.staticDir ?? path.join(repoRoot, 'frontend', 'dist');
  if (fs.existsSync(path.join(staticDir, 'index.html'))) {
    app.use(express.static(staticDir, { index: 'index.html', maxAge: '1h' }));
  } else {
    app.get('/', (_req, res) => {
      res.type('html').send(placeholderPage);
    });
  }
  app.use(errorHandler);
  return app;
}

const placeholderPage = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>电子政务外网管理</title>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>电子政务外网管理 <small>Extranet manager</small></h1>
<p>前端尚未构建。API：<a href="/api/health">/api/health</a>、<a href="/api/sites">/api/sites</a>、
<a href="/api/links">/api/links</a>、<a href="/api/topology">/api/topology</a>。</p>
<p lang="en">The web UI has not been built (<code>npm run build</code>). The API is served under <a href="/api/openapi.json">/api</a>.</p>
</body></html>`;
