import type { ManagedTransaction } from 'neo4j-driver';
import type { Plan, PlanDiff } from '@extranet/topology';
import { WRITE_BATCH, deviceRow, interfaceRow, linkRow, siteRow } from './rows';

/**
 * The staging half of a large import (see plan/service.ts): the added records
 * written in transactions of their own under labels no reader matches, then
 * published by `writePlanChanges` in the one transaction that switches the plan.
 */

/** Label every staged record carries besides its kind's staging label (for clean-up). */
export const STAGED = 'PlanStaged';
/** The staging label of each kind of plan record: invisible to every reader, which matches the real labels. */
export const STAGING_LABELS = { Site: 'StagedSite', Device: 'StagedDevice', Interface: 'StagedInterface', Link: 'StagedLink' } as const;

/** The plan lock's constraint and the indexes the staging writes look records up by (idempotent, run at start with the other migrations). */
export const PLAN_MIGRATIONS: readonly string[] = [
  // One PlanMeta: the plan lock. Without the constraint, two first imports into an empty store could each
  // MERGE one of their own, and neither would wait for the other.
  'CREATE CONSTRAINT plan_meta_id IF NOT EXISTS FOR (m:PlanMeta) REQUIRE m.id IS UNIQUE',
  'CREATE INDEX staged_site_code IF NOT EXISTS FOR (n:StagedSite) ON (n.code)',
  'CREATE INDEX staged_device_hostname IF NOT EXISTS FOR (n:StagedDevice) ON (n.hostname)',
  'CREATE INDEX staged_interface_key IF NOT EXISTS FOR (n:StagedInterface) ON (n.key)',
  'CREATE INDEX staged_link_id IF NOT EXISTS FOR (n:StagedLink) ON (n.id)',
];

/** Deletes up to one batch of staged records left by an import that did not finish; returns how many. */
export async function clearStagedBatch(tx: ManagedTransaction): Promise<number> {
  const r = await tx.run(`MATCH (n:${STAGED}) WITH n LIMIT ${WRITE_BATCH} DETACH DELETE n RETURN count(n) AS n`);
  return r.records[0]!.get('n') as number;
}

/**
 * The statements that write a plan's added records under staging labels, each
 * to be run on batches of rows in transactions of their own: the nodes with
 * their properties, and the relationships whose two ends are both added (the
 * ties to older records are made when the staged records are published).
 */
export function stagingSteps(plan: Plan, diff: PlanDiff): { phase: string; rows: unknown[]; query: string }[] {
  const addedSites = new Set(diff.sites.added);
  const addedDevices = new Set(diff.devices.added);
  const addedInterfaces = new Set(diff.interfaces.added);
  const addedLinks = new Set(diff.links.added);
  const sites = plan.sites.filter((s) => addedSites.has(s.code)).map(siteRow);
  const devices = plan.devices.filter((d) => addedDevices.has(d.hostname)).map(deviceRow);
  const interfaces = plan.devices.flatMap((d) => d.interfaces.map((i) => interfaceRow(d, i)).filter((i) => addedInterfaces.has(i.key)));
  const links = plan.links.filter((l) => addedLinks.has(l.id)).map(linkRow);
  const L = STAGING_LABELS;
  return [
    {
      phase: 'stage sites',
      rows: sites,
      query: `UNWIND $rows AS s CREATE (:${L.Site}:${STAGED} {code: s.code, name: s.name, tier: s.tier, kind: s.kind, legalCounty: s.legalCounty, status: s.status})`,
    },
    {
      phase: 'stage site parents',
      rows: sites.filter((s) => s.parent !== null && addedSites.has(s.parent)),
      query: `UNWIND $rows AS s MATCH (n:${L.Site} {code: s.code}), (p:${L.Site} {code: s.parent}) CREATE (n)-[:UNDER]->(p)`,
    },
    {
      phase: 'stage devices',
      rows: devices,
      query: `UNWIND $rows AS d CREATE (:${L.Device}:${STAGED} {hostname: d.hostname, role: d.role, vendor: d.vendor, model: d.model, mgmtAddress: d.mgmtAddress, snmpProfile: d.snmpProfile})`,
    },
    {
      phase: 'stage device sites',
      rows: devices.filter((d) => addedSites.has(d.site)),
      query: `UNWIND $rows AS d MATCH (n:${L.Device} {hostname: d.hostname}), (s:${L.Site} {code: d.site}) CREATE (n)-[:AT]->(s)`,
    },
    {
      phase: 'stage interfaces',
      rows: interfaces,
      query: `UNWIND $rows AS i CREATE (:${L.Interface}:${STAGED} {key: i.key, ifName: i.ifName, description: i.description, speedMbps: i.speedMbps})`,
    },
    {
      phase: 'stage device interfaces',
      rows: interfaces.filter((i) => addedDevices.has(i.hostname)),
      query: `UNWIND $rows AS i MATCH (d:${L.Device} {hostname: i.hostname}), (n:${L.Interface} {key: i.key}) CREATE (d)-[:HAS]->(n)`,
    },
    {
      phase: 'stage links',
      rows: links,
      query: `UNWIND $rows AS l CREATE (:${L.Link}:${STAGED} {id: l.id, kind: l.kind, tier: l.tier, targetMbps: l.targetMbps, contractedMbps: l.contractedMbps, status: l.status, carrier: l.carrier})`,
    },
    {
      phase: 'stage link ends',
      rows: links.filter((l) => addedInterfaces.has(l.a) && addedInterfaces.has(l.b)),
      query: `UNWIND $rows AS l MATCH (n:${L.Link} {id: l.id}), (ia:${L.Interface} {key: l.a}), (ib:${L.Interface} {key: l.b})
              CREATE (n)-[:END {side: 'a'}]->(ia), (n)-[:END {side: 'b'}]->(ib)`,
    },
  ];
}
