import type { ManagedTransaction } from 'neo4j-driver';
import { UNREACHABLE_STATUSES, type AlertRecord, type AlertChange, type Silence } from '@extranet/topology';

/**
 * The only Cypher of the alerts feature:
 * - `(:Alert {key, record, value, ackBy, ackAt, ackNote})` — each active alert (pending or firing): the record as
 *   JSON but for its measured value, a number of its own (see `storedRecord`); the acknowledgement in
 *   properties of its own, which an evaluation never overwrites (so an acknowledgement made by another
 *   process while an evaluation runs is kept);
 * - `(:AlertEngine {id: 'state', flaps, cutOff, notified})` — the flapping counters, the sites cut off, and the
 *   alerts the webhook and e-mail were told of (so a process taking over does not tell them again), JSON;
 * - `(:AlertEvent {key, rule, severity, subjectKind, subjectId, site, from, to, at, summary, suppressed, cutOff})` — the history;
 * - `(:Silence {id, matchers, startsAt, endsAt, createdBy, createdAt, comment, expiredBy})`;
 * - `(:Lease {name: 'alerts', holder, expiresAt})` — which process evaluates and notifies (one of many shards).
 * Times in ms since the epoch.
 */
export const ALERT_MIGRATIONS: readonly string[] = [
  'CREATE CONSTRAINT lease_name IF NOT EXISTS FOR (l:Lease) REQUIRE l.name IS UNIQUE',
  'CREATE CONSTRAINT alert_key IF NOT EXISTS FOR (a:Alert) REQUIRE a.key IS UNIQUE',
  'CREATE CONSTRAINT silence_id IF NOT EXISTS FOR (s:Silence) REQUIRE s.id IS UNIQUE',
  'CREATE INDEX alert_event_at IF NOT EXISTS FOR (e:AlertEvent) ON (e.at)',
  'CREATE INDEX alert_event_subject IF NOT EXISTS FOR (e:AlertEvent) ON (e.subjectId)',
  'CREATE INDEX alert_event_site IF NOT EXISTS FOR (e:AlertEvent) ON (e.site)',
];

/**
 * What the alert snapshot needs beyond the link states and their error rates (read with the states,
 * monitor/coverage-service.ts `loadLinkStates`): the poll statuses that make a device unreachable
 * (`UNREACHABLE_STATUSES`, the only ones the engine looks at), of the devices that have one. At
 * national size that is tens of rows instead of 42,000, read at every evaluation.
 */
export async function readDeviceStatuses(tx: ManagedTransaction): Promise<Map<string, string>> {
  const d = await tx.run('MATCH (d:Device) WHERE d.pollStatus IN $statuses RETURN d.hostname AS h, d.pollStatus AS s', {
    statuses: [...UNREACHABLE_STATUSES],
  });
  return new Map(d.records.map((r) => [r.get('h') as string, r.get('s') as string]));
}

/** Sites cut off from the core at the last evaluation, with the alerting causes (element keys) that cut them off. */
export type CutOffSites = Array<{ code: string; causes: string[] }>;

export async function readActiveAlerts(
  tx: ManagedTransaction,
): Promise<{ alerts: AlertRecord[]; flaps: Map<string, number[]>; cutOff: CutOffSites; notified: NotifiedKeys }> {
  const a = await tx.run(
    'MATCH (a:Alert) RETURN a.record AS r, a.value AS v, a.ackBy AS by, a.ackAt AS at, a.ackNote AS note ORDER BY a.key',
  );
  const f = await tx.run(
    "MATCH (e:AlertEngine {id: 'state'}) RETURN e.flaps AS flaps, e.cutOff AS cutOff, e.notified AS notified, e.evaluatedAt AS evaluatedAt",
  );
  const row = f.records[0];
  const flaps = row ? (JSON.parse(row.get('flaps') as string) as Array<[string, number[]]>) : [];
  const cutOff = row?.get('cutOff') ? (JSON.parse(row.get('cutOff') as string) as CutOffSites) : [];
  const evaluatedAt = (row?.get('evaluatedAt') as number | null | undefined) ?? null;
  return {
    alerts: a.records.map((r) => {
      const { ack: _stale, ...record } = storedRecord(r.get('r') as string, evaluatedAt, r.get('v') as number | null);
      const by = r.get('by') as string | null;
      return by === null ? record : { ...record, ack: { by, at: Number(r.get('at')), note: (r.get('note') as string | null) ?? '' } };
    }),
    flaps: new Map(flaps),
    cutOff,
    notified: row?.get('notified') ? (JSON.parse(row.get('notified') as string) as NotifiedKeys) : { webhook: [], email: [] },
  };
}

/** The alert keys the webhook and the e-mail were told are firing (and not yet told resolved). */
export type NotifiedKeys = { webhook: string[]; email: string[] };

/** Records which alerts the webhook and e-mail were told of. */
export async function writeNotified(tx: ManagedTransaction, notified: NotifiedKeys): Promise<void> {
  await tx.run("MERGE (e:AlertEngine {id: 'state'}) SET e.notified = $notified", { notified: JSON.stringify(notified) });
}

/** One history row, as written for each state change. */
export interface AlertEventRow {
  key: string;
  rule: string;
  severity: string;
  subjectKind: string;
  subjectId: string;
  site: string | null;
  from: string;
  to: string;
  at: number;
  summary: string;
  suppressed: boolean;
  cutOff: string[];
}

export function eventRow(c: AlertChange, summary: string): AlertEventRow {
  return {
    key: c.key,
    rule: c.alert.rule,
    severity: c.alert.severity,
    subjectKind: c.alert.subject.kind,
    subjectId: c.alert.subject.id,
    site: c.alert.labels.site ?? null,
    from: c.from,
    to: c.to,
    at: c.at,
    summary,
    suppressed: c.alert.suppressedBy.length > 0,
    cutOff: c.alert.cutOff,
  };
}

/**
 * An alert as stored: its record's JSON without `updatedAt` ("the last evaluation that saw it"), which
 * is the same for every stored alert — the evaluation that wrote the set, `(:AlertEngine).evaluatedAt` —
 * and without `value` (the measurement behind it), which is a number property of its own, `(:Alert).value`;
 * both are put back when read. So an alert that did not change is not written again, and one whose
 * measurement alone changed (a busy link's utilization: every reading) has one number updated instead of
 * its JSON rewritten: at national size an evaluation has thousands of active alerts, nearly all unchanged
 * from one evaluation to the next but for the value.
 */
function storedRecord(json: string, evaluatedAt: number | null, value: number | null): AlertRecord {
  // A record written before this layout still has its own updatedAt and value.
  const { value: inRecord, ...record } = JSON.parse(json) as AlertRecord;
  const v = value ?? inRecord;
  return { ...record, ...(evaluatedAt !== null && { updatedAt: evaluatedAt }), ...(v !== undefined && v !== null && { value: v }) };
}

/** What {@link writeEvaluation} wrote: alert records (new or changed), and alerts whose value alone changed. */
export interface EvaluationWrites {
  records: number;
  values: number;
}

/** An alert's stored record: its JSON without the acknowledgement, `updatedAt` and `value` (see {@link storedRecord}). */
function recordJson({ ack: _kept, updatedAt: _all, value: _own, ...a }: AlertRecord): string {
  return JSON.stringify(a);
}

/**
 * Writes one evaluation made at `at`: the active alerts (replacing the previous set; a record is written only
 * where it changed, a value only where it alone changed), the flapping counters and the state changes.
 * `previous`: the active alerts as stored before (the evaluating process keeps them); when given, only the
 * alerts that differ from them are sent at all — at national size an evaluation has thousands of active
 * alerts and sends tens — and without it every active alert is sent and compared by Neo4j.
 */
export async function writeEvaluation(
  tx: ManagedTransaction,
  w: {
    at: number;
    active: readonly AlertRecord[];
    previous?: ReadonlyMap<string, AlertRecord>;
    flaps: ReadonlyMap<string, number[]>;
    cutOff: CutOffSites;
    events: readonly AlertEventRow[];
  },
): Promise<EvaluationWrites> {
  const keys = w.active.map((a) => a.key);
  await tx.run('MATCH (a:Alert) WHERE NOT a.key IN $keys DETACH DELETE a', { keys });
  const written: EvaluationWrites = { records: 0, values: 0 };
  const rows: unknown[][] = [];
  for (const a of w.active) {
    const json = recordJson(a);
    const before = w.previous?.get(a.key);
    if (before && before.value === a.value && recordJson(before) === json) continue;
    // By position (neo4j/rows.ts): [key, record JSON, state, value or null].
    rows.push([a.key, json, a.state, a.value ?? null]);
  }
  if (rows.length) {
    const r = await tx.run(
      `UNWIND $rows AS r MERGE (a:Alert {key: r[0]})
       WITH a, r, a.record IS NULL OR a.record <> r[1] OR a.state <> r[2] AS newRecord,
            coalesce(a.value <> r[3], a.value IS NOT NULL OR r[3] IS NOT NULL) AS newValue
       SET a.value = r[3]
       FOREACH (_ IN CASE WHEN newRecord THEN [1] ELSE [] END | SET a.record = r[1], a.state = r[2])
       RETURN sum(CASE WHEN newRecord THEN 1 ELSE 0 END) AS records,
              sum(CASE WHEN newValue AND NOT newRecord THEN 1 ELSE 0 END) AS values`,
      { rows },
    );
    written.records = Number(r.records[0]!.get('records'));
    written.values = Number(r.records[0]!.get('values'));
  }
  await tx.run("MERGE (e:AlertEngine {id: 'state'}) SET e.flaps = $flaps, e.cutOff = $cutOff, e.evaluatedAt = $at", {
    flaps: JSON.stringify([...w.flaps]),
    cutOff: JSON.stringify(w.cutOff),
    at: w.at,
  });
  if (w.events.length) await tx.run('UNWIND $rows AS r CREATE (e:AlertEvent) SET e = r', { rows: w.events });
  return written;
}

/** Stores an acknowledgement on an active alert; the alert with it, or undefined when there is no such alert. */
export async function writeAck(
  tx: ManagedTransaction,
  key: string,
  ack: { by: string; at: number; note: string },
): Promise<AlertRecord | undefined> {
  const r = await tx.run(
    `MATCH (a:Alert {key: $key}) SET a.ackBy = $by, a.ackAt = $at, a.ackNote = $note
     WITH a OPTIONAL MATCH (e:AlertEngine {id: 'state'}) RETURN a.record AS r, a.value AS v, e.evaluatedAt AS evaluatedAt`,
    { key, ...ack },
  );
  const rec = r.records[0];
  if (!rec) return undefined;
  return { ...storedRecord(rec.get('r') as string, (rec.get('evaluatedAt') as number | null) ?? null, rec.get('v') as number | null), ack };
}

/** History rows, newest first: all, or those of one link, or of one site (its own, its devices', its uplinks', and those that cut it off). */
export async function readAlertHistory(
  tx: ManagedTransaction,
  filter: { link?: string; site?: string },
  limit: number,
): Promise<{ items: AlertEventRow[]; total: number }> {
  const where =
    filter.link !== undefined
      ? "WHERE e.subjectKind = 'link' AND e.subjectId = $link"
      : filter.site !== undefined
        ? 'WHERE e.site = $site OR $site IN e.cutOff'
        : '';
  const params = { link: filter.link ?? null, site: filter.site ?? null, limit: Math.trunc(limit) };
  const total = await tx.run(`MATCH (e:AlertEvent) ${where} RETURN count(e) AS n`, params);
  const rows = await tx.run(`MATCH (e:AlertEvent) ${where} RETURN e {.*} AS e ORDER BY e.at DESC, e.key LIMIT toInteger($limit)`, params);
  return {
    items: rows.records.map((r) => {
      const e = r.get('e') as AlertEventRow;
      return { ...e, at: Number(e.at) };
    }),
    total: Number(total.records[0]!.get('n')),
  };
}

export async function readSilences(tx: ManagedTransaction): Promise<Silence[]> {
  const r = await tx.run('MATCH (s:Silence) RETURN s {.*} AS s ORDER BY s.createdAt DESC, s.id');
  return r.records.map((x) => {
    const s = x.get('s') as Record<string, unknown>;
    return {
      id: s.id as string,
      matchers: JSON.parse(s.matchers as string) as Silence['matchers'],
      startsAt: Number(s.startsAt),
      endsAt: Number(s.endsAt),
      createdBy: s.createdBy as string,
      createdAt: Number(s.createdAt),
      comment: s.comment as string,
      ...(typeof s.expiredBy === 'string' && { expiredBy: s.expiredBy }),
    };
  });
}

export async function writeSilence(tx: ManagedTransaction, s: Silence): Promise<void> {
  await tx.run('CREATE (x:Silence) SET x = $s', {
    s: { ...s, matchers: JSON.stringify(s.matchers), expiredBy: s.expiredBy ?? null },
  });
}

/** Ends a silence at `now` (when it has not ended yet); undefined when no silence has that id. */
export async function expireSilenceAt(tx: ManagedTransaction, id: string, by: string, now: number): Promise<boolean> {
  const r = await tx.run(
    `MATCH (s:Silence {id: $id})
     FOREACH (_ IN CASE WHEN s.endsAt > $now THEN [1] ELSE [] END | SET s.endsAt = $now, s.expiredBy = $by)
     RETURN s.id`,
    { id, by, now },
  );
  return r.records.length > 0;
}

/**
 * Takes or renews the lease `name` for `holder` until `now + ttlMs`, unless another holder's lease
 * is still running (the unique name makes concurrent takers meet on one node, the lock queues them). `taken`: the lease
 * was not this holder's before (first taken, or taken over from a holder that stopped renewing).
 */
export async function takeLease(
  tx: ManagedTransaction,
  name: string,
  holder: string,
  now: number,
  ttlMs: number,
): Promise<{ held: boolean; taken: boolean; holder: string }> {
  const r = await tx.run(
    // The write lock first (SET), then the read: two takers of an expired lease queue on the lock and
    // the second sees the first's holder, instead of both reading "expired" and both taking it.
    `MERGE (l:Lease {name: $name})
     SET l.lockedAt = $now
     WITH l, l.holder AS prev, (l.holder IS NULL OR l.holder = $holder OR l.expiresAt < $now) AS mine
     FOREACH (_ IN CASE WHEN mine THEN [1] ELSE [] END | SET l.holder = $holder, l.expiresAt = $now + $ttlMs)
     RETURN mine, prev, l.holder AS holder`,
    { name, holder, now, ttlMs },
  );
  const rec = r.records[0]!;
  const mine = rec.get('mine') as boolean;
  return { held: mine, taken: mine && rec.get('prev') !== holder, holder: rec.get('holder') as string };
}

/** Gives the lease up, if `holder` has it, so another process takes it at its next attempt. */
export async function releaseLease(tx: ManagedTransaction, name: string, holder: string): Promise<void> {
  await tx.run('MATCH (l:Lease {name: $name, holder: $holder}) DELETE l', { name, holder });
}
