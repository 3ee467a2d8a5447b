/**
 * Hash routes: `#/topology`, `#/coverage`, `#/ops`, `#/alerts`, `#/ipam`, `#/audit`, each with optional
 * query parameters (`#/topology?site=441302`, `#/ipam?vrf=public&cidr=10.64.0.0/11`,
 * `#/audit?actor=zhang.wei`).
 * Anything else is the topology map, the default view.
 */
export const VIEWS = ['topology', 'coverage', 'ops', 'alerts', 'ipam', 'audit'] as const;
export type ViewName = (typeof VIEWS)[number];

export interface Route {
  view: ViewName;
  params: Record<string, string>;
}

/** @example parseHash('#/ipam?vrf=public') // → { view: 'ipam', params: { vrf: 'public' } } */
export function parseHash(hash: string): Route {
  const body = hash.replace(/^#\/?/, '');
  const q = body.indexOf('?');
  const path = q === -1 ? body : body.slice(0, q);
  const view = VIEWS.find((v) => v === path.replace(/\/+$/, '')) ?? 'topology';
  const params = Object.fromEntries(new URLSearchParams(q === -1 ? '' : body.slice(q + 1)));
  return { view, params };
}

/** @example hrefOf('topology', { site: '441302' }) // → '#/topology?site=441302' */
export function hrefOf(view: ViewName, params: Record<string, string | undefined> = {}): string {
  const qs = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')).toString();
  return `#/${view}${qs ? `?${qs}` : ''}`;
}
