import type { ManagedTransaction } from 'neo4j-driver';
import { speedMismatch, type monitorApi } from '@extranet/topology';

type SpeedMismatches = monitorApi.SpeedMismatches;

/**
 * Speed mismatches (`GET /api/speed-mismatches`): every polled port whose plan
 * speed (`speedMbps`) differs from the ifHighSpeed it last reported, with the
 * links ending on it. Cypher narrows to ports where both are known and differ;
 * the rule itself is topology's `speedMismatch`.
 */
export async function readSpeedMismatches(tx: ManagedTransaction): Promise<SpeedMismatches> {
  const r = await tx.run(
    `MATCH (s:Site)<-[:AT]-(d:Device)-[:HAS]->(i:Interface)
     WHERE i.speedMbps > 0 AND i.ifHighSpeedMbps > 0 AND i.speedMbps <> i.ifHighSpeedMbps
     RETURN d.hostname AS hostname, s.code AS site, i.ifName AS ifName, i.speedMbps AS plan, i.ifHighSpeedMbps AS reported,
            i.lastPolled AS lastPolled, [(i)<-[:END]-(l:Link) | {id: l.id, tier: l.tier}] AS links
     ORDER BY hostname, ifName`,
  );
  const interfaces: SpeedMismatches['interfaces'] = [];
  const links = new Map<string, { id: string; tier: string; ends: string[] }>();
  for (const rec of r.records) {
    const m = speedMismatch(rec.get('plan') as number, rec.get('reported') as number);
    if (m === undefined) continue;
    const hostname = rec.get('hostname') as string;
    const ifName = rec.get('ifName') as string;
    const ls = (rec.get('links') as Array<{ id: string; tier: string }>).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const lastPolled = rec.get('lastPolled') as number | null;
    interfaces.push({
      hostname,
      site: rec.get('site') as string,
      ifName,
      planSpeedMbps: m.planMbps,
      ifHighSpeedMbps: m.reportedMbps,
      direction: m.direction,
      links: ls.map((l) => l.id),
      lastPolled: typeof lastPolled === 'number' ? new Date(lastPolled).toISOString() : null,
    });
    for (const l of ls) {
      const entry = links.get(l.id) ?? { id: l.id, tier: l.tier, ends: [] };
      entry.ends.push(`${hostname}|${ifName}`);
      links.set(l.id, entry);
    }
  }
  return { interfaces, links: [...links.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) };
}
