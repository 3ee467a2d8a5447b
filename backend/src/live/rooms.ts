import { ALL_ROOM } from '@extranet/topology';
import type { LinkUpdate } from '../monitor/types';

/**
 * Live rooms: `all`, or one county-level unit by site code (its own uplinks and
 * backups and those of its townships). Pure grouping of a cycle's link updates.
 */
export { ALL_ROOM };

/** The socket.io room name of a subscription (`all` or `county:<code>`). */
export function roomName(subscription: string): string {
  return subscription === ALL_ROOM ? ALL_ROOM : `county:${subscription}`;
}

/**
 * Link updates per room: every update goes to `all`, and to its county's room when it has one.
 * @example groupByRoom([{ id: 'L-4413-441302', county: '441302', … }]) // → Map { 'all' → [u], 'county:441302' → [u] }
 */
export function groupByRoom(links: readonly LinkUpdate[]): Map<string, LinkUpdate[]> {
  const out = new Map<string, LinkUpdate[]>();
  if (links.length > 0) out.set(ALL_ROOM, [...links]);
  for (const l of links) {
    if (l.county === null) continue;
    const room = roomName(l.county);
    const list = out.get(room);
    if (list) list.push(l);
    else out.set(room, [l]);
  }
  return out;
}
