import type { Endpoint } from './endpoint';
import * as alerts from './alerts';
import * as auth from './auth';
import * as coverage from './coverage-history';
import * as ipam from './ipam';
import * as lab from './lab';
import * as monitor from './monitor';
import * as plan from './plan';
import * as system from './system';

/** The features' declaration modules, by feature name (the OpenAPI tag). */
export const API_FEATURES = { system, auth, plan, monitor, coverage, ipam, lab, alerts } as const;

/** A declared endpoint with its export name (the OpenAPI operationId) and feature. */
export type NamedEndpoint = Endpoint & { readonly name: string; readonly feature: string };

function isEndpoint(value: unknown): value is Endpoint {
  return (
    typeof value === 'object' && value !== null && 'method' in value && 'path' in value && 'permission' in value && 'response' in value
  );
}

const METHOD_ORDER = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Every declared endpoint, by feature, then path, then method (a fixed order:
 * module namespaces list their exports in an order that depends on the loader).
 * The OpenAPI document, the route table and the README's endpoint list are
 * generated from it: a feature adds an endpoint by declaring it in its module,
 * and nowhere else.
 */
export const ENDPOINTS: readonly NamedEndpoint[] = Object.entries(API_FEATURES).flatMap(([feature, mod]) =>
  Object.entries(mod)
    .filter((entry): entry is [string, Endpoint] => isEndpoint(entry[1]))
    .map(([name, e]) => Object.freeze({ ...e, name, feature }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method))),
);

/** Express-style path → OpenAPI path: `/api/sites/:code` → `/api/sites/{code}`. */
export function openapiPath(path: string): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}
