import { INTERNET_NODE, type TopologyView } from '@extranet/topology';
import type { Store } from '../neo4j/store';

/**
 * The drawing view of the network (`TopologyView`, declared in topology/ for
 * the UI too): sites as nodes, links as edges between the sites of their two
 * ends. The internet exit ends at the `INTERNET` node.
 */
export async function readTopology(store: Store): Promise<TopologyView> {
  return store.read(async (tx) => {
    const nodes = (
      await tx.run(
        `MATCH (s:Site)
         RETURN {id: s.code, name: s.name, tier: s.tier, kind: s.kind, legalCounty: s.legalCounty,
                 parent: head([(s)-[:UNDER]->(p:Site) | p.code])} AS n ORDER BY n.id`,
      )
    ).records.map((r) => r.get('n') as TopologyView['nodes'][number]);
    const links = (
      await tx.run(
        `MATCH (l:Link)
         MATCH (l)-[:END {side: 'a'}]->(:Interface)<-[:HAS]-(:Device)-[:AT]->(sa:Site)
         MATCH (l)-[:END {side: 'b'}]->(:Interface)<-[:HAS]-(:Device)-[:AT]->(sb:Site)
         RETURN {id: l.id, source: sa.code, target: CASE WHEN l.kind = 'internet-exit' THEN $internet ELSE sb.code END,
                 kind: l.kind, tier: l.tier, status: l.status, targetMbps: l.targetMbps,
                 contractedMbps: l.contractedMbps, carrier: l.carrier} AS l ORDER BY l.id`,
        { internet: INTERNET_NODE },
      )
    ).records.map((r) => r.get('l') as TopologyView['links'][number]);
    if (links.some((l) => l.target === INTERNET_NODE)) {
      nodes.push({ id: INTERNET_NODE, name: '互联网出口', tier: 'internet', kind: 'internet', parent: null, legalCounty: null });
    }
    return {
      nodes: nodes.map((n) => ({ ...n, parent: n.parent ?? null, legalCounty: n.legalCounty ?? null })),
      links: links.map((l) => ({ ...l, contractedMbps: l.contractedMbps ?? null, carrier: l.carrier ?? null })),
    };
  });
}

/** The site codes of every county-level unit (tier `county`): the units a live subscription can name. */
export async function countyCodes(store: Store): Promise<Set<string>> {
  return store.read(async (tx) => {
    const r = await tx.run("MATCH (s:Site {tier: 'county'}) RETURN collect(s.code) AS codes");
    return new Set(r.records[0]!.get('codes') as string[]);
  });
}

/**
 * The county of a site, in Cypher: topology's `countyOfSite` rule (its TSDoc
 * says why), the same rule for queries that need it inside the graph — an
 * expression over the site node `s`: `s.code` for a county-level unit, its
 * network parent (`UNDER`) for a township under a county-level unit, else null.
 * Change both together. Variables it introduces start with `s`'s name.
 *
 * @example
 * `MATCH (l:Link)-[:END {side: 'b'}]->(:Interface)<-[:HAS]-(:Device)-[:AT]->(sb:Site)
 *  RETURN l.id AS id, ${countyOfSiteCypher('sb')} AS county`
 */
export function countyOfSiteCypher(s: string): string {
  return `CASE ${s}.tier WHEN 'county' THEN ${s}.code
    WHEN 'township' THEN head([(${s})-[:UNDER]->(${s}_county:Site {tier: 'county'}) | ${s}_county.code]) END`;
}
