import { z } from 'zod';
import { LINK_KINDS, LINK_STATUSES, LINK_TIERS, SITE_TIERS } from '../plan/schema';
import { linkRowSchema, siteDetailSchema, siteRowSchema, topologyViewSchema } from '../plan/views';
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

export const getTopology = endpoint({
  method: 'GET',
  path: '/api/topology',
  tag: 'plan',
  permission: 'read',
  summary: 'Nodes and links for drawing; the internet exit ends at the INTERNET node',
  query: noQuery,
  response: topologyViewSchema,
});
