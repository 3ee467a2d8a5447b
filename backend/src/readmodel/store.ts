import type { Store } from '../neo4j/store';

/** Reads behind the read models: the plan's version and its summary. */

/** What the read models are computed from, as one cheap read: {@link readSourceVersions}. */
export interface SourceVersions {
  /** Changes whenever a plan import writes: its generation and the time it wrote. */
  plan: string;
  /** Poll cycles written by every process (`(:CycleMeta).seq`). */
  cycles: number;
  /**
   * Address-space history entries: every IPAM write appends some in its own transaction and none is
   * ever removed, so the number changes with every write of any process.
   */
  ipam: number;
}

/**
 * The versions of every read model's sources in one round trip (node lookups
 * by unique key and a count from Neo4j's count store: no scan).
 */
export async function readSourceVersions(store: Store): Promise<SourceVersions> {
  return store.read(async (tx) => {
    const r = await tx.run(
      `OPTIONAL MATCH (m:PlanMeta {id: 'current'})
       OPTIONAL MATCH (c:CycleMeta {id: 'cycles'})
       CALL { MATCH (e:IpamEvent) RETURN count(e) AS ipam }
       RETURN coalesce(toString(m.generation), '') + '|' + coalesce(toString(m.importedAt), '') AS plan,
              coalesce(c.seq, 0) AS cycles, ipam`,
    );
    const rec = r.records[0]!;
    return { plan: rec.get('plan') as string, cycles: rec.get('cycles') as number, ipam: rec.get('ipam') as number };
  });
}

/** The loaded plan's name and size (`GET /api/plan`). */
export async function readPlanInfo(
  store: Store,
): Promise<{ name: string | null; city: string | null; sites: number; links: number; importedAt: string | null }> {
  return store.read(async (tx) => {
    const r = await tx.run(
      `OPTIONAL MATCH (m:PlanMeta {id: 'current'})
       RETURN m.name AS name, m.city AS city, toString(m.importedAt) AS importedAt,
              COUNT { (:Site) } AS sites, COUNT { (:Link) } AS links`,
    );
    const rec = r.records[0]!;
    return {
      name: (rec.get('name') as string | null) ?? null,
      city: (rec.get('city') as string | null) ?? null,
      sites: rec.get('sites') as number,
      links: rec.get('links') as number,
      importedAt: (rec.get('importedAt') as string | null) ?? null,
    };
  });
}
