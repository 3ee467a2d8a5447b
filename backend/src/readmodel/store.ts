import type { Store } from '../neo4j/store';

/** Reads behind the read models: the plan's version and its summary. */

/**
 * Changes whenever a plan import writes (its generation, and the time it wrote):
 * the one read a request makes to know whether a plan-derived view is current.
 */
export async function readPlanVersion(store: Store): Promise<string> {
  return store.read(async (tx) => {
    const r = await tx.run(
      "OPTIONAL MATCH (m:PlanMeta {id: 'current'}) RETURN coalesce(toString(m.generation), '') + '|' + coalesce(toString(m.importedAt), '') AS v",
    );
    return r.records[0]!.get('v') as string;
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
