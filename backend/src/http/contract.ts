import { randomUUID } from 'node:crypto';
import express, {
  type ErrorRequestHandler,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import type { z } from 'zod';
import { DomainError, pathParams, type Endpoint, type EndpointInput } from '@extranet/topology';
import type { Principal } from '../auth/principal';
import { log } from '../log';
import { fromZod } from './errors';

/**
 * Binds declared endpoints (topology/src/api) to express. A route file is a list
 * of `route(endpoint, handler)`: the handler gets its input parsed from the
 * declaration (path, query, body — unknown keys are a 400) and returns data; the
 * declaration decides the status, the media type and the body limit. Nothing in
 * a route file parses, authorises or shapes HTTP by hand.
 */

/** What a write handler may add to its audit entry: what it acted on and what that was before. */
export interface AuditNote {
  target?: string;
  before?: unknown;
}

/** What a handler knows about the request beyond its parsed input. */
export interface RequestContext {
  readonly req: Request;
  readonly res: Response;
  /** The request id (from a sane `X-Request-Id`, else a new UUID); echoed in the response header. */
  readonly requestId: string;
  /** The authenticated caller; always set for endpoints that are not `public`. */
  readonly principal: Principal | undefined;
  /** Filled by write handlers for the audit (see {@link MountOptions.audit}). */
  readonly audit: AuditNote;
}

/** One write, as the audit receives it: done, refused (authentication, permission, CSRF, rate) or failed. */
export interface AuditEntry {
  endpoint: Endpoint;
  req: Request;
  requestId: string;
  principal: Principal | undefined;
  outcome: 'ok' | 'refused' | 'failed';
  /** The request body as sent (the audit redacts secrets). */
  body: unknown;
  note: AuditNote;
  result?: unknown;
  errorCode?: string;
}

/** A success answer with an explicit status (one of the endpoint's declared `success` codes) and headers. */
export class Answer<T> {
  constructor(
    readonly status: number,
    readonly body: T,
    readonly headers: Readonly<Record<string, string>> = {},
    /** `body` serialised already (a read model's JSON, or the text of a `responseType` — as text or its UTF-8 bytes — and its gzip): sent as it is, gzip when the client accepts it. */
    readonly encoded?: { json: string | Buffer; gzip: Buffer },
  ) {}
}

/** The body a handler returns: the declared response's input type, or an {@link Answer} carrying it. */
export type Reply<E extends Endpoint> = z.input<E['response']> | Answer<z.input<E['response']>>;
export type Handler<E extends Endpoint> = (input: EndpointInput<E>, ctx: RequestContext) => Promise<Reply<E>> | Reply<E>;

/** A declared endpoint with its handler. */
export interface Route {
  readonly endpoint: Endpoint;
  readonly handler: Handler<Endpoint>;
  /** Middleware run after the body is parsed and before the handler (a rate limit, say). */
  readonly before?: readonly RequestHandler[];
}

/**
 * @example
 * route(planApi.getSite, async ({ params }) => (await getSite(store, params.code)) ?? notFound(...))
 */
export function route<E extends Endpoint>(endpoint: E, handler: Handler<E>, before?: readonly RequestHandler[]): Route {
  // A handler of one endpoint stored with all the others: its input type is erased here and restored by the declaration at mount time.
  const erased = handler as unknown as Handler<Endpoint>;
  return { endpoint, handler: erased, ...(before && { before }) };
}

export interface MountOptions {
  /**
   * Check every answer against its declared response schema (a mismatch is logged
   * and answered 500). On in tests (`API_CHECK_RESPONSES=1`), so the whole
   * integration suite is a contract test; off in production, where it costs CPU.
   */
  checkResponses?: boolean;
  /** Runs before the input is parsed; throws to refuse (the trust layer's one enforcement point). */
  authorize?: (endpoint: Endpoint, req: Request) => void | Promise<void>;
  /** Records every write (every endpoint that is not a GET), whatever its outcome. */
  audit?: (entry: AuditEntry) => Promise<void>;
}

const REFUSALS = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'CSRF', 'ORIGIN_NOT_ALLOWED', 'TOO_MANY_REQUESTS']);

/** Default body limit of JSON endpoints, bytes. */
export const DEFAULT_BODY_LIMIT = 64 * 1024;

/** Mounts routes on `router`; their paths are absolute (`/api/...`, `/metrics`). */
export function mountRoutes(router: Router, routes: readonly Route[], opts: MountOptions = {}): void {
  for (const r of routes) {
    const method = r.endpoint.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    // The permission is checked first, before the body is even read: a stranger cannot make the server
    // buffer a 20 MB import to be told 401. Every failure of a write, from any step, is audited once.
    router[method](
      r.endpoint.path,
      begin(r, opts),
      ...bodyParsers(r.endpoint),
      ...(r.before ?? []),
      handle(r, opts),
      auditFailure(r, opts),
    );
  }
}

/** Extra middleware of one route (after its body is parsed), e.g. a rate limit. */
export type RouteMiddleware = RequestHandler;

function bodyParsers(e: Endpoint): RequestHandler[] {
  if (!e.body) return [];
  const type = e.bodyType ?? 'application/json';
  const limit = e.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const parser = type === 'application/json' ? express.json({ limit, type }) : express.text({ limit, type });
  return [requireMediaType(type), parser];
}

/** A body of another media type than declared is refused (415) before it is read: no `text/plain` into a JSON or CSV endpoint. */
function requireMediaType(type: string): RequestHandler {
  return (req, _res, next) => {
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (hasBody && !req.is(type)) {
      next(
        new DomainError('UNSUPPORTED_MEDIA_TYPE', `send the body as ${type}`, {
          field: 'body',
          hint: `set Content-Type: ${type}${type === 'application/json' ? '' : '; charset=utf-8'}`,
        }),
      );
      return;
    }
    next();
  };
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Per-request state of the binding, kept in `res.locals` from the first step to the last. */
interface CallState {
  requestId: string;
  note: AuditNote;
}
const stateOf = (res: Response): CallState => res.locals.contract as CallState;

function entryOf(e: Endpoint, req: Request, res: Response, outcome: AuditEntry['outcome'], extra: Partial<AuditEntry>): AuditEntry {
  const { requestId, note } = stateOf(res);
  return { endpoint: e, req, requestId, principal: req.principal, outcome, body: req.body as unknown, note, ...extra };
}

/** Step 1: the request id (echoed), then the permission check. */
function begin(r: Route, opts: MountOptions): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    res.locals.contract = { requestId, note: {} } satisfies CallState;
    if (!opts.authorize) return next();
    Promise.resolve()
      .then(() => opts.authorize!(r.endpoint, req))
      .then(() => next(), next);
  };
}

/** Last step of a write that failed anywhere (permission, media type, body, rate limit, input, domain rule): one audit entry. */
function auditFailure(r: Route, opts: MountOptions): ErrorRequestHandler {
  const audited = r.endpoint.method !== 'GET' && opts.audit !== undefined;
  return (err: unknown, req, res, next) => {
    if (!audited || res.locals.contract === undefined) return next(err);
    const code = err instanceof DomainError ? err.code : bodyErrorCode(err);
    opts.audit!(entryOf(r.endpoint, req, res, REFUSALS.has(code) ? 'refused' : 'failed', { errorCode: code }))
      .catch((ae: unknown) => log.error({ err: ae, requestId: stateOf(res).requestId }, 'audit write failed'))
      .finally(() => next(err));
  };
}

/** The error code the error middleware will give a body-parser failure (errors.ts maps them the same way). */
function bodyErrorCode(err: unknown): string {
  const type = (err as { type?: string } | null)?.type;
  if (type === 'entity.too.large') return 'PAYLOAD_TOO_LARGE';
  if (type === 'entity.parse.failed') return 'BAD_REQUEST';
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return 'UNSUPPORTED_MEDIA_TYPE';
  return 'INTERNAL';
}

/** Step 3: input parsed from the declaration, the handler, the audit of a done write, the answer. */
function handle(r: Route, opts: MountOptions) {
  const e = r.endpoint;
  const names = pathParams(e.path);
  const audited = e.method !== 'GET' && opts.audit !== undefined;
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const { requestId, note } = stateOf(res);
    let reply: unknown;
    try {
      const input = {
        params: e.params ? parse(e.params, pick(req.params, names)) : undefined,
        query: e.query ? parse(e.query, req.query) : undefined,
        body: e.body ? parse(e.body, e.bodyType ? req.body : (req.body ?? {})) : undefined,
      } as EndpointInput<Endpoint>;
      reply = await r.handler(input, { req, res, requestId, principal: req.principal, audit: note });
    } catch (err) {
      next(err);
      return;
    }
    try {
      // The write is committed: an audit that cannot be written is logged loudly, not turned into an error a client would retry.
      if (audited) {
        await opts.audit!(entryOf(e, req, res, 'ok', { result: reply instanceof Answer ? (reply as Answer<unknown>).body : reply })).catch(
          (ae: unknown) =>
            log.error({ err: ae, requestId, endpoint: `${e.method} ${e.path}` }, 'audit write failed after a committed write'),
        );
      }
      send(e, reply, res, opts);
    } catch (err) {
      next(err);
    }
  };
}

function pick(params: Record<string, unknown>, names: string[]): Record<string, unknown> {
  return Object.fromEntries(names.map((n) => [n, params[n]]));
}

function parse(schema: z.ZodType, value: unknown): unknown {
  const r = schema.safeParse(value);
  if (!r.success) throw fromZod(r.error);
  return r.data;
}

function send(e: Endpoint, reply: unknown, res: Response, opts: MountOptions): void {
  const answer = reply instanceof Answer ? (reply as Answer<unknown>) : new Answer((e.success ?? [200])[0]!, reply);
  if (opts.checkResponses) {
    const declared = e.success ?? [200];
    const checked = e.response.safeParse(answer.body);
    if (!declared.includes(answer.status) || !checked.success) {
      log.error(
        { endpoint: `${e.method} ${e.path}`, status: answer.status, issues: checked.success ? [] : checked.error.issues.slice(0, 5) },
        'answer does not match its declaration',
      );
      throw new Error(`contract violation: ${e.method} ${e.path}`);
    }
  }
  for (const [k, v] of Object.entries(answer.headers)) res.setHeader(k, v);
  res.status(answer.status);
  if (answer.encoded) {
    // express answers 304 itself when the request's If-None-Match names the answer's ETag.
    res.type(e.responseType ?? 'application/json').vary('Accept-Encoding');
    if (res.req.acceptsEncodings('gzip', 'identity') === 'gzip') res.setHeader('Content-Encoding', 'gzip').send(answer.encoded.gzip);
    else res.send(answer.encoded.json);
  } else if (e.responseType) res.type(e.responseType).send(String(answer.body));
  else res.json(answer.body);
}
