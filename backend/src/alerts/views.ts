import {
  describeAlert,
  isManagedDevice,
  silenceActive,
  silencesOf,
  type AlertEventView,
  type AlertRecord,
  type AlertSnapshot,
  type AlertView,
  type LinkCompliance,
  type Plan,
  type Silence,
  type SilenceView,
  type SnapshotLink,
} from '@extranet/topology';
import type { AlertEventRow } from './store';
/**
 * The alerts feature's pure parts around the engine: the snapshot it evaluates
 * (the plan, the link states and the device statuses as one value) and the
 * views the API answers with.
 */

/** The parts of the snapshot that come from the plan alone, made once per plan (plans are not changed in place). */
const planParts = new WeakMap<Plan, Pick<AlertSnapshot, 'sites' | 'devices' | 'core'>>();

function planPartsOf(plan: Plan): Pick<AlertSnapshot, 'sites' | 'devices' | 'core'> {
  let parts = planParts.get(plan);
  if (parts === undefined) {
    parts = {
      sites: plan.sites.map((s) => ({ code: s.code, name: s.name, tier: s.tier, ...(s.parent !== undefined && { parent: s.parent }) })),
      devices: plan.devices.map((d) => ({ hostname: d.hostname, site: d.site, role: d.role, managed: isManagedDevice(d) })),
      core: coreOf(plan),
    };
    planParts.set(plan, parts);
  }
  return parts;
}

/**
 * The whole stored network as the engine evaluates it. `linkStates` are usually in the plan's order
 * (`planCompliance`), and are then taken by position. Each link is built property by property (object
 * spread is V8's slow path; this runs for every link at every evaluation).
 */
export function alertSnapshot(
  plan: Plan,
  linkStates: readonly LinkCompliance[],
  extra: { deviceStatus: Map<string, string>; errorsPerSec: Map<string, number> },
): AlertSnapshot {
  let byId: Map<string, LinkCompliance> | undefined;
  const stateOf = (id: string, k: number): LinkCompliance | undefined => {
    if (linkStates[k]?.linkId === id) return linkStates[k];
    byId ??= new Map(linkStates.map((c) => [c.linkId, c]));
    return byId.get(id);
  };
  return {
    ...planPartsOf(plan),
    links: plan.links.map((l, k) => {
      const c = stateOf(l.id, k);
      const link: SnapshotLink = {
        id: l.id,
        kind: l.kind,
        status: l.status,
        a: { device: l.a.device },
        b: { device: l.b.device },
        state: c?.state ?? 'unknown',
        meetsTarget: c?.meetsTarget ?? false,
        targetMbps: l.targetMbps,
      };
      if (c?.reason !== undefined) link.reason = c.reason;
      if (c?.capacityMbps !== undefined) link.capacityMbps = c.capacityMbps;
      if (c?.inPct !== undefined) link.inPct = c.inPct;
      if (c?.outPct !== undefined) link.outPct = c.outPct;
      const errors = extra.errorsPerSec.get(l.id);
      if (errors !== undefined) link.errorsPerSec = errors;
      return link;
    }),
    deviceStatus: extra.deviceStatus,
  };
}

/** An alert as the API shows it: times as ISO strings, sites with their names, the silences that hold it. */
export function alertView(a: AlertRecord, silences: readonly Silence[], now: number, siteName: (code: string) => string): AlertView {
  const iso = (t: number | undefined) => (t === undefined ? null : new Date(t).toISOString());
  const site = (code: string) => ({ code, name: siteName(code) });
  return {
    key: a.key,
    rule: a.rule,
    kind: a.kind,
    severity: a.severity,
    subject: a.subject,
    state: a.state,
    since: new Date(a.since).toISOString(),
    firedAt: iso(a.firedAt),
    resolvedAt: iso(a.resolvedAt),
    value: a.value ?? null,
    summary: describeAlert(a, siteName),
    cutOff: a.cutOff.map(site),
    degraded: a.degraded.map(site),
    suppressedBy: a.suppressedBy,
    flapping: a.flapping,
    silencedBy: silencesOf(a.labels, silences, now),
    labels: a.labels,
    ack: a.ack ? { by: a.ack.by, at: new Date(a.ack.at).toISOString(), note: a.ack.note } : null,
  };
}

const CORE_ROLES = new Set(['core', 'backup-core']);

/** The city site's core and backup-core devices (as coverage defines the core). */
function coreOf(plan: Plan): string[] {
  const city = plan.sites.find((s) => s.tier === 'city')?.code;
  return plan.devices.filter((d) => d.site === city && CORE_ROLES.has(d.role)).map((d) => d.hostname);
}

export function silenceView(s: Silence, now: number): SilenceView {
  return {
    id: s.id,
    matchers: s.matchers.map((m) => ({ name: m.name, value: m.value, isRegex: m.isRegex ?? false, isEqual: m.isEqual ?? true })),
    startsAt: new Date(s.startsAt).toISOString(),
    endsAt: new Date(s.endsAt).toISOString(),
    createdBy: s.createdBy,
    createdAt: new Date(s.createdAt).toISOString(),
    comment: s.comment,
    expiredBy: s.expiredBy ?? null,
    active: silenceActive(s, now),
  };
}

export function eventView(e: AlertEventRow): AlertEventView {
  return {
    key: e.key,
    rule: e.rule,
    severity: e.severity as AlertEventView['severity'],
    subject: { kind: e.subjectKind as AlertEventView['subject']['kind'], id: e.subjectId },
    from: e.from as AlertEventView['from'],
    to: e.to as AlertEventView['to'],
    at: new Date(e.at).toISOString(),
    summary: e.summary,
    suppressed: e.suppressed,
    cutOff: e.cutOff,
  };
}
