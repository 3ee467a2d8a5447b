import type http from 'node:http';
import { Server } from 'socket.io';
import type { Logger } from 'pino';
import { countyCodes } from '../graph/store';
import { log as rootLog } from '../log';
import { coverageFingerprint, coverageView, loadCoverage, type CoverageView } from '../monitor/coverage-service';
import type { Request } from 'express';
import {
  allows,
  ALL_ROOM,
  linkUpdateToWire,
  subscriptionSchema,
  type ClientToServerEvents,
  type LinksEvent,
  type ServerToClientEvents,
  type SubscribeAck,
} from '@extranet/topology';
import type { CycleResult } from '../monitor/types';
import { originAllowed } from '../auth/guard';
import type { Trust } from '../auth/trust';
import type { Store } from '../neo4j/store';
import type { Poller } from '../poller/poller';
import { readCycleSeq } from '../monitor/cycle-store';
import { CycleFollower } from '../monitor/pace';
import { readLinksJudgedSince } from './live-store';
import { groupByRoom, roomName } from './rooms';

/**
 * Live updates over socket.io, by the contract declared in topology/src/api/live.ts
 * (`ClientToServerEvents`, `ServerToClientEvents`). A client emits `subscribe` with `all` or the
 * site code of a county-level unit (ack: `{ok: true, room}` or `{ok: false,
 * error: {code, message}}`); after each poll cycle every room with subscribers
 * gets ONE `links` event (`LinksEvent` in topology: `{room, at, links}`) with the links of
 * that cycle in its subtree, and all subscribers get a `coverage` event
 * (the `GET /api/coverage` body) when the coverage changed. A new subscriber
 * is sent the latest links of its room and the latest coverage at once.
 *
 * Every cycle reaches every process's clients, whichever process polled it: a process pushes its
 * own poller's cycles as they end, and every `othersEveryMs` (1 s) it reads the cycle number all
 * processes share (`(:CycleMeta).seq`); when other processes wrote cycles since, it reads the links
 * those cycles judged (`(:Link).cycleSeq`) and pushes them in the same shape. Cycles are numbered
 * under a lock held to their commit, so none is skipped. A number is handled one look after it was
 * read, so this process's own cycles are known as its own by then. Latency for another shard's cycle:
 * at most twice `othersEveryMs` plus one read after its commit.
 */
export interface LiveDeps {
  store: Store;
  poller: Poller;
  /** Who may connect: the same session cookie or API token as the HTTP API (`read` permission), from an allowed Origin. */
  trust: Trust;
  /** Staleness for coverage; default the poller's. */
  maxAgeMs?: number;
  /**
   * How often the cycles other processes wrote (the other shards' pollers on the same Neo4j) are
   * looked for, ms: their links reach this process's clients within this plus one read. Default 1 000.
   */
  othersEveryMs?: number;
  /** socket.io path. Default `/socket.io`. */
  path?: string;
  log?: Logger;
}

export interface Live {
  readonly io: Server<ClientToServerEvents, ServerToClientEvents>;
  /** Disconnects every client and stops listening to the poller (the HTTP server is left alone). */
  close(): Promise<void>;
}

/** Room every subscriber joins, for coverage events. */
const SUBSCRIBERS = 'subscribers';

/**
 * @example
 * const server = http.createServer(app);
 * const live = attachLive(server, { store, poller });
 * // client: io(url).emit('subscribe', '441302', ack); socket.on('links', …)
 */
export function attachLive(httpServer: http.Server, deps: LiveDeps): Live {
  const log = (deps.log ?? rootLog).child({ component: 'live' });
  const { trust } = deps;
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(httpServer, {
    path: deps.path ?? '/socket.io',
    serveClient: false,
    // A page on another origin cannot open a live connection with the user's cookie.
    allowRequest: (req, cb) => cb(null, originAllowed(req.headers.origin, req.headers.host, trust.allowedOrigins)),
  });
  io.engine.use(trust.session);
  io.use((socket, next) => {
    const req = socket.request as Request;
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (typeof token === 'string') req.headers.authorization = `Bearer ${token}`;
    trust.resolve(req).then(
      (p) => (p && allows(p.role, 'read') ? next() : next(new Error('UNAUTHENTICATED: log in first'))),
      () => next(new Error('UNAUTHENTICATED: the API token is unknown, expired or revoked')),
    );
  });
  const maxAgeMs = deps.maxAgeMs ?? deps.poller.maxAgeMs;
  let coverage: { view: CoverageView; fingerprint: string } | undefined;
  // The latest state of every link seen, so a new subscriber is not left with grey links until the next poll.
  const latestLinks = new Map<string, CycleResult['links'][number]>();
  let latestAt: string | undefined;

  const counties = () => countyCodes(deps.store);

  io.on('connection', (socket) => {
    // Clients are not trusted to follow the declared types: the payload is parsed, and the ack may be missing.
    socket.on('subscribe', async (raw: unknown, ack?: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (x: SubscribeAck) => void) : () => {};
      try {
        const parsed = subscriptionSchema.safeParse(raw);
        if (!parsed.success) {
          return reply({
            ok: false,
            error: { code: 'BAD_REQUEST', message: 'subscribe to "all" or a county-level site code, e.g. 441302' },
          });
        }
        const subscription = parsed.data;
        if (subscription !== ALL_ROOM && !(await counties()).has(subscription)) {
          return reply({ ok: false, error: { code: 'NOT_FOUND', message: `no county-level unit with code ${subscription}` } });
        }
        await socket.join([roomName(subscription), SUBSCRIBERS]);
        reply({ ok: true, room: subscription });
        const mine = groupByRoom([...latestLinks.values()]).get(roomName(subscription));
        if (mine?.length)
          socket.emit('links', { room: subscription, at: latestAt!, links: mine.map(linkUpdateToWire) } satisfies LinksEvent);
        if (coverage) socket.emit('coverage', coverage.view);
      } catch (e) {
        reply({ ok: false, error: { code: 'STORE_UNAVAILABLE', message: (e as Error).message } });
      }
    });
    socket.on('unsubscribe', async (raw: unknown) => {
      const parsed = subscriptionSchema.safeParse(raw);
      if (parsed.success) await socket.leave(roomName(parsed.data));
    });
  });

  /** Pushes one cycle's links to their rooms, and the coverage when it changed. */
  const push = (links: CycleResult['links'], endedAt: number) => {
    const at = new Date(endedAt).toISOString();
    for (const l of links) latestLinks.set(l.id, l);
    latestAt = at;
    const rooms = io.sockets.adapter.rooms;
    for (const [room, mine] of groupByRoom(links)) {
      if (!rooms.has(room)) continue;
      io.to(room).emit('links', {
        room: room === ALL_ROOM ? ALL_ROOM : room.slice('county:'.length),
        at,
        links: mine.map(linkUpdateToWire),
      } satisfies LinksEvent);
    }
    if (!rooms.has(SUBSCRIBERS) || (coverage && !links.some((l) => l.changed))) coverageFollower.noteCycle();
    else coverageFollower.request(endedAt);
  };
  // Coverage is judged over the whole plan: cycles that end while it is being judged, or during the
  // rest after it (pace.ts), share the next judgement (at the latest one's end) — at national scale
  // cycles end faster than it takes.
  const coverageFollower = new CycleFollower(
    async (now) => {
      const view = coverageView(await loadCoverage(deps.store, { now, maxAgeMs }), now);
      const fingerprint = coverageFingerprint(view);
      if (fingerprint !== coverage?.fingerprint) {
        coverage = { view, fingerprint };
        io.to(SUBSCRIBERS).emit('coverage', view);
      }
    },
    (e) => log.warn({ err: e.message }, 'live coverage push failed'),
  );

  // Cycles of this process are pushed as they end; those of other processes (the other shards'
  // pollers writing to the same Neo4j) are read from the store when `(:CycleMeta).seq` moves on.
  const own = new Set<number>();
  let seen: number | undefined;
  const remove = deps.poller.onCycle((c) => {
    if (c.seq !== undefined) own.add(c.seq);
    try {
      push(c.links, c.endedAt);
    } catch (e) {
      log.warn({ err: (e as Error).message }, 'live push failed');
    }
  });
  // A number read now is handled at the next look: by then this process's own cycle of that number
  // (committed, its listeners not yet called when the number was read) is known as ours.
  let lastRead: number | undefined;
  const watchOthers = async () => {
    const latest = await deps.store.read(readCycleSeq);
    if (seen === undefined || latest < seen) seen = latest; // first look, or a store emptied under us
    const upTo = Math.min(lastRead ?? seen, latest);
    lastRead = latest;
    if (upTo <= seen) return;
    const after = seen;
    seen = upTo;
    const skip = [...own].filter((n) => n > after && n <= upTo);
    for (const n of own) if (n <= upTo) own.delete(n);
    if (skip.length === upTo - after) return; // all ours, pushed already
    const links = await deps.store.read((tx) => readLinksJudgedSince(tx, { after, upTo, skip }));
    if (links.length === 0) return;
    const endedAt = links.reduce((m, l) => Math.max(m, l.polledAt ?? 0), deps.poller.clock()); // no spread: 52,000 arguments
    push(links, endedAt);
  };
  const othersEveryMs = deps.othersEveryMs ?? 1_000;
  let watching = false;
  const timer = setInterval(() => {
    if (watching) return;
    watching = true;
    watchOthers()
      .catch((e: Error) => log.warn({ err: e.message }, "live push of other processes' cycles failed"))
      .finally(() => (watching = false));
  }, othersEveryMs);
  timer.unref();
  void watchOthers().catch(() => undefined);

  return {
    io,
    close() {
      coverageFollower.stop();
      remove();
      clearInterval(timer);
      io.disconnectSockets(true);
      io.engine.close();
      return Promise.resolve();
    },
  };
}
