import type { LinkKind, LinkRow, LinkStatus, LinkTier } from '@extranet/topology';
import type { Store } from '../neo4j/store';

export interface LinkFilter {
  tier?: LinkTier;
  status?: LinkStatus;
  kind?: LinkKind;
  site?: string;
}

export async function listLinks(store: Store, f: LinkFilter): Promise<LinkRow[]> {
  return store.read(async (tx) => {
    const r = await tx.run(
      `MATCH (l:Link)
       WHERE ($tier IS NULL OR l.tier = $tier) AND ($status IS NULL OR l.status = $status) AND ($kind IS NULL OR l.kind = $kind)
       MATCH (l)-[:END {side: 'a'}]->(ia:Interface)<-[:HAS]-(da:Device)-[:AT]->(sa:Site)
       MATCH (l)-[:END {side: 'b'}]->(ib:Interface)<-[:HAS]-(db:Device)-[:AT]->(sb:Site)
       WITH l, ia, da, sa, ib, db, sb
       WHERE $site IS NULL OR sa.code = $site OR sb.code = $site
       RETURN l {.id, .kind, .tier, .status, .targetMbps, .contractedMbps, .carrier,
                 a: {device: da.hostname, interface: ia.ifName, site: sa.code},
                 b: {device: db.hostname, interface: ib.ifName, site: sb.code}} AS l
       ORDER BY l.id`,
      { tier: f.tier ?? null, status: f.status ?? null, kind: f.kind ?? null, site: f.site ?? null },
    );
    return r.records.map((x) => {
      const l = x.get('l') as LinkRow;
      return { ...l, contractedMbps: l.contractedMbps ?? null, carrier: l.carrier ?? null };
    });
  });
}
