import { alertKey, conditions, type Condition } from './conditions';
import { analyseDependencies, elementKey, type DependencyAnalysis } from './dependency';
import type { AlertRules } from './rules';
import type { AlertSnapshot } from './snapshot';
import type { AlertChange, AlertRecord, AlertState, AlertStateName, AlertSubject } from './types';

/**
 * One evaluation after a whole poll cycle: conditions → dependencies
 * (suppression, cut-off sites) → lifecycle (pending → firing → resolved, with
 * each rule's `for`) → flapping. Pure: the previous state, the snapshot, the
 * rules and the clock's `now` in; the next state and the changes out. Inputs
 * in any order give the same result (everything is keyed and sorted).
 */
export interface Evaluation {
  state: AlertState;
  /** State changes in this evaluation, sorted by key. */
  changes: AlertChange[];
  dependencies: DependencyAnalysis;
}

/** Rules whose alerts stand for a failure in the graph: only their alerts suppress others. */
const CAUSE_KINDS = new Set(['link-down', 'device-unreachable']);

export function evaluateAlerts(prev: AlertState, snap: AlertSnapshot, rules: AlertRules, now: number): Evaluation {
  const dep = analyseDependencies(snap);
  const held = conditions(snap, dep, rules.rules, (key) => prev.alerts.has(key));
  const byKey = new Map<string, Condition>(held.map((c) => [alertKey(c.rule.name, c.subject), c]));

  // Failures that alert (pending or firing, this evaluation): only they may suppress.
  const alertingCauses = new Set<string>();
  for (const c of held) if (CAUSE_KINDS.has(c.rule.kind)) alertingCauses.add(subjectElementKey(c.subject));

  const alerts = new Map<string, AlertRecord>();
  const flaps = new Map<string, number[]>();
  const changes: AlertChange[] = [];
  const site = siteLookup(snap);
  const keys = [...new Set([...byKey.keys(), ...prev.alerts.keys(), ...prev.flaps.keys()])]
    .filter((k) => !k.startsWith('flapping|'))
    .sort();

  for (const key of keys) {
    const c = byKey.get(key);
    const before = prev.alerts.get(key);
    // Flapping: count condition changes within the window.
    const times = (prev.flaps.get(key) ?? []).filter((t) => now - t < rules.flapping.windowMs);
    if (Boolean(c) !== Boolean(before)) times.push(now);
    if (times.length) flaps.set(key, times);
    const isFlapping = times.length > rules.flapping.changes;

    if (c) {
      const { subject } = c;
      const suppressedBy = suppression(subject, dep, alertingCauses);
      const cause = dep.causes.get(subjectElementKey(subject));
      const rootOwn = CAUSE_KINDS.has(c.rule.kind) && cause;
      const since = before?.since ?? now;
      const state: AlertStateName = before?.state === 'firing' || now - since >= c.rule.forMs ? 'firing' : 'pending';
      const next: AlertRecord = {
        key,
        rule: c.rule.name,
        kind: c.rule.kind,
        severity: c.rule.severity,
        subject,
        state,
        since,
        ...(state === 'firing' && { firedAt: before?.firedAt ?? now }),
        updatedAt: now,
        ...(c.value !== undefined && { value: c.value }),
        cutOff: rootOwn ? cause.cutOff : [],
        degraded: rootOwn ? cause.degraded : [],
        suppressedBy,
        flapping: isFlapping,
        labels: labelsOf(c.rule.name, c.rule.severity, c.rule.kind, subject, site),
        ...(before?.ack && { ack: before.ack }),
      };
      alerts.set(key, next);
      if (!before || before.state !== state) changes.push({ key, from: before?.state ?? 'inactive', to: state, at: now, alert: next });
    } else if (before) {
      const resolved: AlertRecord = { ...before, state: 'resolved', resolvedAt: now, updatedAt: now, flapping: isFlapping };
      changes.push({ key, from: before.state, to: 'resolved', at: now, alert: resolved });
    }

    // One flapping notice per flapping alert, for as long as it keeps flapping.
    const fkey = `flapping|${key}`;
    const fBefore = prev.alerts.get(fkey);
    if (isFlapping) {
      const base = alerts.get(key) ?? prev.alerts.get(key);
      const subject = base?.subject ?? subjectOfKey(key);
      const next: AlertRecord = {
        key: fkey,
        rule: 'flapping',
        kind: 'flapping',
        severity: base?.severity ?? 'warning',
        subject,
        state: 'firing',
        since: fBefore?.since ?? now,
        firedAt: fBefore?.firedAt ?? now,
        updatedAt: now,
        value: times.length,
        cutOff: [],
        degraded: [],
        // The notice of a suppressed alert is suppressed with it.
        suppressedBy: base?.suppressedBy ?? [],
        flapping: false,
        labels: { ...labelsOf('flapping', base?.severity ?? 'warning', 'flapping', subject, site), flapping: key.split('|')[0]! },
        ...(fBefore?.ack && { ack: fBefore.ack }),
      };
      alerts.set(fkey, next);
      if (!fBefore) changes.push({ key: fkey, from: 'inactive', to: 'firing', at: now, alert: next });
    } else if (fBefore) {
      changes.push({
        key: fkey,
        from: 'firing',
        to: 'resolved',
        at: now,
        alert: { ...fBefore, state: 'resolved', resolvedAt: now, updatedAt: now },
      });
    }
  }
  changes.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  return { state: { alerts, flaps }, changes, dependencies: dep };
}

/** The alerting causes that hide this subject's alert (empty: not suppressed). */
function suppression(subject: AlertSubject, dep: DependencyAnalysis, alerting: ReadonlySet<string>): string[] {
  const own = subjectElementKey(subject);
  if (dep.causes.has(own)) return []; // a root cause is never hidden
  let causes: string[] = [];
  if (subject.kind === 'site') causes = dep.unreached.get(subject.id) ?? dep.backupLost.get(subject.id) ?? [];
  else if (dep.behind.has(own)) causes = dep.behind.get(own)!;
  else if (subject.kind === 'device' && !dep.reachedDevices.has(subject.id)) causes = dep.deviceCauses(subject.id);
  else if (subject.kind === 'link') causes = dep.linkCauses(subject.id);
  return causes.filter((k) => alerting.has(k));
}

function subjectElementKey(s: AlertSubject): string {
  return s.kind === 'site'
    ? `site:${s.id}`
    : elementKey(s.kind === 'link' ? { kind: 'link', id: s.id } : { kind: 'device', hostname: s.id });
}

function subjectOfKey(key: string): AlertSubject {
  const [kind, ...id] = key.split('|')[1]!.split(':');
  return { kind: kind as AlertSubject['kind'], id: id.join(':') };
}

function siteLookup(snap: AlertSnapshot) {
  const deviceSite = new Map(snap.devices.map((d) => [d.hostname, d.site]));
  const linkSite = new Map(snap.links.map((l) => [l.id, deviceSite.get(l.b.device)]));
  const parent = new Map(snap.sites.map((s) => [s.code, s]));
  const county = (code: string | undefined): string | undefined => {
    for (let s = code === undefined ? undefined : parent.get(code); s; s = s.parent ? parent.get(s.parent) : undefined) {
      if (s.tier === 'county') return s.code;
    }
    return undefined;
  };
  return (s: AlertSubject): { site?: string; county?: string } => {
    const code = s.kind === 'site' ? s.id : s.kind === 'device' ? deviceSite.get(s.id) : linkSite.get(s.id);
    const c = county(code);
    return { ...(code !== undefined && { site: code }), ...(c !== undefined && { county: c }) };
  };
}

function labelsOf(
  rule: string,
  severity: string,
  kind: string,
  subject: AlertSubject,
  site: (s: AlertSubject) => { site?: string; county?: string },
): Record<string, string> {
  return { alertname: rule, severity, kind, [subject.kind]: subject.id, ...site(subject) };
}
