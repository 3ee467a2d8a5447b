import type {
  ApiErrorBody, CoverageView, DeviceStatus, LinkRow, LinkUtilization, LookupResult, Page, PrefixRow, PrefixUtilization,
  SiteDetail, SiteRow, Topology,
} from './types';

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

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json' }, ...(signal && { signal }) });
  if (res.ok) return (await res.json()) as T;
  let body: Partial<ApiErrorBody> = {};
  try {
    body = (await res.json()) as ApiErrorBody;
  } catch {
    // not JSON: a proxy or a static 404 page
  }
  throw new ApiError(res.status, body.error?.code ?? `HTTP_${res.status}`, body.error?.message ?? res.statusText, body.error?.hint);
}

/** `undefined` on 404 (a feature that is not mounted, an unknown id); other errors throw. */
async function getOptional<T>(path: string, signal?: AbortSignal): Promise<T | undefined> {
  try {
    return await getJson<T>(path, signal);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return undefined;
    throw e;
  }
}

const q = (params: Record<string, string | undefined>) => {
  const s = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined)).toString();
  return s ? `?${s}` : '';
};
const seg = encodeURIComponent;

/** The backend's HTTP API, one function per endpoint the UI uses. */
export const api = {
  topology: (signal?: AbortSignal) => getJson<Topology>('/api/topology', signal),
  sites: (signal?: AbortSignal) => getJson<Page<SiteRow>>('/api/sites', signal),
  site: (code: string, signal?: AbortSignal) => getJson<SiteDetail>(`/api/sites/${seg(code)}`, signal),
  links: (signal?: AbortSignal) => getJson<Page<LinkRow>>('/api/links', signal),
  /** `undefined` when the monitoring API is not mounted: the UI then shows plan-only status. */
  coverage: (signal?: AbortSignal) => getOptional<CoverageView>('/api/coverage', signal),
  /** Last 24 h by default; `undefined` when monitoring is not mounted. */
  utilization: (linkId: string, signal?: AbortSignal) => getOptional<LinkUtilization>(`/api/links/${seg(linkId)}/utilization`, signal),
  deviceStatus: (hostname: string, signal?: AbortSignal) => getOptional<DeviceStatus>(`/api/devices/${seg(hostname)}/status`, signal),
  prefixes: (filter: { vrf?: string; role?: string; parent?: string; site?: string }, signal?: AbortSignal) =>
    getJson<Page<PrefixRow>>(`/api/ipam/prefixes${q(filter)}`, signal),
  prefix: (vrf: string, cidr: string, signal?: AbortSignal) => getJson<PrefixRow>(`/api/ipam/prefix${q({ vrf, cidr })}`, signal),
  prefixUtilization: (vrf: string, cidr: string, signal?: AbortSignal) =>
    getJson<PrefixUtilization>(`/api/ipam/utilization${q({ vrf, cidr })}`, signal),
  lookup: (address: string, signal?: AbortSignal) => getJson<LookupResult>(`/api/ipam/lookup${q({ address })}`, signal),
};
