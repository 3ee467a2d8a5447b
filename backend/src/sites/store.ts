import type { Store } from '../neo4j/store';
import type { SiteDetail, SiteRow, SiteTier } from '@extranet/topology';

const siteProjection = `s {.code, .name, .tier, .kind, .legalCounty, .status,
  parent: head([(s)-[:UNDER]->(p:Site) | p.code]),
  children: COUNT { (s)<-[:UNDER]-(:Site) },
  devices: COUNT { (s)<-[:AT]-(:Device) }}`;

export async function listSites(store: Store, filter: { tier?: SiteTier; parent?: string }): Promise<SiteRow[]> {
  return store.read(async (tx) => {
    const r = await tx.run(
      `MATCH (s:Site)
       WHERE ($tier IS NULL OR s.tier = $tier)
         AND ($parent IS NULL OR EXISTS { (s)-[:UNDER]->(:Site {code: $parent}) })
       RETURN ${siteProjection} AS s ORDER BY s.code`,
      { tier: filter.tier ?? null, parent: filter.parent ?? null },
    );
    return r.records.map((x) => withNulls(x.get('s') as Record<string, unknown>));
  });
}

export async function siteExists(store: Store, code: string): Promise<boolean> {
  return store.read(async (tx) => (await tx.run('MATCH (s:Site {code: $code}) RETURN 1', { code })).records.length > 0);
}

export async function getSite(store: Store, code: string): Promise<SiteDetail | undefined> {
  return store.read(async (tx) => {
    const r = await tx.run(
      `MATCH (s:Site {code: $code})
       RETURN ${siteProjection} AS s,
         [(s)<-[:UNDER]-(c:Site) | c {.code, .name, .tier}] AS childSites,
         [(s)<-[:AT]-(d:Device) | d {.hostname, .role, .vendor, .model, .mgmtAddress, .snmpProfile,
            interfaces: [(d)-[:HAS]->(i:Interface) | {name: i.ifName, description: i.description, speedMbps: i.speedMbps}]}] AS deviceList,
         [(s)<-[:AT]-(:Device)-[:HAS]->(:Interface)<-[:END]-(l:Link) | l {.id, .kind, .tier, .status, .targetMbps, .contractedMbps,
            peer: head([(l)-[:END]->(:Interface)<-[:HAS]-(:Device)-[:AT]->(o:Site) WHERE o <> s | o.code])}] AS links`,
      { code },
    );
    const rec = r.records[0];
    if (!rec) return undefined;
    const byCode = (a: { code?: string; id?: string; hostname?: string }, b: typeof a) =>
      String(a.code ?? a.id ?? a.hostname).localeCompare(String(b.code ?? b.id ?? b.hostname));
    const deviceList = (rec.get('deviceList') as SiteDetail['deviceList']).sort(byCode);
    for (const d of deviceList) d.interfaces.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
    return {
      ...withNulls(rec.get('s') as Record<string, unknown>),
      childSites: (rec.get('childSites') as SiteDetail['childSites']).sort(byCode),
      deviceList,
      links: (rec.get('links') as SiteDetail['links']).sort(byCode),
    };
  });
}

function withNulls(s: Record<string, unknown>): SiteRow {
  return { ...s, parent: s.parent ?? null, legalCounty: s.legalCounty ?? null } as SiteRow;
}
