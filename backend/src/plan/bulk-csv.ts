import type { Plan } from '@extranet/topology';
import type { BulkFile } from '../neo4j/bulk-import';
import { deviceRow, interfaceRow, linkRow, siteRow } from './rows';

/**
 * A plan as the input of Neo4j's bulk importer (`neo4j-admin database import full`): one CSV file
 * per label and per relationship type, each with the importer's header line. The graph it makes is
 * the one `writePlanChanges` writes: the same labels, keys, properties and property types (numbers
 * as floats, as the JavaScript driver sends them; an absent optional field is no property), and the
 * same relationships — `(:Site)-[:UNDER]->(:Site)`, `(:Device)-[:AT]->(:Site)`,
 * `(:Device)-[:HAS]->(:Interface)`, `(:Link)-[:END {side}]->(:Interface)`.
 */

export interface BulkCsvFile extends BulkFile {
  rows: number;
  /** A field holds a line break. */
  multiline: boolean;
}

/** One CSV field: strings always quoted (so an empty string stays one), null unquoted and empty (no property). */
function field(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  return `"${v.replace(/"/g, '""')}"`;
}

type Row = ReadonlyArray<string | number | null | undefined>;

function csv(header: string, rows: readonly Row[]): { text: string; multiline: boolean } {
  const lines = [header];
  let multiline = false;
  for (const r of rows) {
    const line = r.map(field).join(',');
    multiline ||= /[\r\n]/.test(line);
    lines.push(line);
  }
  return { text: `${lines.join('\n')}\n`, multiline };
}

/** The files, in the order the importer is given them, and whether a field holds a line break (`--multiline-fields`). */
export function planCsvFiles(plan: Plan): { files: BulkCsvFile[]; multiline: boolean } {
  const sites = plan.sites.map(siteRow);
  const devices = plan.devices.map(deviceRow);
  const interfaces = plan.devices.flatMap((d) => d.interfaces.map((i) => interfaceRow(d, i)));
  const links = plan.links.map(linkRow);
  const under = sites.filter((s) => s.parent !== null);
  const file = (kind: BulkCsvFile['kind'], name: string, header: string, rows: readonly Row[]): BulkCsvFile => ({
    kind,
    name,
    file: `${kind}-${name}.csv`,
    rows: rows.length,
    ...csv(header, rows),
  });
  const files = [
    file(
      'nodes',
      'Site',
      'code:ID(Site),name,tier,kind,legalCounty,status',
      sites.map((s) => [s.code, s.name, s.tier, s.kind, s.legalCounty, s.status]),
    ),
    file(
      'nodes',
      'Device',
      'hostname:ID(Device),role,vendor,model,mgmtAddress,snmpProfile',
      devices.map((d) => [d.hostname, d.role, d.vendor, d.model, d.mgmtAddress, d.snmpProfile]),
    ),
    file(
      'nodes',
      'Interface',
      'key:ID(Interface),ifName,description,speedMbps:double',
      interfaces.map((i) => [i.key, i.ifName, i.description, i.speedMbps]),
    ),
    file(
      'nodes',
      'Link',
      'id:ID(Link),kind,tier,targetMbps:double,contractedMbps:double,status,carrier',
      links.map((l) => [l.id, l.kind, l.tier, l.targetMbps, l.contractedMbps, l.status, l.carrier]),
    ),
    file(
      'relationships',
      'UNDER',
      ':START_ID(Site),:END_ID(Site)',
      under.map((s) => [s.code, s.parent]),
    ),
    file(
      'relationships',
      'AT',
      ':START_ID(Device),:END_ID(Site)',
      devices.map((d) => [d.hostname, d.site]),
    ),
    file(
      'relationships',
      'HAS',
      ':START_ID(Device),:END_ID(Interface)',
      interfaces.map((i) => [i.hostname, i.key]),
    ),
    file(
      'relationships',
      'END',
      ':START_ID(Link),:END_ID(Interface),side',
      links.flatMap((l) => [
        [l.id, l.a, 'a'],
        [l.id, l.b, 'b'],
      ]),
    ),
  ];
  return { files, multiline: files.some((f) => f.multiline) };
}
