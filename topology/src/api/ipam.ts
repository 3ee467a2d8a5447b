import { z } from 'zod';
import { noQuery, page, queryInt } from './common';
import { endpoint } from './endpoint';

/**
 * The address-space API (IPAM). Sizes and counts of addresses are exact
 * decimal strings (an IPv6 /0 holds 2^128 addresses, beyond any JSON number).
 */

/** A routing domain (VRF) name. */
export const vrfName = z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'a domain (VRF) name such as public, backup, mgmt');
/** A prefix as text; parsed and normalised by the CIDR core (CIDR_INVALID, CIDR_HOST_BITS). */
export const cidrText = z.string().min(3).max(64).meta({ example: '10.64.0.0/17' });
export const PREFIX_STATUSES = ['container', 'active', 'reserved', 'deprecated'] as const;
export type PrefixStatus = (typeof PREFIX_STATUSES)[number];
export const OWNER_KINDS = ['site', 'link', 'interface', 'device'] as const;
export type OwnerKind = (typeof OWNER_KINDS)[number];
const prefixStatus = z.enum(PREFIX_STATUSES);
const ownerRef = z.strictObject({ kind: z.enum(OWNER_KINDS), id: z.string().min(1).max(200) });
const reason = z.string().max(500);
/**
 * The most prefixes one allocate request may take. One request is one
 * transaction that holds its parent's lock until every prefix is written, so
 * every other allocation in that parent waits for all of them: 256 (a /24 of
 * /32s, a /20 of /28s) keeps that wait short. Provisioning does not go through
 * this limit; more prefixes are more requests.
 */
export const MAX_ALLOCATE_COUNT = 256;

export const prefixRowSchema = z
  .object({
    vrf: z.string(),
    cidr: z.string(),
    family: z.union([z.literal(4), z.literal(6)]),
    length: z.number().int(),
    status: prefixStatus,
    role: z.string(),
    pool: z.string(),
    description: z.string(),
    /** The minimal aligned blocks not covered by children, stored and updated with every change. */
    free: z.array(z.string()),
    used: z.string().meta({ description: 'Addresses used, exact decimal' }),
    size: z.string().meta({ description: 'Addresses in the prefix, exact decimal' }),
    requestKey: z.string().nullable(),
    parent: z.string().nullable(),
    owner: z.object({ kind: z.enum(OWNER_KINDS), id: z.string() }).nullable(),
    createdAt: z.string(),
    createdBy: z.string(),
  })
  .meta({ id: 'Prefix' });
export type PrefixRow = z.infer<typeof prefixRowSchema>;

export const prefixUtilizationSchema = z
  .object({
    vrf: z.string(),
    cidr: z.string(),
    unit: z.string().meta({ description: 'The counting unit, e.g. /64 or /32' }),
    usedUnits: z.string(),
    totalUnits: z.string(),
    percent: z.number(),
    usedAddresses: z.string(),
    totalAddresses: z.string(),
    children: z.number().int(),
  })
  .meta({ id: 'PrefixUtilization' });
export type PrefixUtilization = z.infer<typeof prefixUtilizationSchema>;

export const lookupResultSchema = z
  .object({
    address: z.string(),
    /** Most specific first. */
    matches: z.array(
      z.object({
        vrf: z.string(),
        cidr: z.string(),
        length: z.number().int(),
        status: prefixStatus,
        role: z.string(),
        owner: z
          .object({
            kind: z.enum(OWNER_KINDS),
            id: z.string(),
            name: z.string().optional(),
            sites: z.array(z.string()).optional(),
            ifName: z.string().optional(),
            device: z.string().nullable().optional(),
          })
          .nullable(),
      }),
    ),
  })
  .meta({ id: 'LookupResult' });
export type LookupResult = z.infer<typeof lookupResultSchema>;

export const ipamEventSchema = z
  .object({
    id: z.string(),
    actor: z.string(),
    action: z.string(),
    vrf: z.string(),
    cidr: z.string(),
    reason: z.string().nullable(),
    status: z.string().nullable(),
    role: z.string().nullable(),
    /** What a released prefix was. */
    snapshot: z.record(z.string(), z.unknown()).nullable(),
    at: z.string(),
    sites: z.array(z.string()),
  })
  .meta({ id: 'IpamEvent' });
export type IpamEvent = z.infer<typeof ipamEventSchema>;

export const listPrefixes = endpoint({
  method: 'GET',
  path: '/api/ipam/prefixes',
  tag: 'ipam',
  permission: 'read',
  summary: 'Prefixes, filtered by domain, family, status, role, parent or the site they serve',
  query: z.strictObject({
    vrf: vrfName.optional(),
    family: z
      .enum(['4', '6'])
      .transform((f) => Number(f) as 4 | 6)
      .optional(),
    status: prefixStatus.optional(),
    role: z.string().max(40).optional(),
    parent: cidrText.optional(),
    site: z.string().max(64).optional(),
    limit: queryInt(1, 100_000).optional(),
  }),
  response: page(prefixRowSchema),
});

export const getPrefix = endpoint({
  method: 'GET',
  path: '/api/ipam/prefix',
  tag: 'ipam',
  permission: 'read',
  summary: 'One prefix',
  query: z.strictObject({ vrf: vrfName, cidr: cidrText }),
  response: prefixRowSchema,
});

export const getFree = endpoint({
  method: 'GET',
  path: '/api/ipam/free',
  tag: 'ipam',
  permission: 'read',
  summary: 'Free blocks of a prefix (from its stored free list), optionally only those that fit a length',
  query: z.strictObject({ vrf: vrfName, cidr: cidrText, length: queryInt(0, 128).optional() }),
  response: z.object({
    vrf: z.string(),
    cidr: z.string(),
    free: z.array(z.string()),
    freeAddresses: z.string(),
    largestFreeBlock: z.string().nullable(),
  }),
});

export const getUtilization = endpoint({
  method: 'GET',
  path: '/api/ipam/utilization',
  tag: 'ipam',
  permission: 'read',
  summary: 'Utilization of a prefix, in addresses and in units (IPv6 shorter than /64 counted in /64s)',
  query: z.strictObject({ vrf: vrfName, cidr: cidrText, unit: queryInt(0, 128).optional() }),
  response: prefixUtilizationSchema,
});

export const lookup = endpoint({
  method: 'GET',
  path: '/api/ipam/lookup',
  tag: 'ipam',
  permission: 'read',
  summary: 'Which prefixes hold an address, and the site, link, interface or device they are for',
  query: z.strictObject({ address: z.string().min(2).max(64), vrf: vrfName.optional() }),
  response: lookupResultSchema,
});

export const ipamHistory = endpoint({
  method: 'GET',
  path: '/api/ipam/audit',
  tag: 'ipam',
  permission: 'read',
  summary: 'Address-space history of a prefix (cidr, with vrf) or of a site',
  query: z
    .strictObject({
      vrf: vrfName.optional(),
      cidr: cidrText.optional(),
      site: z.string().max(64).optional(),
      limit: queryInt(1, 10_000).optional(),
    })
    .refine((x) => x.cidr || x.site, { message: 'give cidr (with vrf) or site', path: ['cidr'] }),
  response: page(ipamEventSchema),
});

export const allocate = endpoint({
  method: 'POST',
  path: '/api/ipam/allocate',
  tag: 'ipam',
  permission: 'engineer',
  summary: 'Allocate the next free prefix(es) of a length inside a parent (best-fit by default); idempotent with requestKey',
  body: z.strictObject({
    vrf: vrfName,
    parent: cidrText,
    length: z.number().int().min(0).max(128),
    count: z.number().int().min(1).max(MAX_ALLOCATE_COUNT).default(1),
    strategy: z.enum(['best-fit', 'first-fit']).default('best-fit'),
    status: prefixStatus.default('active'),
    role: z.string().max(40).optional(),
    description: z.string().max(500).default(''),
    owner: ownerRef.optional(),
    requestKey: z.string().min(1).max(200).optional(),
    reason: reason.default(''),
  }),
  query: noQuery,
  response: z.object({ items: z.array(prefixRowSchema), replayed: z.boolean() }),
  success: [201, 200],
  description: '201 with the new prefixes; 200 with the earlier ones when requestKey was seen before (replayed: true).',
});

/** The body of recording one prefix; every row of a CSV import passes it too (topology/src/ipam/csv.ts). */
export const assignBody = z.strictObject({
  vrf: vrfName,
  cidr: cidrText,
  status: prefixStatus.default('active'),
  role: z.string().max(40).optional(),
  description: z.string().max(500).default(''),
  owner: ownerRef.optional(),
  reason: reason.default(''),
});

export const assign = endpoint({
  method: 'POST',
  path: '/api/ipam/prefixes',
  tag: 'ipam',
  permission: 'engineer',
  summary: 'Record a specific prefix inside a container of its domain (no overlap)',
  body: assignBody,
  query: noQuery,
  response: prefixRowSchema,
  success: [201],
});

export const reserve = endpoint({
  method: 'POST',
  path: '/api/ipam/reserve',
  tag: 'ipam',
  permission: 'engineer',
  summary: 'Reserve a specific prefix',
  body: assignBody.omit({ status: true }),
  query: noQuery,
  response: prefixRowSchema,
  success: [201],
});

export const release = endpoint({
  method: 'POST',
  path: '/api/ipam/release',
  tag: 'ipam',
  permission: 'engineer',
  summary: 'Release a prefix (kept in the history); one that holds others only with recursive',
  description:
    'A root block of the address plan (a prefix with no parent) is released recursively only by an admin who names it again in confirm: 403 FORBIDDEN for other roles, 400 CONFIRMATION_REQUIRED when confirm is missing or another prefix.',
  body: z.strictObject({
    vrf: vrfName,
    cidr: cidrText,
    recursive: z.boolean().default(false),
    /** The prefix again, to release a root block recursively (compared normalised). */
    confirm: cidrText.optional(),
    reason: z.string().min(1, 'say why (reason)').max(500),
  }),
  query: noQuery,
  response: z.object({ released: z.array(z.string()) }),
});

export const provision = endpoint({
  method: 'POST',
  path: '/api/ipam/provision',
  tag: 'ipam',
  permission: 'engineer',
  summary: 'Provision sites, links or the whole plan by the address plan policy, in one transaction (repeatable)',
  body: z.strictObject({
    sites: z.array(z.string().max(64)).max(100_000).optional(),
    links: z.array(z.string().max(128)).max(100_000).optional(),
    reason: reason.default(''),
  }),
  query: noQuery,
  response: z.object({
    created: z.array(z.object({ vrf: z.string(), cidr: z.string(), role: z.string(), owner: z.string().nullable() })),
    changed: z.boolean(),
  }),
  success: [201, 200],
  description: '201 when something was created, 200 when everything was provisioned already.',
});

export const exportCsv = endpoint({
  method: 'GET',
  path: '/api/ipam/export.csv',
  tag: 'ipam',
  permission: 'read',
  summary: "Every prefix in NetBox's prefix import columns (prefix,vrf,status,role,description,site)",
  query: z.strictObject({ vrf: vrfName.optional() }),
  response: z.string(),
  responseType: 'text/csv',
});

/**
 * The most rows one CSV import may hold. The import is one transaction that
 * holds the lock of every container it writes into until it commits; 50,000
 * rows import in seconds (bench/ipam/csv-import.ts), a larger plan is split.
 */
export const MAX_IMPORT_ROWS = 50_000;

export const importCsv = endpoint({
  method: 'POST',
  path: '/api/ipam/import',
  tag: 'ipam',
  permission: 'engineer',
  summary: 'Import NetBox prefix CSV in one transaction: any bad row and nothing is written',
  description: `Each row passes the rules of POST /api/ipam/prefixes (domain name, status, description ≤ 500 and role ≤ 40 characters, the length policy of its pool); errors name the CSV line (field csv:N). At most ${MAX_IMPORT_ROWS.toLocaleString('en-US')} rows.`,
  query: z.strictObject({ vrf: vrfName.optional(), reason: reason.optional() }),
  body: z.string().meta({ description: 'NetBox prefix CSV' }),
  bodyType: 'text/csv',
  bodyLimit: 20 * 1024 * 1024,
  response: z.object({ created: z.number().int(), skipped: z.number().int() }),
});
