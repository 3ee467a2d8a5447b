// By path, not through @extranet/topology's index: the UI needs the declarations, not the CIDR core or the plan validator.
import {
  authApi,
  coverageHistoryApi,
  fillPath,
  ipamApi,
  monitorApi,
  planApi,
  systemApi,
  type ApiErrorBody,
  type ClientInput,
  type Endpoint,
  type Me,
  type ResponseOf,
} from '../../../topology/src/api';

/** An answer other than 2xx, with the API's stable error code (or HTTP_<status> when the body is not the API's). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint?: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * The CSRF token of this page's cookie session, from the last login or `me`
 * answer: sent as `X-CSRF-Token` on every request that is not a GET (the API
 * refuses a cookie-authenticated write without it, 403 `CSRF`). Kept in memory
 * only, never in storage.
 */
let csrfToken: string | null = null;

/** Told when an answer says the session is over (expired, revoked, logged out elsewhere). */
const sessionEndListeners = new Set<() => void>();

/** Calls `listener` on every 401 of a call that needs a session; returns the unsubscribe. */
export function onSessionEnd(listener: () => void): () => void {
  sessionEndListeners.add(listener);
  return () => sessionEndListeners.delete(listener);
}

/**
 * Whether a 401 means "no session" rather than "wrong password": the login
 * refuses a wrong password with a 401, and so does the password change (naming
 * the field `current`); every other 401 is the session's end.
 */
function endsSession(e: Endpoint, err: ApiError): boolean {
  if (err.status !== 401 || e === authApi.login) return false;
  return !(e === authApi.changePassword && err.field === 'current');
}

/** The URL of a declared endpoint with its path parameters and query (undefined values left out). */
export function urlOf<E extends Endpoint>(e: E, input: ClientInput<E>): string {
  const { params, query } = input as { params?: Record<string, string>; query?: Record<string, unknown> };
  const search = new URLSearchParams(
    Object.entries(query ?? {})
      .filter((kv) => kv[1] !== undefined)
      .map(([k, v]) => [k, String(v)]),
  ).toString();
  return `${fillPath(e.path, params)}${search ? `?${search}` : ''}`;
}

/**
 * Calls a declared endpoint (topology/src/api): the path, query and body are
 * typed by its declaration, and so is the answer — the browser has no response
 * types of its own. Writes carry the session's CSRF token; a 401 tells the
 * session-end listeners (the app shows the login page) and still throws.
 */
export async function call<E extends Endpoint>(e: E, input: ClientInput<E>, signal?: AbortSignal): Promise<ResponseOf<E>> {
  const { body } = input as { body?: unknown };
  const res = await fetch(urlOf(e, input), {
    method: e.method,
    credentials: 'same-origin',
    headers: {
      accept: 'application/json',
      ...(body !== undefined && { 'content-type': e.bodyType ?? 'application/json' }),
      ...(e.method !== 'GET' && csrfToken !== null && { 'x-csrf-token': csrfToken }),
    },
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    ...(signal && { signal }),
  });
  if (res.ok) return (e.responseType ? await res.text() : await res.json()) as ResponseOf<E>;
  let err: Partial<ApiErrorBody> = {};
  try {
    err = (await res.json()) as ApiErrorBody;
  } catch {
    // not JSON: a proxy or a static 404 page
  }
  const error = new ApiError(
    res.status,
    err.error?.code ?? `HTTP_${res.status}`,
    err.error?.message ?? res.statusText,
    err.error?.hint,
    err.error?.field,
  );
  if (endsSession(e, error)) {
    csrfToken = null;
    for (const l of sessionEndListeners) l();
  }
  throw error;
}

/** `undefined` on 404 (a feature that is not mounted, an unknown id); other errors throw. */
async function optional<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return undefined;
    throw e;
  }
}

/** Keeps the CSRF token of a login or `me` answer for the writes that follow. */
function remember(me: Me): Me {
  csrfToken = me.csrfToken;
  return me;
}

type AllocateBody = ClientInput<typeof ipamApi.allocate>['body'];
type ReserveBody = ClientInput<typeof ipamApi.reserve>['body'];
type ReleaseBody = ClientInput<typeof ipamApi.release>['body'];
type AuditFilter = NonNullable<ClientInput<typeof authApi.listAudit>['query']>;

/** The endpoints the UI uses, by name. */
export const api = {
  /** Service status; `lab: true` when the server polls simulated routers (the UI then shows the lab banner). */
  health: (signal?: AbortSignal) => call(systemApi.health, {}, signal),
  topology: (signal?: AbortSignal) => call(planApi.getTopology, {}, signal),
  plan: (signal?: AbortSignal) => call(planApi.getPlanInfo, {}, signal),
  sites: (signal?: AbortSignal) => call(planApi.listSites, {}, signal),
  site: (code: string, signal?: AbortSignal) => call(planApi.getSite, { params: { code } }, signal),
  links: (signal?: AbortSignal) => call(planApi.listLinks, {}, signal),
  /** `undefined` when the monitoring API is not mounted: the UI then shows plan-only status. */
  coverage: (signal?: AbortSignal) => optional(call(monitorApi.getCoverage, {}, signal)),
  /** Daily coverage snapshots, oldest first (default: every day kept). */
  coverageHistory: (query: { from?: string; to?: string } = {}, signal?: AbortSignal) =>
    call(coverageHistoryApi.getCoverageHistory, { query }, signal),
  /** Last 24 h by default; `undefined` when monitoring is not mounted. */
  utilization: (linkId: string, signal?: AbortSignal, range?: { from: string; to: string }) =>
    optional(call(monitorApi.getLinkUtilization, { params: { id: linkId }, ...(range && { query: range }) }, signal)),
  deviceStatus: (hostname: string, signal?: AbortSignal) => optional(call(monitorApi.getDeviceStatus, { params: { hostname } }, signal)),
  speedMismatches: (signal?: AbortSignal) => call(monitorApi.getSpeedMismatches, {}, signal),
  prefixes: (filter: { vrf?: string; role?: string; parent?: string; site?: string }, signal?: AbortSignal) =>
    call(ipamApi.listPrefixes, { query: filter }, signal),
  prefix: (vrf: string, cidr: string, signal?: AbortSignal) => call(ipamApi.getPrefix, { query: { vrf, cidr } }, signal),
  prefixUtilization: (vrf: string, cidr: string, signal?: AbortSignal) => call(ipamApi.getUtilization, { query: { vrf, cidr } }, signal),
  lookup: (address: string, signal?: AbortSignal) => call(ipamApi.lookup, { query: { address } }, signal),
  allocate: (body: AllocateBody) => call(ipamApi.allocate, { body }),
  reserve: (body: ReserveBody) => call(ipamApi.reserve, { body }),
  release: (body: ReleaseBody) => call(ipamApi.release, { body }),

  /** Sets the session cookie; the answer's CSRF token is kept for the writes that follow. */
  login: async (username: string, password: string) => remember(await call(authApi.login, { body: { username, password } })),
  logout: async () => {
    try {
      return await call(authApi.logout, {});
    } finally {
      csrfToken = null;
    }
  },
  /** Who is logged in (401 when nobody is); keeps the session's CSRF token. */
  me: async (signal?: AbortSignal) => remember(await call(authApi.me, {}, signal)),
  changePassword: (current: string, next: string) => call(authApi.changePassword, { body: { current, next } }),
  audit: (filter: AuditFilter, signal?: AbortSignal) => call(authApi.listAudit, { query: filter }, signal),
  /** The audit as CSV with the same filters, for a download link (the cookie goes with it). */
  auditCsvUrl: (filter: AuditFilter) => urlOf(authApi.exportAudit, { query: filter }),
};
