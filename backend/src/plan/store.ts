import type { ManagedTransaction } from 'neo4j-driver';
import { WRITE_BATCH, deviceRow, interfaceRow, linkRow, siteRow } from './rows';
import { STAGED, STAGING_LABELS } from './staging-store';
import {
  diffPlans,
  isEmptyDiff,
  type Device,
  type Link,
  type LinkTier,
  type Plan,
  type PlanDiff,
  type RecordChanges,
  type Site,
} from '@extranet/topology';
import { SNAPSHOT_SECTIONS, encodeSnapshot, type EncodedSnapshot, type SnapshotSection } from './snapshot';

/**
 * Cypher for the plan part of the graph: reading it back as a `Plan` (so an
 * import can be diffed against what is stored) and writing a plan over it.
 * Properties owned by other features (measurements, prefixes) are left alone:
 * only the plan's own properties are set, optional ones set to null (= removed)
 * when the plan no longer has them.
 */

/**
 * Takes the plan lock (a write lock on one node, held to commit) so imports
 * never interleave; returns the stored plan's generation (how many imports
 * wrote it), which a staged import compares with the one it diffed against.
 */
export async function lockPlan(tx: ManagedTransaction): Promise<number> {
  const r = await tx.run("MERGE (m:PlanMeta {id: 'current'}) SET m.lockedAt = timestamp() RETURN coalesce(m.generation, 0) AS g");
  return r.records[0]!.get('g') as number;
}

/** The stored plan's generation, read without the lock (0 before the first import). */
export async function planGeneration(tx: ManagedTransaction): Promise<number> {
  const r = await tx.run("OPTIONAL MATCH (m:PlanMeta {id: 'current'}) RETURN coalesce(m.generation, 0) AS g");
  return r.records[0]!.get('g') as number;
}

/**
 * What changes whenever the stored plan does: its generation and when it was written (an emptied
 * store imported again starts its generations anew, its write time does not repeat).
 */
export async function planStamp(tx: ManagedTransaction): Promise<string> {
  const r = await tx.run("OPTIONAL MATCH (m:PlanMeta {id: 'current'}) RETURN coalesce(m.generation, 0) AS g, toString(m.importedAt) AS at");
  return `${r.records[0]!.get('g') as number}|${(r.records[0]!.get('at') as string | null) ?? ''}`;
}

export async function readPlan(tx: ManagedTransaction): Promise<Plan> {
  const none = (await tx.run('RETURN COUNT { (:Site) } + COUNT { (:Device) } + COUNT { (:Link) } = 0 AS none')).records[0]!.get(
    'none',
  ) as boolean;
  const meta = (await tx.run("MATCH (m:PlanMeta {id: 'current'}) RETURN m {.name, .city, .targets, .snmpProfiles} AS m")).records[0]?.get(
    'm',
  ) as { name?: string; city?: string; targets?: string; snmpProfiles?: string[] } | undefined;
  if (none) {
    // A fresh store (a first import): nothing to read back.
    return { ...planSettings(meta), sites: [], devices: [], links: [] };
  }
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
  return { ...planSettings(meta), sites, devices, links };
}

function planSettings(
  meta: { name?: string; city?: string; targets?: string; snmpProfiles?: string[] } | undefined,
): Pick<Plan, 'name' | 'city' | 'targets' | 'snmpProfiles'> {
  return {
    name: meta?.name ?? '',
    city: meta?.city ?? '',
    targets: meta?.targets ? (JSON.parse(meta.targets) as Record<LinkTier, number>) : ({} as Record<LinkTier, number>),
    snmpProfiles: meta?.snmpProfiles ?? [],
  };
}

/**
 * What the stored snapshot of the last import says, and whether it still
 * describes the graph: written by the import that wrote the current
 * generation, and the graph holds as many sites, devices, interfaces and links
 * as it lists. Null when there is none (a store written before snapshots) or
 * it is stale; the caller then reads the plan back with {@link readPlan}.
 */
export async function readSnapshotHeader(
  tx: ManagedTransaction,
): Promise<{ hash: string; hashes: Record<SnapshotSection, string> } | null> {
  const r = await tx.run(
    `OPTIONAL MATCH (m:PlanMeta {id: 'current'})
     OPTIONAL MATCH (s:PlanSnapshot {id: 'current'})
     RETURN coalesce(m.generation, 0) AS g, s.generation AS sg, s.hash AS hash, s.hashes AS hashes, s.counts AS counts,
            [COUNT { (:Site) }, COUNT { (:Device) }, COUNT { (:Interface) }, COUNT { (:Link) }] AS live`,
  );
  const rec = r.records[0]!;
  const counts = rec.get('counts') as number[] | null;
  const live = rec.get('live') as number[];
  if (rec.get('sg') !== rec.get('g') || counts === null || counts.some((n, i) => n !== live[i])) return null;
  const hashes = rec.get('hashes') as string[];
  return {
    hash: rec.get('hash') as string,
    hashes: Object.fromEntries(SNAPSHOT_SECTIONS.map((s, i) => [s, hashes[i]!])) as Record<SnapshotSection, string>,
  };
}

/** The gzipped sections of the stored snapshot named in `sections`. */
export async function readSnapshotSections(
  tx: ManagedTransaction,
  sections: readonly SnapshotSection[],
): Promise<Partial<Record<SnapshotSection, Buffer>>> {
  const r = await tx.run(`MATCH (s:PlanSnapshot {id: 'current'}) RETURN ${sections.map((k) => `s.${k} AS ${k}`).join(', ')}`);
  const rec = r.records[0];
  if (rec === undefined) return {};
  return Object.fromEntries(
    sections.map((k) => {
      const a = rec.get(k) as Int8Array;
      return [k, Buffer.from(a.buffer, a.byteOffset, a.byteLength)];
    }),
  );
}

/** Progress of a write: the phase (e.g. `links`), rows written so far and in all. */
export type WriteProgress = (phase: string, done: number, total: number) => void;

/**
 * Writes the changes `diff` lists (from `before`, the stored plan, to `plan`),
 * and nothing else: an unchanged record is not touched, so re-importing a
 * national plan with one site changed writes one site. Records that are added
 * or changed are upserted (MERGE on their unique key, then their own
 * properties); relationships are rebuilt only for records whose parent, site
 * or ends changed; removed records go last for links (they hang on interfaces)
 * and first-come for the rest. Every statement takes at most {@link WRITE_BATCH}
 * rows, so the statements' memory stays bounded; the caller's one transaction
 * keeps it atomic.
 */
export async function writePlanChanges(
  tx: ManagedTransaction,
  plan: Plan,
  diff: PlanDiff,
  progress?: WriteProgress,
  opts: { staged?: boolean; snapshot?: EncodedSnapshot } = {},
): Promise<void> {
  if (!isEmptyDiff(diff)) {
    // The snapshot of what this write makes the plan, for the next import's diff (see readSnapshotHeader).
    const snap = opts.snapshot ?? encodeSnapshot(plan);
    const compressed = await snap.bytes();
    const bytes = (b: Buffer) => new Int8Array(b.buffer, b.byteOffset, b.byteLength);
    await tx.run(
      `MATCH (m:PlanMeta {id: 'current'})
       SET m.name = $name, m.city = $city, m.targets = $targets, m.snmpProfiles = $snmpProfiles, m.importedAt = datetime(),
           m.generation = coalesce(m.generation, 0) + 1
       MERGE (s:PlanSnapshot {id: 'current'})
       SET s.generation = m.generation, s.hash = $hash, s.hashes = $hashes, s.counts = $counts,
           s.settings = $settings, s.sites = $sites, s.devices = $devices, s.links = $links`,
      {
        name: plan.name,
        city: plan.city,
        targets: JSON.stringify(plan.targets),
        snmpProfiles: plan.snmpProfiles,
        hash: snap.hash,
        hashes: SNAPSHOT_SECTIONS.map((k) => snap.hashes[k]),
        counts: snap.counts,
        ...Object.fromEntries(SNAPSHOT_SECTIONS.map((k) => [k, bytes(compressed[k])])),
      },
    );
  }
  const batches = async <T>(phase: string, rows: readonly T[], query: string, param = 'rows') => {
    for (let i = 0; i < rows.length; i += WRITE_BATCH) {
      await tx.run(query, { [param]: rows.slice(i, i + WRITE_BATCH) });
      progress?.(phase, Math.min(rows.length, i + WRITE_BATCH), rows.length);
    }
  };
  const changedWith = (changes: RecordChanges, fields: (f: string) => boolean) =>
    new Set(changes.changed.filter((c) => c.fields.some(fields)).map((c) => c.key));
  // Staged: the added records are already written under staging labels (stageAdditions), with the
  // relationships among themselves; here they are published, and only their ties to older records made.
  const staged = opts.staged === true;
  const upserted = (changes: RecordChanges) => new Set([...(staged ? [] : changes.added), ...changes.changed.map((c) => c.key)]);
  const addedSites = new Set(diff.sites.added);
  const addedDevices = new Set(diff.devices.added);
  const addedInterfaces = new Set(diff.interfaces.added);
  /** Added records whose relationship reaches an older record (all of them when not staged). */
  const tiedToOld = <T>(keys: readonly string[], records: readonly T[], keyOf: (r: T) => string, isOld: (r: T) => boolean) => {
    const wanted = new Set(keys);
    return records.filter((r) => wanted.has(keyOf(r)) && (!staged || isOld(r)));
  };
  if (staged) {
    for (const [label, staging] of Object.entries(STAGING_LABELS)) {
      for (let done = 0; ;) {
        const r = await tx.run(
          `MATCH (n:${staging}) WITH n LIMIT ${WRITE_BATCH} REMOVE n:${staging}:${STAGED} SET n:${label} RETURN count(n) AS n`,
        );
        const n = r.records[0]!.get('n') as number;
        if (n === 0) break;
        done += n;
        progress?.(`publish ${label.toLowerCase()}s`, done, done);
      }
    }
  }

  // Removals that free keys and ports first: links, then interfaces, devices.
  await batches('remove links', diff.links.removed, 'UNWIND $rows AS id MATCH (n:Link {id: id}) DETACH DELETE n');
  await batches('remove interfaces', diff.interfaces.removed, 'UNWIND $rows AS key MATCH (n:Interface {key: key}) DETACH DELETE n');
  await batches('remove devices', diff.devices.removed, 'UNWIND $rows AS h MATCH (n:Device {hostname: h}) DETACH DELETE n');

  const siteKeys = upserted(diff.sites);
  const sites = plan.sites.filter((s) => siteKeys.has(s.code)).map(siteRow);
  await batches(
    'sites',
    sites,
    `UNWIND $rows AS s
     MERGE (n:Site {code: s.code})
     SET n.name = s.name, n.tier = s.tier, n.kind = s.kind, n.legalCounty = s.legalCounty, n.status = s.status`,
  );
  const reparented = changedWith(diff.sites, (f) => f === 'parent');
  await batches(
    'site parents',
    [
      ...sites.filter((s) => reparented.has(s.code)),
      ...tiedToOld(
        diff.sites.added,
        plan.sites,
        (s) => s.code,
        (s) => s.parent !== undefined && !addedSites.has(s.parent),
      ).map(siteRow),
    ],
    `UNWIND $rows AS s
     MATCH (n:Site {code: s.code})
     OPTIONAL MATCH (n)-[old:UNDER]->(:Site)
     DELETE old
     WITH DISTINCT n, s WHERE s.parent IS NOT NULL
     MATCH (p:Site {code: s.parent})
     MERGE (n)-[:UNDER]->(p)`,
  );

  const deviceKeys = upserted(diff.devices);
  const devices = plan.devices.filter((d) => deviceKeys.has(d.hostname)).map(deviceRow);
  await batches(
    'devices',
    devices,
    `UNWIND $rows AS d
     MERGE (n:Device {hostname: d.hostname})
     SET n.role = d.role, n.vendor = d.vendor, n.model = d.model, n.mgmtAddress = d.mgmtAddress, n.snmpProfile = d.snmpProfile`,
  );
  const moved = changedWith(diff.devices, (f) => f === 'site');
  await batches(
    'device sites',
    [
      ...devices.filter((d) => moved.has(d.hostname)),
      ...tiedToOld(
        diff.devices.added,
        plan.devices,
        (d) => d.hostname,
        (d) => !addedSites.has(d.site),
      ).map(deviceRow),
    ],
    `UNWIND $rows AS d
     MATCH (n:Device {hostname: d.hostname})
     OPTIONAL MATCH (n)-[old:AT]->(:Site)
     DELETE old
     WITH DISTINCT n, d
     MATCH (s:Site {code: d.site})
     MERGE (n)-[:AT]->(s)`,
  );

  const interfaceKeys = upserted(diff.interfaces);
  const interfaces = plan.devices.flatMap((d) => d.interfaces.map((i) => interfaceRow(d, i)).filter((i) => interfaceKeys.has(i.key)));
  await batches(
    'interfaces',
    interfaces,
    `UNWIND $rows AS i
     MATCH (d:Device {hostname: i.hostname})
     MERGE (n:Interface {key: i.key})
     SET n.ifName = i.ifName, n.description = i.description, n.speedMbps = i.speedMbps
     MERGE (d)-[:HAS]->(n)`,
  );
  if (staged) {
    const onOldDevices = plan.devices
      .filter((d) => !addedDevices.has(d.hostname))
      .flatMap((d) => d.interfaces.map((i) => interfaceRow(d, i)).filter((i) => addedInterfaces.has(i.key)));
    await batches(
      'interfaces on older devices',
      onOldDevices,
      `UNWIND $rows AS i
       MATCH (d:Device {hostname: i.hostname}), (n:Interface {key: i.key})
       MERGE (d)-[:HAS]->(n)`,
    );
  }

  const linkKeys = upserted(diff.links);
  const links = plan.links.filter((l) => linkKeys.has(l.id)).map(linkRow);
  await batches(
    'links',
    links,
    `UNWIND $rows AS l
     MERGE (n:Link {id: l.id})
     SET n.kind = l.kind, n.tier = l.tier, n.targetMbps = l.targetMbps, n.contractedMbps = l.contractedMbps,
         n.status = l.status, n.carrier = l.carrier`,
  );
  const rewired = changedWith(diff.links, (f) => f.startsWith('a.') || f.startsWith('b.'));
  await batches(
    'link ends',
    [
      ...links.filter((l) => rewired.has(l.id)),
      ...tiedToOld(
        diff.links.added,
        plan.links,
        (l) => l.id,
        (l) => !addedInterfaces.has(`${l.a.device}|${l.a.interface}`) || !addedInterfaces.has(`${l.b.device}|${l.b.interface}`),
      ).map(linkRow),
    ],
    `UNWIND $rows AS l
     MATCH (n:Link {id: l.id})
     OPTIONAL MATCH (n)-[old:END]->(:Interface)
     DELETE old
     WITH DISTINCT n, l
     MATCH (ia:Interface {key: l.a}), (ib:Interface {key: l.b})
     CREATE (n)-[:END {side: 'a'}]->(ia), (n)-[:END {side: 'b'}]->(ib)`,
  );

  // Sites last: a removed site may still have held devices that moved away above.
  await batches('remove sites', diff.sites.removed, 'UNWIND $rows AS code MATCH (n:Site {code: code}) DETACH DELETE n');
}

/**
 * Writes `plan` over an empty or stored graph without a diff: everything in it
 * is upserted, everything it no longer has is removed.
 */
export async function writePlan(tx: ManagedTransaction, plan: Plan, progress?: WriteProgress): Promise<void> {
  await writePlanChanges(tx, plan, diffPlans(await readPlan(tx), plan), progress);
}

/** How many sites, devices, interfaces and links the graph holds (the order of a snapshot's `counts`). */
export async function planRecordCounts(tx: ManagedTransaction): Promise<[number, number, number, number]> {
  const r = await tx.run('RETURN [COUNT { (:Site) }, COUNT { (:Device) }, COUNT { (:Interface) }, COUNT { (:Link) }] AS n');
  return r.records[0]!.get('n') as [number, number, number, number];
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
