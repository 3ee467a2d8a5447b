import type { ManagedTransaction } from 'neo4j-driver';
import type { ComplianceReason, LinkKind, LinkTier } from '@extranet/topology';
import { countyOfSiteCypher } from '../graph/store';
import type { LinkUpdate } from '../monitor/types';

/**
 * What a serving process reads to push the cycles OTHER processes wrote (another shard's poller):
 * the links each cycle judged carry its number (`(:Link).cycleSeq`, written in the cycle's
 * transaction by monitor/cycle-store.ts), so "every link judged by a cycle after n" is one indexed
 * read, in the same shape the cycle handed to its own process's listeners.
 */

/** The links judged by cycles numbered in `(after, upTo]`, leaving out the cycles numbered in `skip` (this process's own, pushed already). */
export async function readLinksJudgedSince(
  tx: ManagedTransaction,
  range: { after: number; upTo: number; skip: readonly number[] },
): Promise<LinkUpdate[]> {
  const r = await tx.run(
    `MATCH (l:Link) WHERE l.cycleSeq > $after AND l.cycleSeq <= $upTo AND NOT l.cycleSeq IN $skip
     OPTIONAL MATCH (l)-[:END {side: 'b'}]->(:Interface)<-[:HAS]-(:Device)-[:AT]->(sb:Site)
     WITH l, ${countyOfSiteCypher('sb')} AS county
     RETURN l {.id, .kind, .tier, .targetMbps, .operStatus, .meetsTarget, .reason, .reasonDetail, .capacityMbps,
               .lastInBps, .lastOutBps, .lastInPct, .lastOutPct, .polledAt, .staleSince, .stateChanged} AS l, county`,
    { after: range.after, upTo: range.upTo, skip: [...range.skip] },
  );
  return r.records.map((rec) => {
    const l = rec.get('l') as Record<string, unknown>;
    const n = <T>(v: unknown) => (v === undefined || v === null ? null : (v as T));
    const update: LinkUpdate = {
      id: l.id as string,
      kind: l.kind as LinkKind,
      tier: l.tier as LinkTier,
      county: n<string>(rec.get('county')),
      state: l.operStatus as LinkUpdate['state'],
      meetsTarget: l.meetsTarget === true,
      reason: n<ComplianceReason>(l.reason),
      detail: n<string>(l.reasonDetail),
      targetMbps: l.targetMbps as number,
      capacityMbps: n<number>(l.capacityMbps),
      inBps: n<number>(l.lastInBps),
      outBps: n<number>(l.lastOutBps),
      inPct: n<number>(l.lastInPct),
      outPct: n<number>(l.lastOutPct),
      polledAt: n<number>(l.polledAt),
      staleSince: n<number>(l.staleSince),
      changed: l.stateChanged === true,
    };
    return update;
  });
}
