import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { AddressPlan } from '@extranet/topology';
import { chromium, type Browser, type BrowserContextOptions, type ConsoleMessage, type Page } from 'playwright-core';
import { build } from 'vite';
import { repoRoot } from '../../backend/src/config';
import type { AlertService } from '../../backend/src/alerts/service';
import { createApp } from '../../backend/src/http/app';
import type { Role } from '@extranet/topology';
import { testAuth, type TestAuth } from '../helpers/auth';
import { attachLive, type Live } from '../../backend/src/live/live';
import type { Store } from '../../backend/src/neo4j/store';
import { importPlanDir } from '../../backend/src/plan/service';
import type { LabMode } from '../../backend/src/poller/lab-mode';
import type { Poller } from '../../backend/src/poller/poller';
import { openTestStore, resetGraph } from '../helpers/store';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser';

/**
 * What a UI test runs against, wired as `extranet serve` wires it: the frontend
 * built by Vite, a plan imported into the test Neo4j, `createApp` serving the
 * build with socket.io attached, and a headless Chromium page that records its
 * console messages and page errors.
 */
export interface UiStack {
  store: Store;
  base: string;
  browser: Browser;
  page: Page;
  messages: ConsoleMessage[];
  pageErrors: Error[];
  /** The test accounts (one per role) and their API tokens. */
  auth: TestAuth;
  /**
   * Logs a page's browser context in as a role through the API (the session
   * cookie lands in the context, so the app opens without its login page);
   * default engineer, default the stack's page.
   */
  loginAs(role?: Role, on?: Page): Promise<void>;
  /** Closes browser, live, poller, lab, HTTP; empties the graph for the next file. */
  close(): Promise<void>;
}

/** What a test adds to the app once the plan is in the graph. */
export interface UiBackend {
  poller: Poller;
  lab?: LabMode;
  addressPlan?: AddressPlan;
  alerts?: AlertService;
}

export async function startUiStack(opts: {
  plan: string;
  /** Runs after the import: provision, start a lab, create the poller. */
  backend: (store: Store) => Promise<UiBackend>;
  page?: BrowserContextOptions;
}): Promise<UiStack> {
  const store = await openTestStore();
  await Promise.all([
    build({ root: path.join(repoRoot, 'frontend'), logLevel: 'warn' }),
    (async () => {
      await resetGraph(store);
      await importPlanDir(store, opts.plan);
    })(),
  ]);
  const backend = await opts.backend(store);
  const auth = await testAuth(store);
  const server = http.createServer(createApp({ store, trust: auth.trust, ...backend, staticDir: path.join(repoRoot, 'frontend', 'dist') }));
  const live: Live = attachLive(server, { store, trust: auth.trust, poller: backend.poller });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, ...opts.page });
  const loginAs = async (role: Role = 'engineer', on: Page = page) => {
    const res = await on.request.post(`${base}/api/auth/login`, { data: auth.users[role], headers: { origin: base } });
    if (res.status() !== 200) throw new Error(`login as ${role}: ${res.status()} ${await res.text()}`);
  };
  await loginAs('engineer');
  const messages: ConsoleMessage[] = [];
  const pageErrors: Error[] = [];
  page.on('console', (m) => messages.push(m));
  page.on('pageerror', (e) => pageErrors.push(e));
  return {
    store,
    auth,
    loginAs,
    base,
    browser,
    page,
    messages,
    pageErrors,
    async close() {
      await browser.close();
      await live.close();
      await backend.poller.stop();
      await backend.lab?.stop();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await resetGraph(store);
      await store.close();
    },
  };
}
