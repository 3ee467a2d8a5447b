import type { AlertRule } from './rules';
import type { DependencyAnalysis } from './dependency';
import { UNREACHABLE_STATUSES, type AlertSnapshot, type SnapshotLink } from './snapshot';
import type { AlertSubject } from './types';

/** A rule's condition holding on one subject in this evaluation. */
export interface Condition {
  rule: AlertRule;
  subject: AlertSubject;
  value?: number;
}

/**
 * Every rule's condition on every subject of the snapshot, in a fixed order
 * (rules in file order, subjects sorted by id). `wasActive(key)` tells whether
 * the alert was pending or firing before: utilization clears only below its
 * lower threshold (hysteresis), and a link with no reading keeps its state.
 */
export function conditions(
  snap: AlertSnapshot,
  dep: DependencyAnalysis,
  rules: readonly AlertRule[],
  wasActive: (key: string) => boolean,
): Condition[] {
  const links = snap.links.filter((l) => l.status === 'built').sort((x, y) => cmp(x.id, y.id));
  const out: Condition[] = [];
  const onLinks = (rule: AlertRule, test: (l: SnapshotLink, key: string) => number | boolean | undefined) => {
    for (const l of links) {
      const subject = { kind: 'link' as const, id: l.id };
      const r = test(l, alertKey(rule.name, subject));
      if (r === true) out.push({ rule, subject });
      else if (typeof r === 'number') out.push({ rule, subject, value: r });
    }
  };
  for (const rule of rules) {
    switch (rule.kind) {
      case 'link-down':
        onLinks(rule, (l) => l.state === 'down');
        break;
      case 'link-below-target':
        onLinks(rule, (l) => l.state === 'up' && !l.meetsTarget && l.reason === 'below-target' && (l.capacityMbps ?? true));
        break;
      case 'link-utilization':
        onLinks(rule, (l, key) => {
          const pct = l.state === 'up' ? maxOf(l.inPct, l.outPct) : undefined;
          if (pct === undefined) return wasActive(key) && l.state === 'up'; // no reading: keep the state
          return pct > rule.raisePct! || (wasActive(key) && pct >= rule.clearPct!) ? pct : false;
        });
        break;
      case 'link-errors':
        onLinks(rule, (l) => (l.errorsPerSec !== undefined && l.errorsPerSec > rule.maxPerSec! ? l.errorsPerSec : false));
        break;
      case 'device-unreachable':
        for (const d of [...snap.devices].sort((x, y) => cmp(x.hostname, y.hostname))) {
          if (d.managed && UNREACHABLE_STATUSES.has(snap.deviceStatus.get(d.hostname) ?? '')) {
            out.push({ rule, subject: { kind: 'device', id: d.hostname } });
          }
        }
        break;
      case 'site-backup-lost':
        for (const code of [...dep.backupLost.keys()].sort(cmp)) out.push({ rule, subject: { kind: 'site', id: code } });
        break;
    }
  }
  return out;
}

export const alertKey = (rule: string, s: AlertSubject): string => `${rule}|${s.kind}:${s.id}`;

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function maxOf(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}
