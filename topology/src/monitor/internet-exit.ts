/**
 * The city's internet exit as coverage sees it: its exit links, how many are up,
 * their capacity, and whether the exit meets its target and is redundant.
 */
import type { Link } from '../plan/types';
import type { LinkCompliance } from './compliance';
import type { InternetExitStatus } from './coverage';

/**
 * Status of the internet exit. An exit link without a compliance result counts as
 * not polled. Meets target when any exit meets its own; redundant when ≥ 2 are up.
 * `stateOf[i]` is the compliance of `links[i]`. Capacities in Mbps.
 */
export function internetExit(links: readonly Link[], stateOf: ReadonlyArray<LinkCompliance | undefined>): InternetExitStatus {
  const results: LinkCompliance[] = [];
  links.forEach((l, i) => {
    if (l.kind !== 'internet-exit') return;
    results.push(stateOf[i] ?? { linkId: l.id, targetMbps: l.targetMbps, state: 'unknown', meetsTarget: false, reason: 'not-polled' });
  });
  const up = results.filter((r) => r.state === 'up');
  return {
    links: results,
    up: up.length,
    capacityMbps: up.reduce((sum, r) => sum + (r.capacityMbps ?? 0), 0),
    meetsTarget: results.some((r) => r.meetsTarget),
    redundant: up.length >= 2,
  };
}
