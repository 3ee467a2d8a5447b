import type { ManagedTransaction } from 'neo4j-driver';
import { OWNER_KINDS, type OwnerKind } from '@extranet/topology';

/**
 * What a prefix is for, in Cypher: `(:Prefix)-[:FOR]->(:Site|:Link|:Interface|:Device)`.
 * One table of owner kinds (node label and id property) drives the projection
 * that reads an owner back, the match that links a new prefix to its owner,
 * and the site codes an owner concerns.
 */

/** What a prefix is for: a site, a link, an interface or a device, by its id. */
export interface OwnerRef {
  kind: OwnerKind;
  /** Site code, link id, interface key (`hostname|ifName`) or device hostname. */
  id: string;
}

/** The node each owner kind is: its label and the property that is its id. */
export const OWNER_NODES: Record<OwnerKind, { label: string; key: string }> = {
  site: { label: 'Site', key: 'code' },
  link: { label: 'Link', key: 'id' },
  interface: { label: 'Interface', key: 'key' },
  device: { label: 'Device', key: 'hostname' },
};

/** Cypher list of the site codes an owner node `o` of `kind` concerns (may repeat). */
function ownerSitesList(kind: OwnerKind, o: string): string {
  const site = `${o}_site`;
  switch (kind) {
    case 'site':
      return `[${o}.code]`;
    case 'link':
      return `[(${o})-[:END]->(:Interface)<-[:HAS]-(:Device)-[:AT]->(${site}:Site) | ${site}.code]`;
    case 'interface':
      return `[(${o})<-[:HAS]-(:Device)-[:AT]->(${site}:Site) | ${site}.code]`;
    case 'device':
      return `[(${o})-[:AT]->(${site}:Site) | ${site}.code]`;
  }
}

/**
 * The owner projection: a Cypher expression that reads the owner node `o` of
 * a prefix (`(:Prefix)-[:FOR]->(o)`) back as an {@link OwnerRef} `{kind, id}`
 * — the one place that says so. With `detail` it adds what a person looking
 * an address up wants to see: a site's name, a link's end sites (may repeat),
 * an interface's ifName and device. Variables it introduces start with `o`'s name.
 *
 * @example
 * `RETURN head([(p)-[:FOR]->(o) | ${ownerProjection('o')}]) AS owner`
 * // owner: {kind: 'link', id: 'L-4413-441302'}
 */
export function ownerProjection(o: string, opts: { detail?: boolean } = {}): string {
  const detail: Record<OwnerKind, string> = {
    site: `, name: ${o}.name`,
    link: `, sites: ${ownerSitesList('link', o)}`,
    interface: `, ifName: ${o}.ifName, device: head([(${o})<-[:HAS]-(${o}_device:Device) | ${o}_device.hostname])`,
    device: '',
  };
  const cases = OWNER_KINDS.map((kind) => {
    const { label, key } = OWNER_NODES[kind];
    return `WHEN ${o}:${label} THEN {kind: '${kind}', id: ${o}.${key}${opts.detail ? detail[kind] : ''}}`;
  });
  return `CASE ${cases.join(' ')} END`;
}

/**
 * The site codes an owner concerns, sorted (for the history's by-site index):
 * a site itself, a link's two end sites, an interface's or device's site;
 * `undefined` when there is no such owner.
 */
export async function ownerSiteCodes(tx: ManagedTransaction, owner: OwnerRef): Promise<string[] | undefined> {
  const { label, key } = OWNER_NODES[owner.kind];
  const r = await tx.run(`MATCH (o:${label} {${key}: $id}) RETURN ${ownerSitesList(owner.kind, 'o')} AS codes`, { id: owner.id });
  const rec = r.records[0];
  return rec ? [...new Set(rec.get('codes') as string[])].sort() : undefined;
}

/** Links the new prefix `n` to the owner node `x.owner` names (the inverse of {@link ownerProjection}). */
export const ownerMatch = `CALL (n, x) {
  ${OWNER_KINDS.map((kind, i) => `OPTIONAL MATCH (o${i}:${OWNER_NODES[kind].label} {${OWNER_NODES[kind].key}: x.owner.id}) WHERE x.owner.kind = '${kind}'`).join('\n  ')}
  WITH n, coalesce(${OWNER_KINDS.map((_, i) => `o${i}`).join(', ')}) AS o WHERE o IS NOT NULL
  MERGE (n)-[:FOR]->(o)
}`;
