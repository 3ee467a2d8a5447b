import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { ENDPOINTS, errorBody, openapiPath, type NamedEndpoint } from '@extranet/topology';

/**
 * The OpenAPI 3.1 document, generated from the endpoint declarations
 * (topology/src/api) — never written by hand. Served at `/api/openapi.json`;
 * `npm run openapi` writes it to backend/openapi.json, and a test fails when the
 * committed file differs from what the declarations generate.
 */

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: errorBody } } });

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 201: 'Created', 503: 'Neo4j is unreachable (same body shape)' };

function operation(e: NamedEndpoint): ZodOpenApiOperationObject {
  const responses: Record<string, unknown> = {};
  for (const status of e.success ?? [200]) {
    responses[String(status)] = {
      description: STATUS_TEXT[status] ?? 'OK',
      content: { [e.responseType ?? 'application/json']: { schema: e.response } },
    };
  }
  if (e.params || e.query || e.body)
    responses['400'] = errorResponse('Invalid or unknown parameter (BAD_REQUEST) or a domain rule broken; see `code`');
  if (e.permission !== 'public') {
    responses['401'] = errorResponse('Not authenticated');
    responses['403'] = errorResponse(`Needs the \`${e.permission}\` permission`);
  }
  if (e.params) responses['404'] = errorResponse('No such resource (NOT_FOUND)');
  if (e.method !== 'GET') responses['409'] = errorResponse('Conflicts with the stored state (PREFIX_OVERLAP, POOL_EXHAUSTED, …)');
  if (e.body) responses['415'] = errorResponse(`The body is not ${e.bodyType ?? 'application/json'}`);
  if (!(e.success ?? []).includes(503)) responses['503'] = errorResponse('Neo4j is unreachable (STORE_UNAVAILABLE)');
  return {
    operationId: e.name,
    summary: e.summary,
    ...(e.description && { description: e.description }),
    tags: [e.feature],
    'x-permission': e.permission,
    ...(e.labOnly && { 'x-lab-only': true }),
    ...((e.params || e.query) && {
      requestParams: { ...(e.params && { path: e.params }), ...(e.query && { query: e.query }) },
    }),
    ...(e.body && {
      requestBody: { required: true, content: { [e.bodyType ?? 'application/json']: { schema: e.body } } },
    }),
    responses,
  } as ZodOpenApiOperationObject;
}

/** The whole document. Deterministic: same declarations, same JSON. */
export function openapiDocument(version: string): ReturnType<typeof createDocument> {
  const paths: ZodOpenApiPathsObject = {};
  for (const e of ENDPOINTS) {
    const p = (paths[openapiPath(e.path)] ??= {});
    (p as Record<string, ZodOpenApiOperationObject>)[e.method.toLowerCase()] = operation(e);
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Extranet manager API (电子政务外网管理)',
      version,
      description: [
        'Network provisioning and topology manager for government extranets.',
        'Every error has the body `{"error": {"code", "message", "field"?, "hint"?, "details"?}}`; `code` is stable',
        '(match on it, not on the message). Invalid or unknown parameters give 400, unknown ids 404, an unreachable Neo4j 503.',
        'Units: bandwidths in Mbps, rates in bps, percentages of capacity, times ISO 8601.',
        'Each operation names the permission it needs in `x-permission` (public, read, operate, engineer, admin).',
      ].join('\n'),
    },
    tags: [
      { name: 'system', description: 'Health, this document, Prometheus metrics' },
      { name: 'auth', description: 'Log in, accounts, sessions, API tokens, the audit' },
      { name: 'plan', description: 'Sites, links and the drawing view of the plan' },
      { name: 'monitor', description: 'Coverage, utilization and device poll status' },
      { name: 'coverage', description: 'Coverage over time: daily snapshots' },
      { name: 'ipam', description: 'The address space' },
      { name: 'lab', description: 'Simulated routers (lab mode only)' },
    ],
    paths,
  });
}
