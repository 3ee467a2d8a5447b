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

/** One CSV field: strings always quoted (so an empty string stays one), null unquoted and empty (no property). */
function field(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  return `"${v.replace(/"/g, '""')}"`;
}

type Row = ReadonlyArray<string | number | null | undefined>;

/**
 * The files, in the order the importer is given them. Each file's lines (its header first) are
 * produced as they are written, so a national plan's 50 MB of CSV is never in memory at once.
 */
export function planCsvFiles(plan: Plan): BulkFile[] {
  function* sites() {
    for (const s of plan.sites) yield siteRow(s);
  }
  function* devices() {
    for (const d of plan.devices) yield deviceRow(d);
  }
  function* interfaces() {
    for (const d of plan.devices) for (const i of d.interfaces) yield interfaceRow(d, i);
  }
  function* links() {
    for (const l of plan.links) yield linkRow(l);
  }
  const file = <T>(kind: BulkFile['kind'], name: string, header: string, records: () => Iterable<T>, row: (r: T) => Row[]): BulkFile => ({
    kind,
    name,
    file: `${kind}-${name}.csv`,
    *lines() {
      yield header;
      for (const r of records()) for (const x of row(r)) yield x.map(field).join(',');
    },
  });
  return [
    file('nodes', 'Site', 'code:ID(Site),name,tier,kind,legalCounty,status', sites, (s) => [
      [s.code, s.name, s.tier, s.kind, s.legalCounty, s.status],
    ]),
    file('nodes', 'Device', 'hostname:ID(Device),role,vendor,model,mgmtAddress,snmpProfile', devices, (d) => [
      [d.hostname, d.role, d.vendor, d.model, d.mgmtAddress, d.snmpProfile],
    ]),
    file('nodes', 'Interface', 'key:ID(Interface),ifName,description,speedMbps:double', interfaces, (i) => [
      [i.key, i.ifName, i.description, i.speedMbps],
    ]),
    file('nodes', 'Link', 'id:ID(Link),kind,tier,targetMbps:double,contractedMbps:double,status,carrier', links, (l) => [
      [l.id, l.kind, l.tier, l.targetMbps, l.contractedMbps, l.status, l.carrier],
    ]),
    file('relationships', 'UNDER', ':START_ID(Site),:END_ID(Site)', sites, (s) => (s.parent === null ? [] : [[s.code, s.parent]])),
    file('relationships', 'AT', ':START_ID(Device),:END_ID(Site)', devices, (d) => [[d.hostname, d.site]]),
    file('relationships', 'HAS', ':START_ID(Device),:END_ID(Interface)', interfaces, (i) => [[i.hostname, i.key]]),
    file('relationships', 'END', ':START_ID(Link),:END_ID(Interface),side', links, (l) => [
      [l.id, l.a, 'a'],
      [l.id, l.b, 'b'],
    ]),
  ];
}
