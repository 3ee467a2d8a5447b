import { z } from 'zod';
import { LINK_KINDS, LINK_STATUSES, LINK_TIERS, SITE_TIERS } from '../plan/schema';
import { linkRowSchema, siteDetailSchema, siteRowSchema, topologyViewSchema } from '../plan/views';
import { topologyCompactSchema } from '../plan/topology-forms';
import { noQuery, page, siteCodeParam } from './common';
import { endpoint } from './endpoint';

/** The plan read API: sites, links and the drawing view. */

export const listSites = endpoint({
  method: 'GET',
  path: '/api/sites',
  tag: 'plan',
  permission: 'read',
  summary: 'Sites, filtered by tier and network parent',
  query: z.strictObject({ tier: z.enum(SITE_TIERS).optional(), parent: siteCodeParam.optional() }),
  response: page(siteRowSchema),
});

export const getSite = endpoint({
  method: 'GET',
  path: '/api/sites/:code',
  tag: 'plan',
  permission: 'read',
  summary: 'One site with its child sites, devices, interfaces and links',
  params: z.strictObject({ code: siteCodeParam }),
  query: noQuery,
  response: siteDetailSchema,
});

export const listLinks = endpoint({
  method: 'GET',
  path: '/api/links',
  tag: 'plan',
  permission: 'read',
  summary: 'Links with their two ends, targets (Mbps) and status',
  query: z.strictObject({
    tier: z.enum(LINK_TIERS).optional(),
    status: z.enum(LINK_STATUSES).optional(),
    kind: z.enum(LINK_KINDS).optional(),
    site: siteCodeParam.optional(),
  }),
  response: page(linkRowSchema),
});

const topologyQuery = z.strictObject({
  county: siteCodeParam
    .optional()
    .meta({ description: 'Only this county-level unit: it, its townships, the links touching them and the nodes at their far ends' }),
});

export const getTopology = endpoint({
  method: 'GET',
  path: '/api/topology',
  tag: 'plan',
  permission: 'read',
  summary:
    'Nodes and links for drawing (all, or one county-level unit); the internet exit ends at the INTERNET node. Served from memory with an ETag (304 when unchanged), gzip when asked',
  query: topologyQuery,
  response: topologyViewSchema,
});

export const getTopologyCompact = endpoint({
  method: 'GET',
  path: '/api/topology/compact',
  tag: 'plan',
  permission: 'read',
  summary: 'The drawing view by columns (one array per field; same content as /api/topology), all or one county-level unit',
  query: topologyQuery,
  response: topologyCompactSchema,
});

export const getPlanInfo = endpoint({
  method: 'GET',
  path: '/api/plan',
  tag: 'plan',
  permission: 'read',
  summary: 'The loaded plan: its name (shown in the header) and size',
  query: noQuery,
  response: z
    .object({
      name: z.string().nullable().meta({ description: 'Name of the imported plan; null before the first import' }),
      city: z.string().nullable(),
      sites: z.number().int(),
      links: z.number().int(),
      importedAt: z.string().nullable(),
    })
    .meta({ id: 'PlanInfo' }),
});
