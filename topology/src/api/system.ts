import { z } from 'zod';
import { noQuery } from './common';
import { endpoint } from './endpoint';

/** The service itself: health, the API's own description, Prometheus metrics. */

export const health = endpoint({
  method: 'GET',
  path: '/api/health',
  tag: 'system',
  permission: 'public',
  summary: 'Service status, Neo4j reachability and lab mode: 200, or 503 with the same body when Neo4j is down',
  query: noQuery,
  response: z
    .object({
      status: z.enum(['ok', 'degraded']),
      neo4j: z.object({ reachable: z.boolean(), latencyMs: z.number(), mode: z.enum(['embedded', 'external']) }),
      lab: z.boolean().meta({
        description:
          'true in lab mode (serve --lab, LAB=1): the poller polls simulated routers, not the network, and the data is demo data',
      }),
    })
    .catchall(z.unknown()),
  success: [200, 503],
});

export const openapiDocument = endpoint({
  method: 'GET',
  path: '/api/openapi.json',
  tag: 'system',
  permission: 'read',
  summary: 'This API described as OpenAPI 3.1, generated from the endpoint declarations',
  query: noQuery,
  response: z.record(z.string(), z.unknown()),
});

export const metrics = endpoint({
  method: 'GET',
  path: '/metrics',
  tag: 'system',
  permission: 'read',
  summary: 'Prometheus exposition: poller, devices, links, coverage',
  query: z.looseObject({}).meta({ description: 'Scrapers may add parameters; they are ignored' }),
  response: z.string(),
  responseType: 'text/plain; version=0.0.4',
});
