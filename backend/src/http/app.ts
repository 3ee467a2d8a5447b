import fs from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import YAML from 'yaml';
import type { AddressPlan } from '@extranet/topology';
import { repoRoot } from '../config';
import { ipamRouter } from '../ipam/routes';
import { topologyRouter } from '../graph/routes';
import { linksRouter } from '../links/routes';
import { metricsRouter } from '../metrics/routes';
import { monitorRouter } from '../monitor/routes';
import type { LabMode } from '../poller/lab-mode';
import { labRouter } from '../poller/lab-routes';
import type { Poller } from '../poller/poller';
import type { Store } from '../neo4j/store';
import { sitesRouter } from '../sites/routes';
import { errorHandler, notFound } from './errors';
import { healthRouter } from './health';

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
}

const openapiFile = path.join(repoRoot, 'backend', 'openapi.yaml');

/** The express app: `/api/*` (JSON, documented in backend/openapi.yaml) and the web UI. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(express.json({ limit: '2mb' }));

  const api = express.Router();
  const openapi = YAML.parse(fs.readFileSync(openapiFile, 'utf8')) as unknown;
  api.get('/openapi.json', (_req, res) => res.json(openapi));
  api.use(healthRouter(deps.store));
  api.use(sitesRouter(deps.store));
  api.use(linksRouter(deps.store));
  api.use(topologyRouter(deps.store));
  api.use(ipamRouter(deps.store, () => deps.addressPlan));
  api.use(monitorRouter(deps.store, deps.poller));
  if (deps.lab) api.use(labRouter(deps.lab));
  api.use(notFound);
  app.use('/api', api);
  app.use('/metrics', metricsRouter(deps.store, deps.poller));

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
