import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Plan } from '@extranet/topology';

/**
 * A copy of the last imported plan, kept beside the graph it wrote (in the
 * same transaction), so that the next import can diff against it without
 * reading half a million records back from Neo4j. Four sections, each with
 * its own content hash and gzipped JSON: an unchanged plan is recognised by
 * its hash alone, and a change to the sites reads and diffs only the sites.
 */

export const SNAPSHOT_SECTIONS = ['settings', 'sites', 'devices', 'links'] as const;
export type SnapshotSection = (typeof SNAPSHOT_SECTIONS)[number];

export interface EncodedSnapshot {
  /** Hash of the whole plan (of the sections' hashes). */
  hash: string;
  hashes: Record<SnapshotSection, string>;
  /** gzipped JSON of each section, compressed when first asked for (an unchanged plan never is). */
  bytes: () => Promise<Record<SnapshotSection, Buffer>>;
  /** Sites, devices, interfaces and links: what the graph holds when the snapshot is current. */
  counts: [number, number, number, number];
}

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);

function sectionOf(plan: Plan, section: SnapshotSection): unknown {
  if (section === 'settings') return { name: plan.name, city: plan.city, targets: plan.targets, snmpProfiles: plan.snmpProfiles };
  return plan[section];
}

/** Hashes a plan; its compressed sections follow on demand (compression runs off the main thread). */
export function encodeSnapshot(plan: Plan): EncodedSnapshot {
  const hashes = {} as Record<SnapshotSection, string>;
  const json = {} as Record<SnapshotSection, string>;
  for (const section of SNAPSHOT_SECTIONS) {
    json[section] = JSON.stringify(sectionOf(plan, section));
    hashes[section] = createHash('sha256').update(json[section]).digest('hex');
  }
  const hash = createHash('sha256')
    .update(SNAPSHOT_SECTIONS.map((s) => hashes[s]).join('\n'))
    .digest('hex');
  let compressed: Promise<Record<SnapshotSection, Buffer>> | undefined;
  const bytes = () =>
    (compressed ??= Promise.all(SNAPSHOT_SECTIONS.map((s) => gzip(json[s], { level: 1 }))).then(
      (parts) => Object.fromEntries(SNAPSHOT_SECTIONS.map((s, i) => [s, parts[i]!])) as Record<SnapshotSection, Buffer>,
    ));
  return { hash, hashes, bytes, counts: planCounts(plan) };
}

export function planCounts(plan: Plan): [number, number, number, number] {
  const interfaces = plan.devices.reduce((n, d) => n + d.interfaces.length, 0);
  return [plan.sites.length, plan.devices.length, interfaces, plan.links.length];
}

/**
 * The stored plan rebuilt from the sections that differ from `plan`; a
 * section whose hash matches is left empty on BOTH sides, so diffing the two
 * results gives exactly the diff of the whole plans.
 */
export async function plansToDiff(plan: Plan, stored: Partial<Record<SnapshotSection, Buffer>>): Promise<{ before: Plan; after: Plan }> {
  const decoded = {} as Partial<Record<SnapshotSection, unknown>>;
  for (const [section, gz] of Object.entries(stored) as [SnapshotSection, Buffer][]) {
    decoded[section] = JSON.parse((await gunzip(gz)).toString('utf8')) as unknown;
  }
  type Settings = Pick<Plan, 'name' | 'city' | 'targets' | 'snmpProfiles'>;
  const settings = (decoded.settings ?? sectionOf(plan, 'settings')) as Settings;
  const pick = <K extends 'sites' | 'devices' | 'links'>(k: K, side: 'before' | 'after'): Plan[K] =>
    decoded[k] === undefined ? [] : side === 'before' ? (decoded[k] as Plan[K]) : plan[k];
  return {
    before: { ...settings, sites: pick('sites', 'before'), devices: pick('devices', 'before'), links: pick('links', 'before') },
    after: {
      ...(sectionOf(plan, 'settings') as Settings),
      sites: pick('sites', 'after'),
      devices: pick('devices', 'after'),
      links: pick('links', 'after'),
    },
  };
}
