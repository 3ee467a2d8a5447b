import { randomUUID } from 'node:crypto';
import { ENDPOINTS, type AuditEvent } from '@extranet/topology';
import type { AuditEntry } from '../http/contract';
import type { Store } from '../neo4j/store';
import { appendAudit, readAudit, type AuditFilter, type AuditRecord } from './store';

/**
 * The audit of every write: who (the authenticated principal — never a header
 * a client can set), when, what (the endpoint's operationId), on what, before
 * and after, the request id and the source address. Append-only: the product
 * has no path that updates or deletes an audit event.
 */

/** Keys whose values never reach the audit (or any log). */
const SECRET_KEY = /pass(word)?|secret|token|current|next|community|key/i;
/** Longest JSON kept for one side of an event. */
const MAX_JSON = 16_384;

/** A copy with secret-looking keys replaced and long strings cut; `__proto__` and friends are plain data here. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '…';
  if (typeof value === 'string') return value.length > 2000 ? `${value.slice(0, 2000)}…(${value.length} chars)` : value;
  if (Array.isArray(value)) return value.slice(0, 200).map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      Object.defineProperty(out, k, { value: SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1), enumerable: true });
    return out;
  }
  return value;
}

const json = (v: unknown): string | null => {
  if (v === undefined || v === null) return null;
  const text = JSON.stringify(redact(v));
  return text.length > MAX_JSON ? JSON.stringify({ truncated: true, head: text.slice(0, MAX_JSON) }) : text;
};

const NAMES = new Map(ENDPOINTS.map((e) => [`${e.method} ${e.path}`, e.name]));

/** What a write acted on, when its handler did not say: the usual identifying fields of its path and body. */
function defaultTarget(entry: AuditEntry): string | null {
  const src = {
    ...(entry.req.params ?? {}),
    ...(typeof entry.body === 'object' && entry.body !== null ? (entry.body as Record<string, unknown>) : {}),
  };
  const pick = (k: string) => {
    const v = src[k];
    return typeof v === 'string' ? v.slice(0, 200) : undefined;
  };
  const vrf = pick('vrf');
  const prefix = pick('cidr') ?? pick('parent');
  if (prefix) return vrf ? `${vrf} ${prefix}` : prefix;
  return pick('username') ?? pick('hostname') ?? pick('id') ?? pick('name') ?? null;
}

export function auditRecorder(store: Store, clock: () => number = Date.now) {
  return async (entry: AuditEntry): Promise<void> => {
    // A login attempt is recorded under the account it names, or under no name at all (see the login route).
    const isLogin = entry.endpoint.path === '/api/auth/login';
    const loginName = isLogin ? entry.note.target : undefined;
    const body = isLogin ? { username: loginName ?? '(not an account)' } : entry.body;
    const record: AuditRecord = {
      id: randomUUID(),
      at: clock(),
      actor: entry.principal?.username ?? loginName ?? 'anonymous',
      role: entry.principal?.role ?? null,
      via: entry.principal?.via ?? 'session',
      action: NAMES.get(`${entry.endpoint.method} ${entry.endpoint.path}`) ?? `${entry.endpoint.method} ${entry.endpoint.path}`,
      target: entry.note.target ?? (isLogin ? null : defaultTarget(entry)), // not the name a failed login was sent with
      before: json(entry.note.before),
      after: json(entry.outcome === 'ok' ? { request: body, result: entry.result } : { request: body }),
      outcome: entry.outcome,
      errorCode: entry.errorCode ?? null,
      requestId: entry.requestId,
      source: entry.req.ip ?? null,
    };
    await store.write((tx) => appendAudit(tx, record));
  };
}

/** An audit entry for a write made outside HTTP (the CLI), with the OS user as actor. */
export async function auditCli(
  store: Store,
  e: { actor: string; action: string; target: string | null; before?: unknown; after?: unknown },
): Promise<void> {
  await store.write((tx) =>
    appendAudit(tx, {
      id: randomUUID(),
      at: Date.now(),
      actor: e.actor,
      role: null,
      via: 'cli',
      action: e.action,
      target: e.target,
      before: json(e.before),
      after: json(e.after),
      outcome: 'ok',
      errorCode: null,
      requestId: null,
      source: null,
    }),
  );
}

export function toAuditEvent(r: AuditRecord): AuditEvent {
  const parse = (t: string | null): unknown => (t === null ? null : (JSON.parse(t) as unknown));
  return { ...r, at: new Date(r.at).toISOString(), before: parse(r.before), after: parse(r.after) };
}

export async function queryAudit(store: Store, f: AuditFilter): Promise<AuditEvent[]> {
  return (await store.read((tx) => readAudit(tx, f))).map(toAuditEvent);
}
