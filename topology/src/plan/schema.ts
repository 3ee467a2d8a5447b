import { z } from 'zod';
import type { DeviceRole, LinkKind, LinkStatus, LinkTier, SiteKind, SiteStatus, SiteTier } from './types';

/**
 * The on-disk plan format: four YAML files in one directory, each parsed by one
 * strict zod schema (unknown keys rejected, defaults applied). Cross-file rules
 * (references, hierarchy, uplinks) live in validate.ts; this file only knows
 * the shape of each file. plans/README.md documents every field.
 */

/**
 * Division codes and site ids are strings. YAML reads an unquoted `441302` as a
 * number, so integers are accepted and turned into their decimal string (no
 * Chinese division code starts with 0, so nothing is lost); the JSON Schema
 * says string, which nudges editors toward the quoted form.
 */
/**
 * What a site code is, for the plan and for the API alike (one rule: a code valid
 * in a plan is reachable through every endpoint that takes one). 32 characters
 * is well above the 12 digits of a village-level division code.
 */
export const SITE_CODE_PATTERN = /^[0-9A-Za-z]{1,32}$/;
/** Hostnames, link ids, SNMP profile names: letters, digits, '.', '_', '-', not starting with a symbol. */
export const IDENTIFIER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** A site code as a string schema (API path and query parameters, socket.io subscriptions). */
export const siteCodeString = z.string().regex(SITE_CODE_PATTERN, 'a site code is 1–32 letters and digits, e.g. 441302 or 4413DYW');
/** An identifier as a string schema; `what` and `example` make the message. */
export const identifierString = (what: string, example: string) =>
  z.string().regex(IDENTIFIER_PATTERN, `${what} is letters, digits, '.', '_' and '-' (at most 128), e.g. ${example}`);

const siteCode = z
  .preprocess((value) => (typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value), siteCodeString)
  .describe('Official division code (4413, 441302, 441302001) or, for a functional zone, the plan’s alphanumeric id (4413DYW)');

const name = (what: string) => z.string().trim().min(1, `${what} must not be empty`);
const identifier = identifierString;
const mbps = z.number().int().positive().describe('Bandwidth in Mbps (10^6 bit/s)');

/** Tiers, kinds and roles: the closed choice sets of plan/types.ts. */
export const SITE_TIERS = ['city', 'county', 'township'] as const;
export const SITE_KINDS = ['市', '区', '县', '功能区', '街道', '镇', '乡', '类似乡级单位'] as const;
export const SITE_STATUSES = ['planned', 'built'] as const;
export const LINK_TIERS = ['city-internet', 'city-county', 'county-township'] as const;
export const LINK_KINDS = ['uplink', 'backup', 'internet-exit'] as const;
export const LINK_STATUSES = ['planned', 'built'] as const;
export const DEVICE_ROLES = ['core', 'internet-exit', 'backup-core', 'aggregation', 'access', 'upstream'] as const;

// Compile-time guard: the choice sets above and the unions of types.ts must stay identical.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const choicesMatchTypes: [
  Same<(typeof SITE_TIERS)[number], SiteTier>,
  Same<(typeof SITE_KINDS)[number], SiteKind>,
  Same<(typeof SITE_STATUSES)[number], SiteStatus>,
  Same<(typeof LINK_TIERS)[number], LinkTier>,
  Same<(typeof LINK_KINDS)[number], LinkKind>,
  Same<(typeof LINK_STATUSES)[number], LinkStatus>,
  Same<(typeof DEVICE_ROLES)[number], DeviceRole>,
] = [true, true, true, true, true, true, true];
void choicesMatchTypes;

/** `plan.yaml`: the plan's name, its root site, targets per link tier, SNMP profile names. */
export const planFileSchema = z
  .strictObject({
    name: name('name').describe('Human name of the plan'),
    city: siteCode.describe('Code of the city site, the root of the site hierarchy'),
    targets: z
      .strictObject({ 'city-internet': mbps, 'city-county': mbps, 'county-township': mbps })
      .describe('Bandwidth target in Mbps per link tier; a link may override it with targetMbps'),
    snmpProfiles: z
      .array(identifier('an SNMP profile name', 'huizhou-v3'))
      .default([])
      .describe('Names of the SNMP profiles devices may use. Names only: credentials never go in the plan'),
  })
  .meta({ title: 'plan.yaml' });

/** One site of `sites.yaml`. */
export const siteSchema = z.strictObject({
  code: siteCode,
  name: name('name').describe('Official name, e.g. 惠城区'),
  tier: z.enum(SITE_TIERS).describe('city, county (every county-level unit, zones included) or township'),
  kind: z.enum(SITE_KINDS).describe('Division kind: 市 | 区 | 县 | 功能区 | 街道 | 镇 | 乡 | 类似乡级单位'),
  parent: siteCode.optional().describe('Network parent: the site this one uplinks to. Absent only for the city'),
  legalCounty: siteCode.optional().describe('Legal county code when it differs from the network parent (townships of functional zones)'),
  status: z
    .enum(SITE_STATUSES)
    .default('built')
    .describe('built (default): connected, must have a built uplink; planned: not connected yet'),
});

/** `sites.yaml`: every site of the plan, in any order. */
export const sitesFileSchema = z.strictObject({ sites: z.array(siteSchema) }).meta({ title: 'sites.yaml' });

/** One interface of a device. */
export const interfaceSchema = z.strictObject({
  name: name('an interface name').describe('ifName as the device reports it, e.g. GigabitEthernet0/0/0'),
  description: z.string().optional(),
  speedMbps: mbps.optional().describe('Nominal port speed in Mbps'),
});

/** One device of `devices.yaml`. */
export const deviceSchema = z.strictObject({
  hostname: identifier('a hostname', 'hz-441302-agg-01'),
  site: siteCode.describe('Code of the site the device stands at'),
  role: z.enum(DEVICE_ROLES),
  vendor: z.string().optional(),
  model: z.string().optional(),
  mgmtAddress: z
    .union([z.ipv4(), z.ipv6()], { error: 'mgmtAddress must be an IPv4 or IPv6 address, e.g. 10.44.255.1' })
    .optional()
    .describe('Address the poller talks to; omit for unmanaged (upstream) devices'),
  snmpProfile: identifier('an SNMP profile name', 'huizhou-v3')
    .optional()
    .describe('Name of one of plan.yaml’s snmpProfiles; omit for unmanaged devices'),
  interfaces: z.array(interfaceSchema).default([]),
});

/** `devices.yaml`: every device and its interfaces. */
export const devicesFileSchema = z.strictObject({ devices: z.array(deviceSchema) }).meta({ title: 'devices.yaml' });

const linkEndSchema = z.strictObject({
  device: identifier('a hostname', 'hz-441302-agg-01').describe('Hostname of a device in devices.yaml'),
  interface: name('an interface name').describe('Name of one of that device’s interfaces'),
});

/** One link of `links.yaml`. */
export const linkSchema = z.strictObject({
  id: identifier('a link id', 'L-4413-441302'),
  kind: z.enum(LINK_KINDS),
  tier: z.enum(LINK_TIERS),
  a: linkEndSchema.describe('The end nearer the city core'),
  b: linkEndSchema.describe('The end farther from the city core (the provider, for the internet exit)'),
  targetMbps: mbps.optional().describe('Override of the tier target from plan.yaml'),
  contractedMbps: mbps.optional().describe('Bandwidth stated by the carrier contract'),
  status: z.enum(LINK_STATUSES).default('built'),
  carrier: z.string().optional().describe('e.g. 中国电信, 中国联通, 中国移动'),
});

/** `links.yaml`: every link between two device interfaces. */
export const linksFileSchema = z.strictObject({ links: z.array(linkSchema) }).meta({ title: 'links.yaml' });

/** The file names of a plan directory and the schema each one is parsed with. */
export const PLAN_FILE_SCHEMAS = {
  'plan.yaml': planFileSchema,
  'sites.yaml': sitesFileSchema,
  'devices.yaml': devicesFileSchema,
  'links.yaml': linksFileSchema,
} as const;

/** A file name of the plan format. */
export type PlanFileName = keyof typeof PLAN_FILE_SCHEMAS;

/** The fixed file names of a plan directory, all required. */
export const PLAN_FILE_NAMES = Object.keys(PLAN_FILE_SCHEMAS) as PlanFileName[];

export type PlanFile = z.output<typeof planFileSchema>;
export type SitesFile = z.output<typeof sitesFileSchema>;
export type DevicesFile = z.output<typeof devicesFileSchema>;
export type LinksFile = z.output<typeof linksFileSchema>;

/**
 * The JSON Schema (draft 2020-12) of the plan format, for editors: one document
 * that accepts any of the four files (each file matches exactly one branch,
 * since every object is closed). scripts/write-plan-schema.ts writes it to
 * plans/plan.schema.json.
 */
export function planJsonSchema(): Record<string, unknown> {
  const files = z.union([planFileSchema, sitesFileSchema, devicesFileSchema, linksFileSchema]);
  return {
    ...z.toJSONSchema(files, { io: 'input' }),
    title: 'Extranet network plan file (plan.yaml, sites.yaml, devices.yaml or links.yaml)',
  };
}
