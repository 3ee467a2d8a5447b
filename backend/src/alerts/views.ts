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
} from '@extranet/topology';
import type { AlertEventRow } from './store';
/**
 * The alerts feature's pure parts around the engine: the snapshot it evaluates
 * (the plan, the link states and the device statuses as one value) and the
 * views the API answers with.
 */

/** The whole stored network as the engine evaluates it. */
export function alertSnapshot(
  plan: Plan,
  linkStates: readonly LinkCompliance[],
  extra: { deviceStatus: Map<string, string>; errorsPerSec: Map<string, number> },
): AlertSnapshot {
  const state = new Map(linkStates.map((c) => [c.linkId, c]));
  return {
    sites: plan.sites.map((s) => ({ code: s.code, name: s.name, tier: s.tier, ...(s.parent !== undefined && { parent: s.parent }) })),
    devices: plan.devices.map((d) => ({ hostname: d.hostname, site: d.site, role: d.role, managed: isManagedDevice(d) })),
    links: plan.links.map((l) => {
      const c = state.get(l.id);
      return {
        id: l.id,
        kind: l.kind,
        status: l.status,
        a: { device: l.a.device },
        b: { device: l.b.device },
        state: c?.state ?? 'unknown',
        meetsTarget: c?.meetsTarget ?? false,
        ...(c?.reason !== undefined && { reason: c.reason }),
        targetMbps: l.targetMbps,
        ...(c?.capacityMbps !== undefined && { capacityMbps: c.capacityMbps }),
        ...(c?.inPct !== undefined && { inPct: c.inPct }),
        ...(c?.outPct !== undefined && { outPct: c.outPct }),
        ...(extra.errorsPerSec.has(l.id) && { errorsPerSec: extra.errorsPerSec.get(l.id)! }),
      };
    }),
    deviceStatus: extra.deviceStatus,
    core: coreOf(plan),
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
