/**
 * The plan's port speed against what the router reports (ifHighSpeed, Mbps). A
 * port planned at 1000 Mbps that reports 100 is a finding: a wrong optic, a
 * wrong negotiation, or a wrong record. Both must be known (> 0): an agent that
 * reports no speed (0) is not a mismatch, it is unknown.
 */

export interface SpeedMismatch {
  planMbps: number;
  reportedMbps: number;
  /** reported < plan: the port is slower than planned (the usual finding); `faster`: the record is likely stale. */
  direction: 'slower' | 'faster';
}

/**
 * @example speedMismatch(1000, 100) // → { planMbps: 1000, reportedMbps: 100, direction: 'slower' }
 * @example speedMismatch(1000, 1000) // → undefined
 * @example speedMismatch(1000, 0) // → undefined (the agent does not know)
 */
export function speedMismatch(planMbps: number | null | undefined, reportedMbps: number | null | undefined): SpeedMismatch | undefined {
  if (!planMbps || !reportedMbps || !(planMbps > 0) || !(reportedMbps > 0) || planMbps === reportedMbps) return undefined;
  return { planMbps, reportedMbps, direction: reportedMbps < planMbps ? 'slower' : 'faster' };
}
