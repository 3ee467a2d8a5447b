import { io, type Socket } from 'socket.io-client';
import { api } from '../api/client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../topology/src/api';
import type { LinkUpdate } from '../api/types';
import { fromCoverageView, type CoverageModel } from '../coverage/model';
import { planCoverage } from '../coverage/plan-coverage';
import { loadPlan } from './plan';

/**
 * Monitoring as the UI sees it, one per page: the coverage (from
 * `GET /api/coverage`, else computed from the plan) and the latest state of
 * every link, kept current by socket.io (`subscribe` 'all'; batched `links`
 * and `coverage` events). Degrades in two steps:
 * - no socket.io endpoint (the first connection fails): `rest` — coverage is
 *   re-read every minute, links have no live state;
 * - `/api/coverage` answers 404 (monitoring not mounted): `plan-only` —
 *   coverage computed from the plan, no socket opened.
 */
export type LiveStatus = 'connecting' | 'live' | 'rest' | 'plan-only';
export type MonitoringEvent = { kind: 'status' } | { kind: 'coverage' } | { kind: 'links'; ids: string[] };

/** How often coverage is re-read when there is no live push, ms. */
const REST_REFRESH_MS = 60_000;

const listeners = new Set<(e: MonitoringEvent) => void>();
let status: LiveStatus = 'connecting';
/** Bumped by `stop()`: a start still under way when the session ends opens nothing. */
let generation = 0;
let socket: Socket<ServerToClientEvents, ClientToServerEvents> | undefined;
let restTimer: ReturnType<typeof setInterval> | undefined;
let coverage: CoverageModel | undefined;
let coverageReady: Promise<CoverageModel> | undefined;
let lastLinksAt: string | null = null;
const linkStates = new Map<string, LinkUpdate>();

function emit(e: MonitoringEvent): void {
  for (const l of listeners) l(e);
}

function setStatus(next: LiveStatus): void {
  if (next === status) return;
  status = next;
  emit({ kind: 'status' });
}

export const monitoring = {
  status: () => status,
  /** The latest coverage, once known. */
  coverage: () => coverage,
  /** The latest live state of a link; undefined before its first poll cycle (or in plan-only mode). */
  link: (id: string) => linkStates.get(id),
  /** The latest live state of every link seen so far. */
  links: (): Iterable<LinkUpdate> => linkStates.values(),
  /** When the last `links` batch arrived (server time), or null. */
  lastLinksAt: () => lastLinksAt,
  on(listener: (e: MonitoringEvent) => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  /** Resolves with the first coverage (monitoring or plan); starts the live connection when monitoring is there. */
  ready(): Promise<CoverageModel> {
    coverageReady ??= start();
    coverageReady.catch(() => (coverageReady = undefined));
    return coverageReady;
  },
  /**
   * Closes the live connection and forgets what it said (logout, a session
   * that ended): the next `ready()` starts again under the next login.
   */
  stop(): void {
    generation++;
    socket?.close();
    socket = undefined;
    clearInterval(restTimer);
    restTimer = undefined;
    coverageReady = undefined;
    coverage = undefined;
    lastLinksAt = null;
    linkStates.clear();
    setStatus('connecting');
  },
};

async function start(): Promise<CoverageModel> {
  const mine = generation;
  const view = await api.coverage();
  let model: CoverageModel;
  if (view) {
    model = fromCoverageView(view);
    if (mine !== generation) return model;
    coverage = model;
    connect();
  } else {
    const plan = await loadPlan();
    const cityDevices = plan.city ? (await api.site(plan.city.code)).deviceList : [];
    model = planCoverage(plan.sites, plan.links, cityDevices);
    if (mine !== generation) return model;
    coverage = model;
    setStatus('plan-only');
  }
  emit({ kind: 'coverage' });
  return model;
}

/**
 * One attempt first, without retries: a server without socket.io would
 * otherwise be asked again and again. Once connected, socket.io reconnects on
 * its own after a drop (a server restart).
 */
function connect(): void {
  const s: Socket<ServerToClientEvents, ClientToServerEvents> = io({ path: '/socket.io', reconnection: false, reconnectionDelayMax: 30_000, timeout: 10_000 });
  socket = s;
  let connected = false;
  s.on('connect', () => {
    connected = true;
    s.io.reconnection(true);
    s.emit('subscribe', 'all', (ack) => setStatus(ack.ok ? 'live' : 'connecting'));
  });
  s.on('connect_error', () => {
    if (connected) return;
    s.close();
    setStatus('rest');
    restTimer = setInterval(() => void refreshCoverage(), REST_REFRESH_MS);
  });
  s.on('disconnect', () => s === socket && setStatus('connecting'));
  s.on('links', (batch) => {
    for (const l of batch.links) linkStates.set(l.id, l);
    lastLinksAt = batch.at;
    emit({ kind: 'links', ids: batch.links.map((l) => l.id) });
  });
  s.on('coverage', (view) => {
    // On subscribe the server replays the coverage of its last change, which may be older than
    // the one just read over HTTP; coverage only moves forward.
    if (coverage?.at && view.at !== null && view.at < coverage.at) return;
    coverage = fromCoverageView(view);
    emit({ kind: 'coverage' });
  });
}

async function refreshCoverage(): Promise<void> {
  const view = await api.coverage().catch(() => undefined);
  if (!view) return;
  coverage = fromCoverageView(view);
  emit({ kind: 'coverage' });
}
