/**
 * Generates plans/huizhou/{plan,sites,devices,links}.yaml from the official
 * division list in plans/huizhou/source/huizhou-divisions.json (NBS 2023).
 *
 *   npx tsx scripts/generate-huizhou-plan.ts
 *
 * Sites (codes, names, kinds, which townships the functional zones manage) are
 * the official data. Devices, addresses, ports, carriers, bandwidths and the
 * few planned sites are a deterministic illustration of the network's shape,
 * to be replaced by the operator's inventory. Output is sorted and stable:
 * running it twice gives the same bytes; load.test.ts checks that the
 * committed files are exactly what this script writes.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatIssue, validatePlan, type Device, type Link, type LinkEnd, type Plan, type Site, type SiteKind } from '@extranet/topology';
import { writePlanSchema } from './write-plan-schema';
import { renderPlanFiles } from './render-plan';

/** The shape of plans/huizhou/source/huizhou-divisions.json. */
export interface Divisions {
  source: string;
  city: { code: string; name: string };
  counties: { code: string; name: string; townships: { code: string; name: string; kind: SiteKind }[] }[];
  functionalZones: { name: string; nominalCounty: string; townships: string[] }[];
}

/**
 * Functional zones have no official code; these ids are the city code plus
 * letters, so they can never collide with a numeric NBS code (and are not the
 * unofficial 441340/441341 some lists use).
 */
const ZONE_IDS: Record<string, string> = { 大亚湾经济技术开发区: '4413DYW', 仲恺高新技术产业开发区: '4413ZK' };

/** Remote reserves and a forest farm not connected yet: their sites and links are `planned`. */
const PLANNED_TOWNSHIPS = new Set(['441323453', '441323454', '441324453']);
/** Old routers that only speak SNMPv2c, on old links contracted below the 100 Mbps target. */
const OLD_V2C_TOWNSHIPS = new Set(['441322570', '441324200']);
const CARRIERS = ['中国电信', '中国联通', '中国移动'] as const;
const CITY_MGMT = '10.44.255';

const carrier = (n: number) => CARRIERS[n % CARRIERS.length]!;
const ge = (slot: number, port: number) => `GigabitEthernet0/${slot}/${port}`;
const byCode = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

/** Builds the whole plan from the division list. Pure and deterministic. */
export function buildHuizhouPlan(divisions: Divisions): Plan {
  const city = divisions.city.code;
  const zoneOf = new Map<string, { id: string; nominalCounty: string }>();
  for (const zone of divisions.functionalZones) {
    const id = ZONE_IDS[zone.name];
    if (id === undefined) throw new Error(`no stable id for functional zone ${zone.name}: add one to ZONE_IDS`);
    for (const township of zone.townships) zoneOf.set(township, { id, nominalCounty: zone.nominalCounty });
  }

  const sites: Site[] = [{ code: city, name: divisions.city.name, tier: 'city', kind: '市', status: 'built' }];
  for (const county of divisions.counties) {
    const kind: SiteKind = county.name.endsWith('县') ? '县' : '区';
    sites.push({ code: county.code, name: county.name, tier: 'county', kind, parent: city, status: 'built' });
  }
  for (const zone of divisions.functionalZones) {
    sites.push({ code: ZONE_IDS[zone.name]!, name: zone.name, tier: 'county', kind: '功能区', parent: city, status: 'built' });
  }
  for (const county of divisions.counties) {
    for (const t of county.townships) {
      const zone = zoneOf.get(t.code);
      if (zone !== undefined && zone.nominalCounty !== county.code) {
        throw new Error(`${t.code} is listed under ${county.code} but its zone says ${zone.nominalCounty}`);
      }
      sites.push({
        code: t.code,
        name: t.name,
        tier: 'township',
        kind: t.kind,
        parent: zone?.id ?? county.code,
        ...(zone !== undefined && { legalCounty: county.code }),
        status: PLANNED_TOWNSHIPS.has(t.code) ? 'planned' : 'built',
      });
    }
  }
  const tierRank = { city: 0, county: 1, township: 2 } as const;
  sites.sort((x, y) => tierRank[x.tier] - tierRank[y.tier] || byCode(x.code, y.code));

  const net = buildNetwork(city, sites);
  // Links by tier, then by the sites they join (a then b), the uplink before its backup.
  const siteOfHost = new Map(net.devices.map((d) => [d.hostname, d.site]));
  const linkTierRank = { 'city-internet': 0, 'city-county': 1, 'county-township': 2 } as const;
  const kindRank = { 'internet-exit': 0, uplink: 1, backup: 2 } as const;
  const siteKey = (l: Link) => `${siteOfHost.get(l.a.device)}|${siteOfHost.get(l.b.device)}`;
  net.links.sort(
    (x, y) => linkTierRank[x.tier] - linkTierRank[y.tier] || byCode(siteKey(x), siteKey(y)) || kindRank[x.kind] - kindRank[y.kind],
  );
  return {
    name: '惠州市电子政务外网',
    city,
    targets: { 'city-internet': 1000, 'city-county': 1000, 'county-township': 100 },
    snmpProfiles: ['huizhou-v3', 'huizhou-v2c'],
    sites,
    devices: net.devices.sort((x, y) => byCode(x.hostname, y.hostname)),
    links: net.links,
  };
}

/** Devices and links: core, exit, backup core and upstream at the city; one router per other site. */
function buildNetwork(city: string, sites: Site[]): { devices: Device[]; links: Link[] } {
  const host = (code: string, role: string) => `hz-${code.toLowerCase()}-${role}-01`;
  const core = host(city, 'core');
  const exit = host(city, 'exit');
  const bak = host(city, 'bak');
  const upstream = `upstream-ct-${city}-01`;
  const end = (device: string, iface: string): LinkEnd => ({ device, interface: iface });
  const huawei = (model: string) => ({ vendor: 'Huawei', model });

  const counties = sites.filter((s) => s.tier === 'county');
  const links: Link[] = [
    {
      id: `X-${city}-INET`,
      kind: 'internet-exit',
      tier: 'city-internet',
      a: end(exit, ge(0, 0)),
      b: end(upstream, ge(0, 0)),
      targetMbps: 1000,
      contractedMbps: 1000,
      status: 'built',
      carrier: '中国电信',
    },
  ];
  const devices: Device[] = [
    {
      hostname: exit,
      site: city,
      role: 'internet-exit',
      ...huawei('AR6280'),
      mgmtAddress: `${CITY_MGMT}.2`,
      snmpProfile: 'huizhou-v3',
      interfaces: [
        { name: ge(0, 0), description: `internet exit to 中国电信 (${upstream})`, speedMbps: 1000 },
        { name: ge(0, 1), description: `to city core ${core}`, speedMbps: 1000 },
      ],
    },
    {
      hostname: upstream,
      site: city,
      role: 'upstream',
      vendor: '中国电信',
      interfaces: [{ name: ge(0, 0), description: `provider handoff to ${exit} (unmanaged)`, speedMbps: 1000 }],
    },
  ];
  const coreIfs = [
    { name: ge(0, 0), description: `to internet exit ${exit}`, speedMbps: 1000 },
    { name: ge(0, 1), description: `to backup core ${bak}`, speedMbps: 1000 },
  ];
  const bakIfs = [{ name: ge(0, 1), description: `to city core ${core}`, speedMbps: 1000 }];

  counties.forEach((county, i) => {
    const agg = host(county.code, 'agg');
    const townships = sites.filter((s) => s.parent === county.code);
    const backedUp = townships.filter((t) => t.kind === '街道');
    coreIfs.push({ name: ge(1, i), description: `uplink of ${county.name} (${agg})`, speedMbps: 1000 });
    bakIfs.push({ name: ge(1, i), description: `backup of ${county.name} (${agg})`, speedMbps: 1000 });
    links.push(
      {
        id: `L-${city}-${county.code}`,
        kind: 'uplink',
        tier: 'city-county',
        a: end(core, ge(1, i)),
        b: end(agg, ge(0, 0)),
        targetMbps: 1000,
        contractedMbps: 1000,
        status: 'built',
        carrier: carrier(i),
      },
      {
        id: `B-${city}-${county.code}`,
        kind: 'backup',
        tier: 'city-county',
        a: end(bak, ge(1, i)),
        b: end(agg, ge(0, 1)),
        targetMbps: 1000,
        status: 'built',
        carrier: carrier(i + 1),
      },
    );
    const aggIfs = [
      { name: ge(0, 0), description: `uplink to city core ${core}`, speedMbps: 1000 },
      { name: ge(0, 1), description: `backup to ${bak}`, speedMbps: 1000 },
    ];

    townships.forEach((t, j) => {
      const acc = host(t.code, 'acc');
      const old = OLD_V2C_TOWNSHIPS.has(t.code);
      const status = t.status === 'planned' ? 'planned' : 'built';
      const uplinkCarrier = carrier(i + j);
      aggIfs.push({ name: ge(1, j), description: `to ${t.name} (${acc})`, speedMbps: 1000 });
      links.push({
        id: `L-${county.code}-${t.code}`,
        kind: 'uplink',
        tier: 'county-township',
        a: end(agg, ge(1, j)),
        b: end(acc, ge(0, 0)),
        targetMbps: 100,
        status,
        carrier: uplinkCarrier,
        // Some contracts state their bandwidth; the old ones are below target, which coverage must show.
        ...(old ? { contractedMbps: 50 } : uplinkCarrier === '中国移动' ? { contractedMbps: 100 } : {}),
      });
      const k = backedUp.indexOf(t);
      if (k >= 0) {
        aggIfs.push({ name: ge(2, k), description: `backup to ${t.name} (${acc})`, speedMbps: 1000 });
        links.push({
          id: `B-${county.code}-${t.code}`,
          kind: 'backup',
          tier: 'county-township',
          a: end(agg, ge(2, k)),
          b: end(acc, ge(0, 1)),
          targetMbps: 100,
          status,
          carrier: carrier(i + j + 1),
        });
      }
      devices.push({
        hostname: acc,
        site: t.code,
        role: 'access',
        ...huawei(old ? 'AR1220' : 'AR651'),
        mgmtAddress: `10.44.${i + 1}.${j + 1}`,
        snmpProfile: old ? 'huizhou-v2c' : 'huizhou-v3',
        interfaces: [
          { name: ge(0, 0), description: `uplink to ${agg}`, speedMbps: 1000 },
          { name: ge(0, 1), description: k >= 0 ? `backup to ${agg}` : 'backup port (unused)', speedMbps: 1000 },
        ],
      });
    });
    devices.push({
      hostname: agg,
      site: county.code,
      role: 'aggregation',
      ...huawei('AR6280'),
      mgmtAddress: `${CITY_MGMT}.${11 + i}`,
      snmpProfile: 'huizhou-v3',
      interfaces: aggIfs,
    });
  });
  devices.push(
    {
      hostname: core,
      site: city,
      role: 'core',
      ...huawei('NetEngine 8000 M8'),
      mgmtAddress: `${CITY_MGMT}.1`,
      snmpProfile: 'huizhou-v3',
      interfaces: coreIfs,
    },
    {
      hostname: bak,
      site: city,
      role: 'backup-core',
      ...huawei('NetEngine 8000 M8'),
      mgmtAddress: `${CITY_MGMT}.3`,
      snmpProfile: 'huizhou-v3',
      interfaces: bakIfs,
    },
  );
  return { devices, links };
}

/** The four files' text for `divisions`, validated by round-trip through the plan validator. */
export function renderHuizhouPlan(divisions: Divisions): Record<string, string> {
  const plan = buildHuizhouPlan(divisions);
  return renderPlanFiles(plan, {
    generator: 'scripts/generate-huizhou-plan.ts',
    notes: [
      'sites: official NBS 2023 division codes and names, from plans/huizhou/source/huizhou-divisions.json (its `source` says where from);',
      "functional zones 4413DYW and 4413ZK are this plan's ids (no official code exists); see plans/README.md.",
      "devices, ports, addresses, carriers and bandwidths: a deterministic illustration until replaced by the operator's inventory.",
    ],
    schema: '../plan.schema.json',
  });
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Where the generator reads and writes, relative to the repository root. */
export const HUIZHOU_DIR = path.join(root, 'plans', 'huizhou');

async function main(): Promise<void> {
  const divisions = JSON.parse(await readFile(path.join(HUIZHOU_DIR, 'source', 'huizhou-divisions.json'), 'utf8')) as Divisions;
  const files = renderHuizhouPlan(divisions);
  const { parse } = await import('yaml');
  const check = validatePlan(Object.entries(files).map(([file, text]) => ({ file, data: parse(text) as unknown })));
  if (!check.ok) throw new Error(`generated plan is invalid:\n${check.errors.map(formatIssue).join('\n')}`);
  await mkdir(HUIZHOU_DIR, { recursive: true });
  for (const [file, text] of Object.entries(files)) await writeFile(path.join(HUIZHOU_DIR, file), text);
  await writePlanSchema();
  console.log(`wrote ${Object.keys(files).join(', ')} to ${path.relative(root, HUIZHOU_DIR)}, and plans/plan.schema.json`);
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
