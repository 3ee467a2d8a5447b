import { z } from 'zod';
import { LINK_KINDS, LINK_TIERS } from '../plan/schema';
import { COMPLIANCE_REASONS, LINK_OPER_STATES } from './compliance';

/**
 * A link's state after a poll cycle: what the poller keeps on the Link node and
 * what socket.io pushes to the UI. One declaration for both ends: the wire
 * schema below; {@link LinkState} is the same with another time type — ms since
 * the epoch in the backend, ISO 8601 on the wire. Units: Mbps for capacities and
 * targets, bps for rates, percent of capacity.
 */
export const linkUpdateWireSchema = z
  .object({
    id: z.string(),
    kind: z.enum(LINK_KINDS),
    tier: z.enum(LINK_TIERS),
    /** County-level unit whose subtree the link serves (the site of end b, walked up); null for the city's own links. */
    county: z.string().nullable(),
    state: z.enum(LINK_OPER_STATES),
    meetsTarget: z.boolean(),
    reason: z.enum(COMPLIANCE_REASONS).nullable(),
    detail: z.string().nullable(),
    targetMbps: z.number(),
    capacityMbps: z.number().nullable(),
    inBps: z.number().nullable(),
    outBps: z.number().nullable(),
    inPct: z.number().nullable(),
    outPct: z.number().nullable(),
    /** Latest successful poll of a managed end, ISO 8601; null when never polled. */
    polledAt: z.string().nullable(),
    /**
     * When the link's reading became stale (every managed end's device missed a
     * poll since it was read: see `readingAge`), ISO 8601; null while current.
     * Optional on the wire so a client of an older server reads "current".
     */
    staleSince: z.string().nullable().optional(),
    /** True when state, meetsTarget, reason or capacity differ from before the cycle. */
    changed: z.boolean(),
  })
  .meta({ id: 'LinkUpdate' });

/** One link in a socket.io `links` event. */
export type LinkUpdateWire = z.infer<typeof linkUpdateWireSchema>;

/** A link's state with times of type `Time` (ms in the backend, ISO strings on the wire). */
export type LinkState<Time> = Omit<LinkUpdateWire, 'polledAt' | 'staleSince'> & { polledAt: Time | null; staleSince?: Time | null };

/** The socket.io `links` event: one per room and poll cycle. */
export const linksEventSchema = z
  .object({
    /** `all` or a county-level site code. */
    room: z.string(),
    /** When the cycle ended, ISO 8601. */
    at: z.string(),
    links: z.array(linkUpdateWireSchema),
  })
  .meta({ id: 'LinksEvent' });
export type LinksEvent = z.infer<typeof linksEventSchema>;

/**
 * The wire form of a link state: times as ISO strings.
 * @example toWire({ ...update, polledAt: 0 }).polledAt // '1970-01-01T00:00:00.000Z'
 */
export function linkUpdateToWire(l: LinkState<number>): LinkUpdateWire {
  const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());
  return { ...l, polledAt: iso(l.polledAt), staleSince: iso(l.staleSince) };
}
