/**
 * Which county-level unit a site hangs under on the network: the `parent` chain,
 * not `legalCounty` (a township of a functional zone hangs under the zone,
 * whatever its legal county).
 */
import type { Site } from '../plan/types';

/** Longest `parent` walk from a site to its county-level unit; the hierarchy has three tiers, so this only stops cycles. */
const MAX_PARENT_STEPS = 16;

/** Site code → its county-level unit on the network (itself for a county); the city, orphans and cycles give `undefined`. */
export function countyResolver(sites: readonly Site[]): (code: string) => string | undefined {
  const byCode = new Map(sites.map((s) => [s.code, s]));
  return (code) => {
    let s = byCode.get(code);
    for (let steps = 0; s !== undefined && s.tier !== 'county' && steps < MAX_PARENT_STEPS; steps++) {
      s = s.parent === undefined ? undefined : byCode.get(s.parent);
    }
    return s?.tier === 'county' ? s.code : undefined;
  };
}
