import { z } from 'zod';

/**
 * One declaration per HTTP endpoint: method, path, input and output schemas,
 * the permission it needs and a one-line summary. Everything else is derived
 * from it — the express route and its input parsing (backend/src/http/contract.ts),
 * the OpenAPI document (backend/src/http/openapi.ts), the browser's typed client
 * (frontend/src/api/client.ts) and the permission check. Pure data: no I/O here.
 */

/**
 * What a caller must be allowed to do, least to most. Each role of the trust
 * model holds a prefix of this list:
 * - `public`   no account needed (health, login) — kept to the minimum;
 * - `read`     see everything (leadership, every account);
 * - `operate`  + acknowledge alerts, switch lab faults (ops staff);
 * - `engineer` + address-space writes, provisioning, plan import (network engineers);
 * - `admin`    + users, tokens, releasing root blocks, reading the audit.
 */
export const PERMISSIONS = ['public', 'read', 'operate', 'engineer', 'admin'] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Media types an endpoint answers with or accepts. JSON unless declared. */
export type MediaType = 'application/json' | 'text/csv' | 'text/plain' | 'text/plain; version=0.0.4';

/** An object schema for path parameters or a query string (values arrive as strings). */
export type ParamsSchema = z.ZodObject<Record<string, z.ZodType>>;

export interface EndpointSpec<
  P extends ParamsSchema | undefined = ParamsSchema | undefined,
  Q extends ParamsSchema | undefined = ParamsSchema | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  R extends z.ZodType = z.ZodType,
> {
  method: HttpMethod;
  /** Express-style path with `:name` parameters, e.g. `/api/sites/:code`. */
  path: string;
  /** One line, for the OpenAPI document and the README. */
  summary: string;
  /** Longer notes (units, limits), optional. */
  description?: string;
  /** OpenAPI tag (the feature). */
  tag: string;
  permission: Permission;
  params?: P;
  query?: Q;
  body?: B;
  /** Body media type when it is not JSON (the CSV import). */
  bodyType?: MediaType;
  /** Largest accepted body, bytes. Default 64 KiB. */
  bodyLimit?: number;
  /** The success answer's body. */
  response: R;
  /** Success status codes. Default `[200]`; the handler picks among them. */
  success?: readonly number[];
  /** Response media type when it is not JSON. */
  responseType?: MediaType;
  /** Exists only when the process runs in lab mode (simulated routers). */
  labOnly?: boolean;
}

/** A declared endpoint, as features export them. */
export type Endpoint = EndpointSpec<ParamsSchema | undefined, ParamsSchema | undefined, z.ZodType | undefined, z.ZodType>;

/**
 * Declares an endpoint; the identity function that keeps the literal types of
 * its schemas, so routes and clients are typed by them.
 * @example
 * export const getSite = endpoint({ method: 'GET', path: '/api/sites/:code', tag: 'sites', permission: 'read',
 *   summary: 'One site with its devices and links', params: z.strictObject({ code: siteCode }), response: siteDetail });
 */
export function endpoint<
  P extends ParamsSchema | undefined = undefined,
  Q extends ParamsSchema | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  R extends z.ZodType = z.ZodType,
>(spec: EndpointSpec<P, Q, B, R>): EndpointSpec<P, Q, B, R> {
  return spec;
}

/** The declared schema of a part, `never` when the endpoint does not declare it. */
type Part<S> = Exclude<S, undefined>;
type Parsed<S> = [Part<S>] extends [never] ? undefined : Part<S> extends z.ZodType ? z.output<Part<S>> : undefined;
type Raw<S> = [Part<S>] extends [never] ? undefined : Part<S> extends z.ZodType ? z.input<Part<S>> : undefined;

/** What a handler receives: each declared part parsed (defaults applied, transforms run). */
export interface EndpointInput<E extends Endpoint> {
  params: Parsed<E['params']>;
  query: Parsed<E['query']>;
  body: Parsed<E['body']>;
}

/** What a client sends: the declared parts before parsing (only those the endpoint declares). */
export type ClientInput<E extends Endpoint> = ([Part<E['params']>] extends [never] ? { params?: never } : { params: Raw<E['params']> }) &
  ([Part<E['query']>] extends [never] ? { query?: never } : { query?: Raw<E['query']> }) &
  ([Part<E['body']>] extends [never] ? { body?: never } : { body: Raw<E['body']> });

/** The success body of an endpoint, as the client reads it. */
export type ResponseOf<E extends Endpoint> = z.output<E['response']>;

/**
 * The URL of a declared path with its parameters filled in and encoded.
 * @example fillPath('/api/sites/:code', { code: '4413DYW' }) // '/api/sites/4413DYW'
 */
export function fillPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing: path parameter ${name}`);
    return encodeURIComponent(value);
  });
}

/** The names of a declared path's parameters, in order. */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);
}
