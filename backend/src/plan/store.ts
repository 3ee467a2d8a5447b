import type { ManagedTransaction } from 'neo4j-driver';
import type { Device, Link, LinkTier, Plan, Site } from '@extranet/topology';

/**
 * Cypher for the plan part of the graph: reading it back as a `Plan` (so an
 * import can be diffed against what is stored) and writing a plan over it.
 * Properties owned by other features (measurements, prefixes) are left alone:
 * only the plan's own properties are set, optional ones set to null (= removed)
 * when the plan no longer has them.
 */

/** Takes the plan lock (a write lock on one node, held to commit) so imports never interleave. */
export async function lockPlan(tx: ManagedTransaction): Promise<void> {
  await tx.run("MERGE (m:PlanMeta {id: 'current'}) SET m.lockedAt = timestamp()");
}

export async function readPlan(tx: ManagedTransaction): Promise<Plan> {
  const meta = (await tx.run("MATCH (m:PlanMeta {id: 'current'}) RETURN m {.*} AS m")).records[0]?.get('m') as
    { name?: string; city?: string; targets?: string; snmpProfiles?: string[] } | undefined;
  const sites = (
    await tx.run(
      `MATCH (s:Site) OPTIONAL MATCH (s)-[:UNDER]->(p:Site)
       RETURN s {.code, .name, .tier, .kind, .legalCounty, .status, parent: p.code} AS s ORDER BY s.code`,
    )
  ).records.map((r) => stripNulls(r.get('s')) as Site);
  const devices = (
    await tx.run(
      `MATCH (d:Device)-[:AT]->(s:Site)
       RETURN d {.hostname, .role, .vendor, .model, .mgmtAddress, .snmpProfile, site: s.code,
                 interfaces: [(d)-[:HAS]->(i:Interface) | i {name: i.ifName, .description, .speedMbps}]} AS d
       ORDER BY d.hostname`,
    )
  ).records.map((r) => {
    const d = stripNulls(r.get('d')) as Device;
    return {
      ...d,
      interfaces: d.interfaces
        .map((i) => stripNulls<Device['interfaces'][number]>(i))
        .sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0)),
    };
  });
  const links = (
    await tx.run(
      `MATCH (l:Link)
       MATCH (l)-[:END {side: 'a'}]->(ia:Interface)<-[:HAS]-(da:Device)
       MATCH (l)-[:END {side: 'b'}]->(ib:Interface)<-[:HAS]-(db:Device)
       RETURN l {.id, .kind, .tier, .targetMbps, .contractedMbps, .status, .carrier,
                 a: {device: da.hostname, interface: ia.ifName}, b: {device: db.hostname, interface: ib.ifName}} AS l
       ORDER BY l.id`,
    )
  ).records.map((r) => stripNulls(r.get('l')) as Link);
  return {
    name: meta?.name ?? '',
    city: meta?.city ?? '',
    targets: meta?.targets ? (JSON.parse(meta.targets) as Record<LinkTier, number>) : ({} as Record<LinkTier, number>),
    snmpProfiles: meta?.snmpProfiles ?? [],
    sites,
    devices,
    links,
  };
}

/** Writes `plan` over the stored one: upserts everything in it, deletes what it no longer has. */
export async function writePlan(tx: ManagedTransaction, plan: Plan): Promise<void> {
  await tx.run(
    `MATCH (m:PlanMeta {id: 'current'})
     SET m.name = $name, m.city = $city, m.targets = $targets, m.snmpProfiles = $snmpProfiles, m.importedAt = datetime()`,
    { name: plan.name, city: plan.city, targets: JSON.stringify(plan.targets), snmpProfiles: plan.snmpProfiles },
  );

  const sites = plan.sites.map((s) => ({
    code: s.code,
    name: s.name,
    tier: s.tier,
    kind: s.kind,
    parent: s.parent ?? null,
    legalCounty: s.legalCounty ?? null,
    status: s.status ?? 'built',
  }));
  await tx.run(
    `UNWIND $sites AS s
     MERGE (n:Site {code: s.code})
     SET n.name = s.name, n.tier = s.tier, n.kind = s.kind, n.legalCounty = s.legalCounty, n.status = s.status`,
    { sites },
  );
  await tx.run(
    `UNWIND $sites AS s
     MATCH (n:Site {code: s.code})
     OPTIONAL MATCH (n)-[old:UNDER]->(:Site)
     DELETE old
     WITH DISTINCT n, s WHERE s.parent IS NOT NULL
     MATCH (p:Site {code: s.parent})
     MERGE (n)-[:UNDER]->(p)`,
    { sites },
  );

  const devices = plan.devices.map((d) => ({
    hostname: d.hostname,
    site: d.site,
    role: d.role,
    vendor: d.vendor ?? null,
    model: d.model ?? null,
    mgmtAddress: d.mgmtAddress ?? null,
    snmpProfile: d.snmpProfile ?? null,
  }));
  await tx.run(
    `UNWIND $devices AS d
     MERGE (n:Device {hostname: d.hostname})
     SET n.role = d.role, n.vendor = d.vendor, n.model = d.model, n.mgmtAddress = d.mgmtAddress, n.snmpProfile = d.snmpProfile
     WITH n, d
     OPTIONAL MATCH (n)-[old:AT]->(:Site)
     DELETE old
     WITH DISTINCT n, d
     MATCH (s:Site {code: d.site})
     MERGE (n)-[:AT]->(s)`,
    { devices },
  );

  const interfaces = plan.devices.flatMap((d) =>
    d.interfaces.map((i) => ({
      key: `${d.hostname}|${i.name}`,
      hostname: d.hostname,
      ifName: i.name,
      description: i.description ?? null,
      speedMbps: i.speedMbps ?? null,
    })),
  );
  await tx.run(
    `UNWIND $interfaces AS i
     MATCH (d:Device {hostname: i.hostname})
     MERGE (n:Interface {key: i.key})
     SET n.ifName = i.ifName, n.description = i.description, n.speedMbps = i.speedMbps
     MERGE (d)-[:HAS]->(n)`,
    { interfaces },
  );

  const links = plan.links.map((l) => ({
    id: l.id,
    kind: l.kind,
    tier: l.tier,
    targetMbps: l.targetMbps,
    contractedMbps: l.contractedMbps ?? null,
    status: l.status,
    carrier: l.carrier ?? null,
    a: `${l.a.device}|${l.a.interface}`,
    b: `${l.b.device}|${l.b.interface}`,
  }));
  await tx.run(
    `UNWIND $links AS l
     MERGE (n:Link {id: l.id})
     SET n.kind = l.kind, n.tier = l.tier, n.targetMbps = l.targetMbps, n.contractedMbps = l.contractedMbps,
         n.status = l.status, n.carrier = l.carrier
     WITH n, l
     OPTIONAL MATCH (n)-[old:END]->(:Interface)
     DELETE old
     WITH DISTINCT n, l
     MATCH (ia:Interface {key: l.a}), (ib:Interface {key: l.b})
     CREATE (n)-[:END {side: 'a'}]->(ia), (n)-[:END {side: 'b'}]->(ib)`,
    { links },
  );

  // Remove what the plan no longer has (links first: they hang on interfaces).
  await tx.run('MATCH (n:Link) WHERE NOT n.id IN $ids DETACH DELETE n', { ids: links.map((l) => l.id) });
  await tx.run('MATCH (n:Interface) WHERE NOT n.key IN $keys DETACH DELETE n', { keys: interfaces.map((i) => i.key) });
  await tx.run('MATCH (n:Device) WHERE NOT n.hostname IN $hs DETACH DELETE n', { hs: devices.map((d) => d.hostname) });
  await tx.run('MATCH (n:Site) WHERE NOT n.code IN $codes DETACH DELETE n', { codes: sites.map((s) => s.code) });
}

/** Number of sites stored: 0 means a fresh database. */
export async function siteCount(tx: ManagedTransaction): Promise<number> {
  const r = await tx.run('RETURN COUNT { (:Site) } AS n');
  return r.records[0]!.get('n') as number;
}

/** Neo4j returns absent properties as null; the plan types use absent keys. */
function stripNulls<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as T;
}
