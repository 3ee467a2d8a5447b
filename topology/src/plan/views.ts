import { z } from 'zod';
import { DEVICE_ROLES, LINK_KINDS, LINK_STATUSES, LINK_TIERS, SITE_KINDS, SITE_STATUSES, SITE_TIERS } from './schema';

/**
 * The JSON shapes of the plan read API (`/api/sites`, `/api/links`,
 * `/api/topology`), declared once as schemas: the backend's answers are typed
 * (and in tests checked) by them, the UI reads the types inferred from them,
 * and the OpenAPI document is generated from them. Bandwidths in Mbps.
 */

/** `GET /api/sites` items. */
export const siteRowSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    tier: z.enum(SITE_TIERS),
    kind: z.enum(SITE_KINDS),
    /** Network parent site code. */
    parent: z.string().nullable().meta({ description: 'Network parent site code' }),
    legalCounty: z.string().nullable().meta({ description: 'Legal county when it differs from the network parent' }),
    status: z.enum(SITE_STATUSES).meta({ description: 'built: connected; planned: not connected yet' }),
    children: z.number().int(),
    devices: z.number().int(),
  })
  .meta({ id: 'SiteRow' });
export type SiteRow = z.infer<typeof siteRowSchema>;

/** A link's plan properties, as every link view carries them. */
export const linkFactsSchema = z.object({
  id: z.string(),
  kind: z.enum(LINK_KINDS),
  tier: z.enum(LINK_TIERS),
  status: z.enum(LINK_STATUSES),
  targetMbps: z.number(),
  contractedMbps: z.number().nullable(),
  carrier: z.string().nullable(),
});
export type LinkFacts = z.infer<typeof linkFactsSchema>;

/** The plan properties of a link every link view shows, without the carrier. */
export const linkPlanSchema = linkFactsSchema.omit({ carrier: true });

/** `GET /api/sites/:code`. */
export const siteDetailSchema = siteRowSchema
  .extend({
    childSites: z.array(z.object({ code: z.string(), name: z.string(), tier: z.enum(SITE_TIERS) })),
    deviceList: z.array(
      z.object({
        hostname: z.string(),
        role: z.enum(DEVICE_ROLES),
        vendor: z.string().nullable(),
        model: z.string().nullable(),
        mgmtAddress: z.string().nullable(),
        snmpProfile: z.string().nullable(),
        interfaces: z.array(z.object({ name: z.string(), description: z.string().nullable(), speedMbps: z.number().nullable() })),
      }),
    ),
    links: z.array(linkPlanSchema.extend({ peer: z.string().nullable() })),
  })
  .meta({ id: 'SiteDetail' });
export type SiteDetail = z.infer<typeof siteDetailSchema>;

export const linkEndRowSchema = z.object({ device: z.string(), interface: z.string(), site: z.string() });
export type LinkEndRow = z.infer<typeof linkEndRowSchema>;

/** `GET /api/links` items: plan properties plus where the two ends are. */
export const linkRowSchema = linkFactsSchema.extend({ a: linkEndRowSchema, b: linkEndRowSchema }).meta({ id: 'LinkRow' });
export type LinkRow = z.infer<typeof linkRowSchema>;

/** `GET /api/topology` nodes: the sites, plus the `INTERNET` node the internet exit ends at. */
export const topologyNodeSchema = z.object({
  id: z.string(),
  name: z.string(),
  tier: z.enum([...SITE_TIERS, 'internet']),
  kind: z.string(),
  parent: z.string().nullable(),
  legalCounty: z.string().nullable(),
});
export type TopologyNode = z.infer<typeof topologyNodeSchema>;

/** `GET /api/topology` edges: each link between the sites of its two ends. */
export const topologyLinkSchema = linkFactsSchema.extend({ source: z.string(), target: z.string() });
export type TopologyLink = z.infer<typeof topologyLinkSchema>;

/** `GET /api/topology`: the drawing view of the network. */
export const topologyViewSchema = z
  .object({ nodes: z.array(topologyNodeSchema), links: z.array(topologyLinkSchema) })
  .meta({ id: 'TopologyView' });
export type TopologyView = z.infer<typeof topologyViewSchema>;

/** The node the internet exit ends at. */
export const INTERNET_NODE = 'INTERNET';
