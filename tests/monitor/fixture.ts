import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { repoRoot } from '../../backend/src/config';
import type { AlertService } from '../../backend/src/alerts/service';
import { createApp } from '../../backend/src/http/app';
import { testAuth } from '../helpers/auth';
import { attachLive, type Live } from '../../backend/src/live/live';
import type { Store } from '../../backend/src/neo4j/store';
import { importPlanDir } from '../../backend/src/plan/service';
import { startLabMode, type LabMode, type LabModeOptions } from '../../backend/src/poller/lab-mode';
import { createPoller, type Poller, type PollerOptions } from '../../backend/src/poller/poller';
import { openTestStore, resetGraph } from '../helpers/store';

/**
 * The monitoring stack as serve wires it: the real app with the poller and the
 * lab (monitor, lab and metrics routes, the real error middleware); the lab's agents on free loopback ports; one manual
 * clock shared by lab, poller and API. SNMP goes to 127.0.0.1 only.
 */

/** Tuesday 2025-03-04 10:00 in Huizhou: the morning peak. */
export const T0 = Date.parse('2025-03-04T02:00:00Z');
export const MINUTE = 60_000;
export const MINI = path.join(repoRoot, 'tests', 'fixtures', 'plans', 'mini');
export const HUIZHOU = path.join(repoRoot, 'plans', 'huizhou');

export function manualClock(start = T0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms), set: (ms: number) => (now = ms) };
}

export interface Stack {
  store: Store;
  lab: LabMode;
  poller: Poller;
  clock: ReturnType<typeof manualClock>;
  base: string;
  server: http.Server;
  live?: Live;
  /**
   * Stops poller, live and HTTP; the lab and the store too unless told to keep them (restart tests).
   * A full close also deletes what the file wrote, so the next test file starts from an empty graph.
   */
  close(opts?: { closeStore?: boolean; stopLab?: boolean }): Promise<void>;
}

export interface StackOptions {
  plan: string;
  lab?: Omit<LabModeOptions, 'clock'>;
  poller?: Partial<Omit<PollerOptions, 'store' | 'targets' | 'profiles' | 'clock'>>;
  live?: boolean;
  /** Reuse a store and skip the reset and import (restart tests). */
  store?: Store;
  /** Reuse a running lab (the routers do not restart when the manager does). */
  runningLab?: LabMode;
  clock?: ReturnType<typeof manualClock>;
  /** An alert service for the app (made once the store is open); default: the read-only one. */
  alerts?: (store: Store) => AlertService;
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const store = opts.store ?? (await openTestStore());
  if (!opts.store) {
    await resetGraph(store);
    await importPlanDir(store, opts.plan);
  }
  const clock = opts.clock ?? manualClock();
  const lab = opts.runningLab ?? (await startLabMode(store, { basePort: 0, shortfalls: [], env: {}, ...opts.lab, clock: clock.now }));
  const poller = createPoller({
    store,
    targets: lab.targets,
    profiles: lab.profiles,
    clock: clock.now,
    // Generous for a loaded CI box: the lab's agents share this process.
    timeoutMs: 1000,
    retries: 1,
    ...opts.poller,
  });

  const auth = await testAuth(store);
  authHeaders = auth.header('admin');
  const app = createApp({ store, trust: auth.trust, poller, lab, ...(opts.alerts && { alerts: opts.alerts(store) }) });
  const server = http.createServer(app);
  const live = opts.live ? attachLive(server, { store, trust: auth.trust, poller }) : undefined;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    store,
    lab,
    poller,
    clock,
    base,
    server,
    ...(live && { live }),
    async close({ closeStore = true, stopLab = true } = {}) {
      await poller.stop();
      await live?.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      if (stopLab) await lab.stop();
      if (closeStore && stopLab) await resetGraph(store);
      if (closeStore) await store.close();
    },
  };
}

/** The admin bearer token of the latest stack: the stack's API is authenticated like production. */
let authHeaders: Record<string, string> = {};
export const stackAuthHeaders = (): Record<string, string> => authHeaders;
/** The admin API token of the latest stack (socket.io's `auth: { token }`). */
export const stackToken = (): string => authHeaders.authorization?.slice('Bearer '.length) ?? '';

export async function getJson(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { headers: authHeaders });
  return { status: res.status, body: await res.json() };
}

export async function postJson(url: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authHeaders },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** Raw Neo4j properties of one node, for checks of what was persisted. */
export async function nodeProps(store: Store, cypher: string, params: Record<string, unknown>): Promise<Record<string, any>> {
  return store.read(async (tx) => (await tx.run(cypher, params)).records[0]?.get(0) as Record<string, any>);
}
