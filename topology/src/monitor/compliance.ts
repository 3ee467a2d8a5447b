/**
 * Does one link meet its bandwidth target right now?
 *
 * Rule (ARCHITECTURE.md, "Targets"): a link's **measured capacity** is the lower
 * of its two ends' ifHighSpeed (IF-MIB, RFC 2863 §6, units of 10^6 bit/s), and
 * lower still its contracted bandwidth where the plan states one; it **meets its
 * target** when it is built, up and that capacity ≥ the target.
 *
 * Units: capacities and targets in **Mbps**; traffic in **bits per second**;
 * utilisation in **percent** of capacity; times in **ms since the epoch**.
 *
 * An end is *unmanaged* when nobody polls it (the provider side of the internet
 * exit, a carrier CPE): the link is judged on its managed end alone. A managed
 * end whose last poll is older than `maxAgeMs` (or that was never polled) is
 * *stale*: its speed and status are unknown, so the link cannot be claimed to
 * meet its target ("not-polled"), but a fresh end that reports the link down
 * still makes it "down" — definite news wins over missing news.
 */
import type { Device, Link } from '../plan/types';

/** ifOperStatus values, RFC 2863 §6 (https://www.rfc-editor.org/rfc/rfc2863#section-6). */
export type OperStatus = 'up' | 'down' | 'testing' | 'unknown' | 'dormant' | 'notPresent' | 'lowerLayerDown';

/** What the poller last saw on one end's interface. Every field may be missing. */
export interface EndState {
  /** ifHighSpeed, Mbps. 0 means the agent does not know (treated as missing). */
  ifHighSpeedMbps?: number;
  operStatus?: OperStatus;
  /** Received on this interface, bits per second. */
  inBps?: number;
  /** Sent from this interface, bits per second. */
  outBps?: number;
  /** When this end was last polled successfully, ms since the epoch. */
  polledAt?: number;
}

/** Measured state of a link's ends; `undefined` = no data for that end. */
export interface LinkEndsState {
  a?: EndState;
  b?: EndState;
}

/** Closed set of reasons a link does not meet its target. */
export const COMPLIANCE_REASONS = ['not-built', 'not-polled', 'down', 'below-target'] as const;
export type ComplianceReason = (typeof COMPLIANCE_REASONS)[number];

/** Operational state of a link as far as the data tells. */
export const LINK_OPER_STATES = ['not-built', 'up', 'down', 'unknown'] as const;
export type LinkOperState = (typeof LINK_OPER_STATES)[number];

export interface LinkCompliance {
  linkId: string;
  /** Mbps, from the plan. */
  targetMbps: number;
  /** Mbps, from the plan, where stated. */
  contractedMbps?: number;
  /** Measured capacity, Mbps: lowest of the fresh managed ends' ifHighSpeed and the contract. */
  capacityMbps?: number;
  /** What set the capacity: end `a`, end `b`, or the contract. */
  capacityBy?: 'a' | 'b' | 'contract';
  state: LinkOperState;
  /** Traffic as seen at the a end (the end nearer the core): `in` = from the site, `out` = toward it. bps. */
  inBps?: number;
  outBps?: number;
  /** `inBps` / `outBps` as percent of the capacity. */
  inPct?: number;
  outPct?: number;
  meetsTarget: boolean;
  /** Set exactly when `meetsTarget` is false. */
  reason?: ComplianceReason;
  /** For people: which end, what value. */
  detail?: string;
}

/** Default staleness limit: three missed 5-minute polls. */
export const DEFAULT_MAX_AGE_MS = 900_000;

export interface ComplianceOptions {
  /** The current time, ms since the epoch (injected). */
  now: number;
  /** Older polls count as missing. Default {@link DEFAULT_MAX_AGE_MS}. */
  maxAgeMs?: number;
  /** Ends nobody polls; default: both managed. */
  unmanaged?: { a?: boolean; b?: boolean };
}

/** A device the poller talks to: it has a management address and is not the provider's. */
export function isManagedDevice(device: Pick<Device, 'mgmtAddress' | 'role'>): boolean {
  return device.mgmtAddress !== undefined && device.role !== 'upstream';
}

/** Polled successfully within `maxAge` of `now`. */
function isFresh(e: EndState | undefined, now: number, maxAge: number): boolean {
  return e !== undefined && e.polledAt !== undefined && now - e.polledAt <= maxAge;
}

/** Reports a status other than up. */
function isDown(e: EndState | undefined): boolean {
  return e?.operStatus !== undefined && e.operStatus !== 'up';
}

/**
 * Judge one link.
 *
 * @example
 * linkCompliance(link, { a: { ifHighSpeedMbps: 1000, operStatus: 'up', polledAt: now },
 *                        b: { ifHighSpeedMbps: 100, operStatus: 'up', polledAt: now } }, { now })
 * // → { capacityMbps: 100, capacityBy: 'b', meetsTarget: false, reason: 'below-target', … } (target 1000)
 */
export function linkCompliance(link: Link, ends: LinkEndsState | undefined, opts: ComplianceOptions): LinkCompliance {
  if (link.status !== 'built') return verdict(link, 'not-built', 'not-built', `link ${link.id} is ${link.status}`);
  const maxAge = opts.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  // Runs for every link on every poll cycle: plain per-side flags, no intermediate arrays or closures.
  const a = ends?.a;
  const b = ends?.b;
  const aManaged = opts.unmanaged?.a !== true;
  const bManaged = opts.unmanaged?.b !== true;
  const aFresh = aManaged && isFresh(a, opts.now, maxAge);
  const bFresh = bManaged && isFresh(b, opts.now, maxAge);

  const downSide = aFresh && isDown(a) ? 'a' : bFresh && isDown(b) ? 'b' : undefined;
  if (downSide !== undefined) {
    const st = (downSide === 'a' ? a : b)!.operStatus;
    return verdict(link, 'down', 'down', `end ${downSide} reports ifOperStatus ${st}`);
  }
  const aMissing = aManaged && (!aFresh || a?.operStatus === undefined);
  const bMissing = bManaged && (!bFresh || b?.operStatus === undefined);
  if ((!aManaged && !bManaged) || aMissing || bMissing) {
    const detail =
      !aManaged && !bManaged ? 'no managed end' : `no fresh status from end ${aMissing && bMissing ? 'a and b' : aMissing ? 'a' : 'b'}`;
    return verdict(link, 'unknown', 'not-polled', detail);
  }

  // Every managed end is fresh and up. Capacity: the lowest known speed, then the contract.
  let capacityMbps: number | undefined;
  let capacityBy: LinkCompliance['capacityBy'];
  const aSpeed = aFresh ? a!.ifHighSpeedMbps : undefined;
  const bSpeed = bFresh ? b!.ifHighSpeedMbps : undefined;
  if (aSpeed !== undefined && aSpeed > 0) {
    capacityMbps = aSpeed;
    capacityBy = 'a';
  }
  if (bSpeed !== undefined && bSpeed > 0 && (capacityMbps === undefined || bSpeed < capacityMbps)) {
    capacityMbps = bSpeed;
    capacityBy = 'b';
  }
  if (link.contractedMbps !== undefined && (capacityMbps === undefined || link.contractedMbps < capacityMbps)) {
    capacityMbps = link.contractedMbps;
    capacityBy = 'contract';
  }

  const result = verdict(link, 'up');
  // Traffic seen at end a; when a has no rates, end b's mirrored (b's in is a's out).
  const inBps = (aFresh ? a!.inBps : undefined) ?? (bFresh ? b!.outBps : undefined);
  const outBps = (aFresh ? a!.outBps : undefined) ?? (bFresh ? b!.inBps : undefined);
  if (inBps !== undefined) result.inBps = inBps;
  if (outBps !== undefined) result.outBps = outBps;
  if (capacityMbps === undefined) {
    result.meetsTarget = false;
    result.reason = 'not-polled';
    result.detail = 'no end reports ifHighSpeed and no contract is stated';
    return result;
  }
  result.capacityMbps = capacityMbps;
  result.capacityBy = capacityBy!;
  const capacityBps = capacityMbps * 1e6;
  if (inBps !== undefined) result.inPct = (inBps / capacityBps) * 100;
  if (outBps !== undefined) result.outPct = (outBps / capacityBps) * 100;
  if (capacityMbps < link.targetMbps) {
    result.meetsTarget = false;
    result.reason = 'below-target';
    result.detail = `capacity ${capacityMbps} Mbps (${capacityBy}) < target ${link.targetMbps} Mbps`;
    return result;
  }
  return result;
}

/**
 * A fresh result for `link`: failing with `reason` when one is given, else
 * meeting its target (the caller fills in capacity and traffic). Built field by
 * field: object spread is the slow path of V8, and this runs per link per poll.
 */
function verdict(link: Link, state: LinkOperState, reason?: ComplianceReason, detail?: string): LinkCompliance {
  const r: LinkCompliance = { linkId: link.id, targetMbps: link.targetMbps, state, meetsTarget: reason === undefined };
  if (link.contractedMbps !== undefined) r.contractedMbps = link.contractedMbps;
  if (reason !== undefined) r.reason = reason;
  if (detail !== undefined) r.detail = detail;
  return r;
}

/**
 * Judge every link of a plan: ends on unmanaged devices ({@link isManagedDevice})
 * are judged by their managed peer. `states` is keyed by link id.
 */
export function planCompliance(
  plan: { devices: readonly Device[]; links: readonly Link[] },
  states: ReadonlyMap<string, LinkEndsState>,
  opts: Omit<ComplianceOptions, 'unmanaged'>,
): LinkCompliance[] {
  const unmanaged = unmanagedEnds(plan);
  return plan.links.map((link, k) =>
    linkCompliance(link, states.get(link.id), { now: opts.now, maxAgeMs: opts.maxAgeMs, unmanaged: unmanaged[k]! }),
  );
}

/**
 * Per link of a plan (same order), which ends are on unmanaged devices: worked out once per plan (its
 * links and devices arrays, which are not changed in place), not at every judgement of the whole plan
 * (after every poll cycle, at national size).
 */
const unmanagedOf = new WeakMap<readonly Link[], { devices: readonly Device[]; ends: ReadonlyArray<{ a: boolean; b: boolean }> }>();

function unmanagedEnds(plan: { devices: readonly Device[]; links: readonly Link[] }): ReadonlyArray<{ a: boolean; b: boolean }> {
  const kept = unmanagedOf.get(plan.links);
  if (kept?.devices === plan.devices && kept.ends.length === plan.links.length) return kept.ends;
  const managed = new Map(plan.devices.map((d) => [d.hostname, isManagedDevice(d)]));
  const ends = plan.links.map((l) => ({ a: managed.get(l.a.device) === false, b: managed.get(l.b.device) === false }));
  unmanagedOf.set(plan.links, { devices: plan.devices, ends });
  return ends;
}
