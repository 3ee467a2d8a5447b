import type { ManagedTransaction } from 'neo4j-driver';
import { DomainError } from '@extranet/topology';

export type OwnerRef = { kind: 'site' | 'link' | 'interface' | 'device'; id: string };

/**
 * Checks that an owner exists and returns the site codes it concerns (for the
 * history's by-site index): a site itself, a link's two end sites, an
 * interface's or device's site.
 */
export async function ownerSites(tx: ManagedTransaction, owner: OwnerRef | null | undefined): Promise<string[]> {
  if (!owner) return [];
  const queries: Record<OwnerRef['kind'], string> = {
    site: 'MATCH (s:Site {code: $id}) RETURN collect(DISTINCT s.code) AS codes, count(s) AS n',
    link: `MATCH (l:Link {id: $id}) OPTIONAL MATCH (l)-[:END]->(:Interface)<-[:HAS]-(:Device)-[:AT]->(s:Site)
           RETURN collect(DISTINCT s.code) AS codes, count(DISTINCT l) AS n`,
    interface: `MATCH (i:Interface {key: $id}) OPTIONAL MATCH (i)<-[:HAS]-(:Device)-[:AT]->(s:Site)
                RETURN collect(DISTINCT s.code) AS codes, count(DISTINCT i) AS n`,
    device: `MATCH (d:Device {hostname: $id}) OPTIONAL MATCH (d)-[:AT]->(s:Site)
             RETURN collect(DISTINCT s.code) AS codes, count(DISTINCT d) AS n`,
  };
  const r = (await tx.run(queries[owner.kind], { id: owner.id })).records[0];
  if (!r || (r.get('n') as number) === 0) {
    throw new DomainError('NOT_FOUND', `no ${owner.kind} ${owner.id}`, { field: owner.kind });
  }
  return (r.get('codes') as string[]).sort();
}
