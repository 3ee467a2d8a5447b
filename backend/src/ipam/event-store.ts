import { randomUUID } from 'node:crypto';
import type { IpamEvent } from '@extranet/topology';
import neo4j, { type ManagedTransaction } from 'neo4j-driver';

/**
 * Cypher of the address-space history:
 * `(:IpamEvent {id, at, actor, action, vrf, cidr, reason, status, role, snapshot: "json"})-[:ABOUT]->(:Site)`,
 * one entry per prefix change, never updated. An allocation writes its
 * entries in its own statement (`writeAllocation` in store.ts), with the same shape.
 */

export interface IpamEventInput {
  action: 'allocate' | 'assign' | 'reserve' | 'release' | 'provision' | 'import';
  vrf: string;
  cidr: string;
  actor: string;
  reason: string;
  status?: string;
  role?: string;
  snapshot?: Record<string, unknown>;
  /** Site codes the prefix concerns (its own site, or the sites at a link's ends). */
  sites: string[];
}

/** Appends history entries: who, when, what and why. */
export async function recordEvents(tx: ManagedTransaction, events: IpamEventInput[]): Promise<void> {
  if (!events.length) return;
  await tx.run(
    `UNWIND $events AS e
     CREATE (v:IpamEvent {id: e.id, at: datetime(), actor: e.actor, action: e.action, vrf: e.vrf, cidr: e.cidr,
       reason: e.reason, status: e.status, role: e.role, snapshot: e.snapshot})
     WITH v, e UNWIND e.sites AS code MATCH (s:Site {code: code}) CREATE (v)-[:ABOUT]->(s)`,
    {
      events: events.map((e) => ({
        ...e,
        id: randomUUID(),
        status: e.status ?? null,
        role: e.role ?? null,
        snapshot: e.snapshot ? JSON.stringify(e.snapshot) : null,
      })),
    },
  );
}

/** Which entries {@link readEvents} returns; absent fields match everything. */
export interface EventFilter {
  /** Entries about this prefix (a normalised CIDR), in `vrf` when given. */
  cidr?: string | null;
  vrf?: string;
  /** Entries about this site code. */
  site?: string;
  /** Default 500. */
  limit?: number;
}

/** History entries, newest first, their snapshot parsed. */
export async function readEvents(tx: ManagedTransaction, f: EventFilter): Promise<IpamEvent[]> {
  const r = await tx.run(
    `MATCH (e:IpamEvent)
     WHERE ($cidr IS NULL OR (e.cidr = $cidr AND ($vrf IS NULL OR e.vrf = $vrf)))
       AND ($site IS NULL OR EXISTS { (e)-[:ABOUT]->(:Site {code: $site}) })
     // Ordered by the stored datetime, before it becomes text: as text, a time on a whole second
     // ("…:01Z") sorts after later ones in the same second ("…:01.5Z").
     WITH e ORDER BY e.at DESC, e.id LIMIT $limit
     RETURN e {.id, .actor, .action, .vrf, .cidr, .reason, .status, .role, .snapshot, at: toString(e.at),
               sites: [(e)-[:ABOUT]->(s:Site) | s.code]} AS e`,
    { cidr: f.cidr ?? null, vrf: f.vrf ?? null, site: f.site ?? null, limit: neo4j.int(f.limit ?? 500) },
  );
  return r.records.map((x) => {
    const e = x.get('e') as Record<string, unknown>;
    return { ...e, snapshot: e.snapshot ? (JSON.parse(e.snapshot as string) as Record<string, unknown>) : null } as IpamEvent;
  });
}
