import { z } from 'zod';
import { coverageViewSchema, type CoverageView } from '../monitor/coverage-view';
import { linksEventSchema, type LinksEvent } from '../monitor/link-update';
import { siteCodeString } from '../plan/schema';

/**
 * The socket.io contract, declared once for the server (backend/src/live) and
 * the browser (frontend/src/data/monitoring.ts). A client emits `subscribe`
 * with `all` or a county-level site code and gets an ack; the server pushes
 * `links` (one per room and poll cycle) and `coverage` (when it changed).
 */

/** The room everyone may join. */
export const ALL_ROOM = 'all';

/** What `subscribe` takes: `all` or the site code of a county-level unit. */
export const subscriptionSchema = z.union([z.literal(ALL_ROOM), siteCodeString], {
  error: 'subscribe to "all" or a county-level site code, e.g. 441302',
});
export type Subscription = z.infer<typeof subscriptionSchema>;

/** The ack of `subscribe`. */
export type SubscribeAck = { ok: true; room: string } | { ok: false; error: { code: string; message: string } };

export interface ServerToClientEvents {
  links: (event: LinksEvent) => void;
  coverage: (view: CoverageView) => void;
}

export interface ClientToServerEvents {
  subscribe: (subscription: Subscription, ack: (reply: SubscribeAck) => void) => void;
  unsubscribe: (subscription: Subscription) => void;
}

/** The pushed events' schemas (for the OpenAPI-adjacent docs and for tests that check what the server sends). */
export const LIVE_EVENTS = { links: linksEventSchema, coverage: coverageViewSchema } as const;
