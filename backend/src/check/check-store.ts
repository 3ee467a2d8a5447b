import type { ManagedTransaction } from 'neo4j-driver';
import type { GraphFacts, LinkFact, PrefixFact } from './rules';

/**
 * Cypher of the consistency check: reads every fact rules.ts judges, in one
 * read transaction (so the check sees one committed state, never half of a
 * write another process is making).
 */
export async function readGraphFacts(tx: ManagedTransaction): Promise<GraphFacts> {
  const prefixes = await tx.run(
    `MATCH (p:Prefix)
     RETURN p.vrf AS vrf, p.cidr AS cidr, p.family AS family, p.length AS length, p.startHex AS startHex, p.endHex AS endHex,
            p.free AS free, p.used AS used, p.size AS size, [(p)-[:IN]->(q:Prefix) | q.cidr] AS parents`,
  );
  const links = await tx.run(
    `MATCH (l:Link)
     RETURN l.id AS id,
            [(l)-[e:END]->(i) | {side: e.side, key: i.key, device: head([(d:Device)-[:HAS]->(i) | d.hostname])}] AS ends`,
  );
  const orphans = await tx.run('MATCH (i:Interface) WHERE NOT EXISTS { (:Device)-[:HAS]->(i) } RETURN i.key AS key ORDER BY key');
  const unplaced = await tx.run('MATCH (d:Device) WHERE COUNT { (d)-[:AT]->(:Site) } <> 1 RETURN d.hostname AS hostname ORDER BY hostname');
  const keys = await tx.run(
    `MATCH (k:RequestKey) WHERE NOT EXISTS { MATCH (p:Prefix {vrf: k.vrf, requestKey: k.key}) }
     RETURN k.vrf AS vrf, k.key AS key ORDER BY vrf, key`,
  );
  return {
    prefixes: prefixes.records.map((r) => r.toObject() as unknown as PrefixFact),
    links: links.records.map((r) => r.toObject() as unknown as LinkFact),
    orphanInterfaces: orphans.records.map((r) => String(r.get('key'))),
    unplacedDevices: unplaced.records.map((r) => String(r.get('hostname'))),
    danglingRequestKeys: keys.records.map((r) => ({ vrf: String(r.get('vrf')), key: String(r.get('key')) })),
  };
}
