/**
 * Silences, Alertmanager-style: label matchers and a time window. An alert
 * that every matcher of an active silence matches is silenced: still shown,
 * not notified. A label the alert lacks matches as the empty string
 * (Alertmanager's rule). Regexes are anchored, as in Alertmanager.
 */
export interface SilenceMatcher {
  name: string;
  value: string;
  /** Default false: equality. */
  isRegex?: boolean;
  /** Default true; false negates the match (`!=`, `!~`). */
  isEqual?: boolean;
}

export interface Silence {
  id: string;
  matchers: SilenceMatcher[];
  /** ms since the epoch. */
  startsAt: number;
  endsAt: number;
  createdBy: string;
  comment: string;
  createdAt: number;
  /** Set when expired early by hand. */
  expiredBy?: string;
}

export function silenceActive(s: Pick<Silence, 'startsAt' | 'endsAt'>, now: number): boolean {
  return s.startsAt <= now && now < s.endsAt;
}

export function matcherMatches(m: SilenceMatcher, labels: Readonly<Record<string, string>>): boolean {
  const v = labels[m.name] ?? '';
  const hit = m.isRegex ? new RegExp(`^(?:${m.value})$`).test(v) : v === m.value;
  return m.isEqual === false ? !hit : hit;
}

/** Ids of the active silences matching the labels, sorted. */
export function silencesOf(labels: Readonly<Record<string, string>>, silences: readonly Silence[], now: number): string[] {
  return silences
    .filter((s) => silenceActive(s, now) && s.matchers.every((m) => matcherMatches(m, labels)))
    .map((s) => s.id)
    .sort();
}

/** A matcher's regex compiles (checked when a silence is created). */
export function matcherError(m: SilenceMatcher): string | undefined {
  if (!m.isRegex) return undefined;
  try {
    new RegExp(m.value);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
