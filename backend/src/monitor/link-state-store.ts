import type { ManagedTransaction } from 'neo4j-driver';
import { INTERFACE_STATE_KEYS, type InterfaceStateProps } from './end-state';

/** One end of a link as the pollers last wrote it on its interface. */
export interface StoredLinkEnd {
  id: string;
  side: 'a' | 'b';
  props: InterfaceStateProps;
  /** Errors and discards per second of the end's last accepted interval (ifInErrors + ifOutErrors + ifInDiscards), or null. */
  errorsPerSec: number | null;
  /** The number of the poll cycle that last judged the link (`(:Link).cycleSeq`, cycle-store.ts), 0 before the first. */
  cycleSeq: number;
}

/**
 * The measured state of both ends of every link, as the pollers last wrote it on the interfaces, with
 * their error rates (which the alert evaluation reads with the states, in the same pass). One flat list
 * per end rather than a map: at national size (104,000 ends, read by every coverage computation and
 * alert evaluation) the driver's decoding of keyed maps was most of the read. `judged`: only the ends of
 * the links judged by cycles `after` < n ≤ `upTo` (`(:Link).cycleSeq`, indexed) — what changed since a
 * reader last read them all (coverage-service.ts keeps the rest).
 */
export async function readLinkEnds(tx: ManagedTransaction, judged?: { after: number; upTo: number }): Promise<StoredLinkEnd[]> {
  const r = await tx.run(
    `${judged ? 'MATCH (l:Link) WHERE l.cycleSeq > $after AND l.cycleSeq <= $upTo MATCH (l)' : 'MATCH (l:Link)'}-[e:END]->(i:Interface)
     RETURN [l.id, e.side, ${INTERFACE_STATE_KEYS.map((k) => `i.${k}`).join(', ')},
             CASE WHEN i.inErrorsPerSec IS NULL THEN null
                  ELSE coalesce(i.inErrorsPerSec, 0) + coalesce(i.outErrorsPerSec, 0) + coalesce(i.inDiscardsPerSec, 0) END,
             coalesce(l.cycleSeq, 0)] AS r`,
    judged ?? {},
  );
  const n = INTERFACE_STATE_KEYS.length;
  return r.records.map((x) => {
    const v = x.get('r') as unknown[];
    const props: Record<string, unknown> = {};
    INTERFACE_STATE_KEYS.forEach((k, j) => (props[k] = v[j + 2]));
    const errors = v[n + 2];
    return {
      id: v[0] as string,
      side: v[1] as 'a' | 'b',
      props: props,
      errorsPerSec: errors == null ? null : Number(errors),
      cycleSeq: Number(v[n + 3]),
    };
  });
}
