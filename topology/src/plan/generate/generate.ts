import type { AddressPlanFile } from '../../ipam/address-plan';
import type { Device, DeviceRole, Interface, Link, LinkEnd, Plan, Site, SiteKind } from '../types';
import { formatIpv4, sizeAddressPlan } from './address-size';
import { carrierOf, placeNamer } from './names';
import { pick, shuffled, type Random } from './rng';

/**
 * Synthetic plans for scale tests and demos: one city, N county-level units
 * (some of them functional zones whose townships keep a legal county), M
 * townships spread unevenly over them, the network shaped as the Huizhou
 * plan (core, internet exit and backup core at the city; one aggregation
 * router per county-level unit with an uplink and a backup to the city; one
 * access router per township with its uplink), and the variety a real plan
 * has: a few sites not connected yet (`planned`), old links contracted below
 * their target, backups on a share of the townships. Pure and deterministic:
 * the randomness comes from the `Random` handed in.
 */

/** How big a plan to generate. */
export interface PlanSpec {
  /** County-level units (区, 县 and functional zones), at least 1. */
  counties: number;
  /** Townships in all, spread over the county-level units. */
  townships: number;
  /** How many of the county-level units are functional zones (default: 5 %, at least one from 3 units on). */
  zones?: number;
}

/** The named sizes of `extranet plan generate --size`. */
export const PLAN_SIZES = {
  /** Like Huizhou: 7 county-level units (2 zones), 84 townships. */
  'huizhou-like': { counties: 7, townships: 84, zones: 2 },
  /** A province: ≈100 county-level units, 2,000 townships. */
  province: { counties: 100, townships: 2000, zones: 5 },
  /** A national extranet: 2,000 county-level units, 40,000 townships (42,004 devices, 52,001 links). */
  national: { counties: 2000, townships: 40000, zones: 100 },
} as const satisfies Record<string, PlanSpec>;

export type PlanSizeName = keyof typeof PLAN_SIZES;

/** Share of townships with a backup link (the 备份网 goal is all; a fifth is where a network stands midway). */
export const BACKUP_SHARE = 0.2;
/** Share of townships not connected yet. */
const PLANNED_TOWNSHIP_SHARE = 0.02;
/** Share of county-level units not connected yet (with all their townships). */
const PLANNED_COUNTY_SHARE = 0.01;
/** Share of township uplinks on old contracts below the 100 Mbps target (50 Mbps, SNMPv2c routers). */
const OLD_TOWNSHIP_SHARE = 0.05;
/** Share of county uplinks contracted below their 1,000 Mbps target (500 Mbps). */
const LOW_COUNTY_SHARE = 0.03;

/** The city code of every synthetic plan; county-level codes are it plus four digits, townships plus three more. */
export const SYNTHETIC_CITY = '99';

/** A generated plan and the address plan sized to fit it. */
export interface GeneratedPlan {
  plan: Plan;
  addressPlan: AddressPlanFile;
}

/**
 * Generates a valid plan of the given size.
 *
 * @example
 * const { plan } = generatePlan(PLAN_SIZES.province, seededRandom(1));
 * plan.sites.length // 2,101
 */
export function generatePlan(spec: PlanSpec, rnd: Random): GeneratedPlan {
  const counties = Math.floor(spec.counties);
  const townships = Math.floor(spec.townships);
  if (!(counties >= 1)) throw new Error(`a plan needs at least one county-level unit, got ${spec.counties}`);
  if (!(townships >= 0)) throw new Error(`the number of townships cannot be negative, got ${spec.townships}`);
  const zones = Math.min(
    counties - 1,
    Math.max(0, Math.floor(spec.zones ?? (counties >= 3 ? Math.max(1, Math.round(counties * 0.05)) : 0))),
  );
  // Townships spread unevenly (weights 0.5–1.5), the total exact (largest remainders).
  const weights = Array.from({ length: counties }, () => 0.5 + rnd());
  const total = weights.reduce((a, b) => a + b, 0);
  const shares = weights.map((w) => (townships * w) / total);
  const perCounty = shares.map(Math.floor);
  const order = shares.map((s, i) => ({ i, rest: s - Math.floor(s) })).sort((x, y) => y.rest - x.rest || x.i - y.i);
  for (let k = 0, left = townships - perCounty.reduce((a, b) => a + b, 0); k < left; k++) perCounty[order[k]!.i]! += 1;
  const backupCount = Math.round(townships * BACKUP_SHARE);
  // Sized (and refused when too big) before anything else is made.
  const sized = sizeAddressPlan({
    countyLevel: counties + 1,
    maxTownships: perCounty.reduce((a, b) => Math.max(a, b), 0),
    publicLinks: counties + townships + 1,
    backupLinks: counties + backupCount,
    devices: counties + townships + 3,
  });

  const name = placeNamer(rnd);
  const city = SYNTHETIC_CITY;
  const cityName = name('市');

  // County-level units: the zones come last so that every zone has real counties before it.
  const countySites: Site[] = [];
  for (let i = 0; i < counties; i++) {
    const zone = i >= counties - zones;
    const kind: SiteKind = zone ? '功能区' : rnd() < 0.35 ? '区' : '县';
    const code = zone ? `${city}Z${String(i - (counties - zones) + 1).padStart(3, '0')}` : `${city}${String(i + 1).padStart(4, '0')}`;
    const planned = !zone && i > 0 && rnd() < PLANNED_COUNTY_SHARE;
    countySites.push({ code, name: name(kind), tier: 'county', kind, parent: city, status: planned ? 'planned' : 'built' });
  }
  const legalCounties = countySites.filter((s) => s.kind !== '功能区');

  // Township codes: the legal county's code plus three digits; zone townships numbered after the county's own.
  const zoneNumberStart = perCounty.reduce((a, n) => Math.max(a, n + 1), 500);
  const zoneCount = new Map<string, number>();
  const townshipSites: Site[] = [];
  countySites.forEach((county, i) => {
    for (let j = 0; j < perCounty[i]!; j++) {
      const r = rnd();
      const kind: SiteKind = r < 0.3 ? '街道' : r < 0.85 ? '镇' : r < 0.97 ? '乡' : '类似乡级单位';
      let code: string;
      let legalCounty: string | undefined;
      if (county.kind === '功能区') {
        legalCounty = pick(rnd, legalCounties).code;
        const n = zoneCount.get(legalCounty) ?? 0;
        zoneCount.set(legalCounty, n + 1);
        code = `${legalCounty}${String(zoneNumberStart + n).padStart(3, '0')}`;
      } else code = `${county.code}${String(j + 1).padStart(3, '0')}`;
      const planned = county.status === 'planned' || rnd() < PLANNED_TOWNSHIP_SHARE;
      townshipSites.push({
        code,
        name: name(kind),
        tier: 'township',
        kind,
        parent: county.code,
        ...(legalCounty !== undefined && { legalCounty }),
        status: planned ? 'planned' : 'built',
      });
    }
  });
  const backedUp = new Set(shuffled(townshipSites, rnd).slice(0, backupCount));

  const sites: Site[] = [{ code: city, name: cityName, tier: 'city', kind: '市', status: 'built' }, ...countySites, ...townshipSites];
  const byCode = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  const tierRank = { city: 0, county: 1, township: 2 } as const;
  sites.sort((x, y) => tierRank[x.tier] - tierRank[y.tier] || byCode(x.code, y.code));

  const network = buildNetwork(city, countySites, townshipSites, backedUp, sized.firstLoopback, rnd);
  return {
    plan: {
      name: `${cityName}电子政务外网（合成）`,
      city,
      targets: { 'city-internet': 1000, 'city-county': 1000, 'county-township': 100 },
      snmpProfiles: ['synthetic-v3', 'synthetic-v2c'],
      sites,
      devices: network.devices.sort((x, y) => byCode(x.hostname, y.hostname)),
      // By tier (stable: within a tier, county by county as built).
      links: network.links.sort((x, y) => LINK_TIER_RANK[x.tier] - LINK_TIER_RANK[y.tier]),
    },
    addressPlan: sized.file,
  };
}

const LINK_TIER_RANK = { 'city-internet': 0, 'city-county': 1, 'county-township': 2 } as const;

const MODELS = {
  core: [{ vendor: 'Huawei', model: 'NetEngine 8000 M8' }],
  aggregation: [
    { vendor: 'Huawei', model: 'AR6280' },
    { vendor: 'H3C', model: 'MSR3620' },
    { vendor: 'ZTE', model: 'ZXR10 5960' },
  ],
  access: [
    { vendor: 'Huawei', model: 'AR651' },
    { vendor: 'H3C', model: 'MSR2600' },
    { vendor: 'ZTE', model: 'ZXR10 1800' },
  ],
  old: [{ vendor: 'Huawei', model: 'AR1220' }],
} as const;

/** A port name for the n-th port of a card: 48 ports a card, cards counted from `slot`. */
const port = (slot: number, card: number, n: number) => `GigabitEthernet${slot + Math.floor(n / 48)}/${card}/${n % 48}`;

function buildNetwork(
  city: string,
  counties: Site[],
  townships: Site[],
  backedUp: Set<Site>,
  firstLoopback: number,
  rnd: Random,
): { devices: Device[]; links: Link[] } {
  const host = (code: string, role: string) => `sy-${code.toLowerCase()}-${role}-01`;
  const core = host(city, 'core');
  const exit = host(city, 'exit');
  const bak = host(city, 'bak');
  const upstream = `upstream-ct-${city}-01`;
  const end = (device: string, iface: string): LinkEnd => ({ device, interface: iface });
  let nextLoopback = firstLoopback;
  const managed = (hostname: string, site: string, role: DeviceRole, model: { vendor: string; model: string }, v2c = false) => ({
    hostname,
    site,
    role,
    vendor: model.vendor,
    model: model.model,
    mgmtAddress: formatIpv4(nextLoopback++),
    snmpProfile: v2c ? 'synthetic-v2c' : 'synthetic-v3',
  });

  const devices: Device[] = [];
  const links: Link[] = [];
  const coreIfs: Interface[] = [
    { name: 'GigabitEthernet0/0/0', description: `to internet exit ${exit}`, speedMbps: 1000 },
    { name: 'GigabitEthernet0/0/1', description: `to backup core ${bak}`, speedMbps: 1000 },
  ];
  const bakIfs: Interface[] = [{ name: 'GigabitEthernet0/0/1', description: `to city core ${core}`, speedMbps: 1000 }];
  devices.push(
    { ...managed(core, city, 'core', MODELS.core[0]), interfaces: coreIfs },
    {
      ...managed(exit, city, 'internet-exit', MODELS.aggregation[0]),
      interfaces: [
        { name: 'GigabitEthernet0/0/0', description: `internet exit to 中国电信 (${upstream})`, speedMbps: 10000 },
        { name: 'GigabitEthernet0/0/1', description: `to city core ${core}`, speedMbps: 10000 },
      ],
    },
    { ...managed(bak, city, 'backup-core', MODELS.core[0]), interfaces: bakIfs },
    {
      hostname: upstream,
      site: city,
      role: 'upstream',
      vendor: '中国电信',
      interfaces: [{ name: 'GigabitEthernet0/0/0', description: `provider handoff to ${exit} (unmanaged)`, speedMbps: 10000 }],
    },
  );
  links.push({
    id: `X-${city}-INET`,
    kind: 'internet-exit',
    tier: 'city-internet',
    a: end(exit, 'GigabitEthernet0/0/0'),
    b: end(upstream, 'GigabitEthernet0/0/0'),
    targetMbps: 1000,
    contractedMbps: 10000,
    status: 'built',
    carrier: '中国电信',
  });

  const townshipsOf = new Map<string, Site[]>();
  for (const t of townships) {
    const list = townshipsOf.get(t.parent!);
    if (list === undefined) townshipsOf.set(t.parent!, [t]);
    else list.push(t);
  }

  counties.forEach((county, i) => {
    const agg = host(county.code, 'agg');
    const status = county.status === 'planned' ? 'planned' : 'built';
    coreIfs.push({ name: port(1, 0, i), description: `uplink of ${county.name} (${agg})`, speedMbps: 1000 });
    bakIfs.push({ name: port(1, 0, i), description: `backup of ${county.name} (${agg})`, speedMbps: 1000 });
    links.push(
      {
        id: `L-${city}-${county.code}`,
        kind: 'uplink',
        tier: 'city-county',
        a: end(core, port(1, 0, i)),
        b: end(agg, 'GigabitEthernet0/0/0'),
        targetMbps: 1000,
        contractedMbps: rnd() < LOW_COUNTY_SHARE ? 500 : 1000,
        status,
        carrier: carrierOf(rnd),
      },
      {
        id: `B-${city}-${county.code}`,
        kind: 'backup',
        tier: 'city-county',
        a: end(bak, port(1, 0, i)),
        b: end(agg, 'GigabitEthernet0/0/1'),
        targetMbps: 1000,
        status,
        carrier: carrierOf(rnd),
      },
    );
    const aggIfs: Interface[] = [
      { name: 'GigabitEthernet0/0/0', description: `uplink to city core ${core}`, speedMbps: 1000 },
      { name: 'GigabitEthernet0/0/1', description: `backup to ${bak}`, speedMbps: 1000 },
    ];
    devices.push({ ...managed(agg, county.code, 'aggregation', pick(rnd, MODELS.aggregation)), interfaces: aggIfs });

    let backups = 0;
    (townshipsOf.get(county.code) ?? []).forEach((t, j) => {
      const acc = host(t.code, 'acc');
      const old = rnd() < OLD_TOWNSHIP_SHARE;
      const tStatus = t.status === 'planned' ? 'planned' : 'built';
      const carrier = carrierOf(rnd);
      aggIfs.push({ name: port(1, 1, j), description: `to ${t.name} (${acc})`, speedMbps: 1000 });
      links.push({
        id: `L-${county.code}-${t.code}`,
        kind: 'uplink',
        tier: 'county-township',
        a: end(agg, port(1, 1, j)),
        b: end(acc, 'GigabitEthernet0/0/0'),
        targetMbps: 100,
        status: tStatus,
        carrier,
        // Old contracts are below target, which coverage must show; some others state their bandwidth.
        ...(old ? { contractedMbps: 50 } : carrier === '中国移动' ? { contractedMbps: 100 } : {}),
      });
      const backup = backedUp.has(t);
      if (backup) {
        const k = backups++;
        aggIfs.push({ name: port(1, 2, k), description: `backup to ${t.name} (${acc})`, speedMbps: 1000 });
        links.push({
          id: `B-${county.code}-${t.code}`,
          kind: 'backup',
          tier: 'county-township',
          a: end(agg, port(1, 2, k)),
          b: end(acc, 'GigabitEthernet0/0/1'),
          targetMbps: 100,
          status: tStatus,
          carrier: carrierOf(rnd),
        });
      }
      devices.push({
        ...managed(acc, t.code, 'access', old ? MODELS.old[0] : pick(rnd, MODELS.access), old),
        interfaces: [
          { name: 'GigabitEthernet0/0/0', description: `uplink to ${agg}`, speedMbps: 1000 },
          { name: 'GigabitEthernet0/0/1', description: backup ? `backup to ${agg}` : 'backup port (unused)', speedMbps: 1000 },
        ],
      });
    });
  });
  return { devices, links };
}
