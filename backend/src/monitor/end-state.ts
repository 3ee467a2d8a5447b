import type { EndState, Link, OperStatus } from '@extranet/topology';

/**
 * The measured properties the poller keeps on an `(:Interface)` node, and
 * their translation into the pure core's {@link EndState}. Names differ from
 * the plan's `speedMbps` (the nominal port speed, owned by the plan import) on
 * purpose: the measured speed is `ifHighSpeedMbps`.
 */
export interface InterfaceStateProps {
  /** ifHighSpeed, Mbps; 0 = unknown. */
  ifHighSpeedMbps?: number | null;
  operStatus?: string | null;
  /** bps over the last accepted interval; null when that interval was rejected. */
  inBps?: number | null;
  outBps?: number | null;
  /** Last successful read, ms since the epoch. */
  lastPolled?: number | null;
}

/** The keys of {@link InterfaceStateProps}. */
export const INTERFACE_STATE_KEYS = ['ifHighSpeedMbps', 'operStatus', 'inBps', 'outBps', 'lastPolled'] as const;

/** Cypher map projection of {@link InterfaceStateProps}, for `RETURN i {…}`. */
export const INTERFACE_STATE_FIELDS = INTERFACE_STATE_KEYS.map((k) => `.${k}`).join(', ');

export function endStateOf(p: InterfaceStateProps | null | undefined): EndState | undefined {
  if (!p || p.lastPolled == null) return undefined;
  return {
    polledAt: p.lastPolled,
    ...(p.ifHighSpeedMbps != null && p.ifHighSpeedMbps > 0 && { ifHighSpeedMbps: p.ifHighSpeedMbps }),
    ...(p.operStatus != null && { operStatus: p.operStatus as OperStatus }),
    ...(p.inBps != null && { inBps: p.inBps }),
    ...(p.outBps != null && { outBps: p.outBps }),
  };
}

/** A link row as stored (null for absent optionals), as the plan type. Ends are only named. */
export interface LinkRowProps {
  id: string;
  kind: Link['kind'];
  tier: Link['tier'];
  targetMbps: number;
  contractedMbps?: number | null;
  status: Link['status'];
}

export function linkOf(row: LinkRowProps, a: Link['a'], b: Link['b']): Link {
  return {
    id: row.id,
    kind: row.kind,
    tier: row.tier,
    targetMbps: row.targetMbps,
    status: row.status,
    a,
    b,
    ...(row.contractedMbps != null && { contractedMbps: row.contractedMbps }),
  };
}
