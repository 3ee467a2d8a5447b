// By path, not through @extranet/topology's index: the UI needs the declarations, not the CIDR core or the plan validator.
import { fillPath, ipamApi, monitorApi, planApi, systemApi, type ApiErrorBody, type ClientInput, type Endpoint, type ResponseOf } from '../../../topology/src/api';

/** An answer other than 2xx, with the API's stable error code (or HTTP_<status> when the body is not the API's). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * Calls a declared endpoint (topology/src/api): the path, query and body are
 * typed by its declaration, and so is the answer — the browser has no response
 * types of its own.
 */
export async function call<E extends Endpoint>(e: E, input: ClientInput<E>, signal?: AbortSignal): Promise<ResponseOf<E>> {
  const { params, query, body } = input as { params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown };
  const search = new URLSearchParams(
    Object.entries(query ?? {})
      .filter((kv) => kv[1] !== undefined)
      .map(([k, v]) => [k, String(v)]),
  ).toString();
  const url = `${fillPath(e.path, params)}${search ? `?${search}` : ''}`;
  const res = await fetch(url, {
    method: e.method,
    headers: { accept: 'application/json', ...(body !== undefined && { 'content-type': e.bodyType ?? 'application/json' }) },
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
  throw new ApiError(res.status, err.error?.code ?? `HTTP_${res.status}`, err.error?.message ?? res.statusText, err.error?.hint);
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

/** The endpoints the UI uses, by name. */
export const api = {
  /** Service status; `lab: true` when the server polls simulated routers (the UI then shows the lab banner). */
  health: (signal?: AbortSignal) => call(systemApi.health, {}, signal),
  topology: (signal?: AbortSignal) => call(planApi.getTopology, {}, signal),
  sites: (signal?: AbortSignal) => call(planApi.listSites, {}, signal),
  site: (code: string, signal?: AbortSignal) => call(planApi.getSite, { params: { code } }, signal),
  links: (signal?: AbortSignal) => call(planApi.listLinks, {}, signal),
  /** `undefined` when the monitoring API is not mounted: the UI then shows plan-only status. */
  coverage: (signal?: AbortSignal) => optional(call(monitorApi.getCoverage, {}, signal)),
  /** Last 24 h by default; `undefined` when monitoring is not mounted. */
  utilization: (linkId: string, signal?: AbortSignal) => optional(call(monitorApi.getLinkUtilization, { params: { id: linkId } }, signal)),
  deviceStatus: (hostname: string, signal?: AbortSignal) => optional(call(monitorApi.getDeviceStatus, { params: { hostname } }, signal)),
  prefixes: (filter: { vrf?: string; role?: string; parent?: string; site?: string }, signal?: AbortSignal) =>
    call(ipamApi.listPrefixes, { query: filter }, signal),
  prefix: (vrf: string, cidr: string, signal?: AbortSignal) => call(ipamApi.getPrefix, { query: { vrf, cidr } }, signal),
  prefixUtilization: (vrf: string, cidr: string, signal?: AbortSignal) => call(ipamApi.getUtilization, { query: { vrf, cidr } }, signal),
  lookup: (address: string, signal?: AbortSignal) => call(ipamApi.lookup, { query: { address } }, signal),
};
