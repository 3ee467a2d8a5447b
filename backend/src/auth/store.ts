import type { ManagedTransaction } from 'neo4j-driver';
import neo4j from 'neo4j-driver';
import type { Role } from '@extranet/topology';

/**
 * Accounts, API tokens, sessions and the audit in Neo4j — the only module of
 * auth/ with Cypher. Times are ms since the epoch. Secrets are stored only as
 * hashes (Argon2id for passwords, HMAC for tokens); session ids only as SHA-256.
 */

export const AUTH_MIGRATIONS: readonly string[] = [
  'CREATE CONSTRAINT user_username IF NOT EXISTS FOR (u:User) REQUIRE u.username IS UNIQUE',
  'CREATE CONSTRAINT token_id IF NOT EXISTS FOR (t:ApiToken) REQUIRE t.id IS UNIQUE',
  'CREATE CONSTRAINT token_hash IF NOT EXISTS FOR (t:ApiToken) REQUIRE t.hash IS UNIQUE',
  'CREATE CONSTRAINT session_key IF NOT EXISTS FOR (s:Session) REQUIRE s.key IS UNIQUE',
  'CREATE CONSTRAINT audit_id IF NOT EXISTS FOR (a:AuditEvent) REQUIRE a.id IS UNIQUE',
  'CREATE INDEX audit_at IF NOT EXISTS FOR (a:AuditEvent) ON (a.at)',
  'CREATE INDEX session_expires IF NOT EXISTS FOR (s:Session) ON (s.expiresAt)',
  'CREATE CONSTRAINT auth_meta_id IF NOT EXISTS FOR (a:AuthMeta) REQUIRE a.id IS UNIQUE',
];

// ── the auth epoch ──────────────────────────────────────────────────────────

/**
 * Moves the auth epoch (`(:AuthMeta {id: 'auth'}).epoch`): every write below that
 * changes who a session or token is — an account made or changed, a token made
 * or revoked — calls it in its own transaction, so the principal caches of every
 * process (principal-cache.ts) see the change at their next epoch check.
 */
async function bumpAuthEpoch(tx: ManagedTransaction): Promise<void> {
  await tx.run("MERGE (a:AuthMeta {id: 'auth'}) SET a.epoch = coalesce(a.epoch, 0) + 1");
}

/** The auth epoch; null before the first account or token write. */
export async function readAuthEpoch(tx: ManagedTransaction): Promise<number | null> {
  const r = await tx.run("OPTIONAL MATCH (a:AuthMeta {id: 'auth'}) RETURN a.epoch AS epoch");
  return (r.records[0]?.get('epoch') as number | null) ?? null;
}

export interface UserRecord {
  username: string;
  displayName: string;
  role: Role;
  passwordHash: string;
  disabled: boolean;
  createdAt: number;
  passwordChangedAt: number | null;
  lastLoginAt: number | null;
}

const userFields = 'u {.username, .displayName, .role, .passwordHash, .disabled, .createdAt, .passwordChangedAt, .lastLoginAt}';

function toUser(x: Record<string, unknown>): UserRecord {
  return {
    username: x.username as string,
    displayName: (x.displayName as string | null) ?? (x.username as string),
    role: x.role as Role,
    passwordHash: x.passwordHash as string,
    disabled: x.disabled === true,
    createdAt: x.createdAt as number,
    passwordChangedAt: (x.passwordChangedAt as number | null) ?? null,
    lastLoginAt: (x.lastLoginAt as number | null) ?? null,
  };
}

export async function findUser(tx: ManagedTransaction, username: string): Promise<UserRecord | undefined> {
  const r = await tx.run(`MATCH (u:User {username: $username}) RETURN ${userFields} AS u`, { username });
  const u = r.records[0]?.get('u') as Record<string, unknown> | undefined;
  return u ? toUser(u) : undefined;
}

export async function listUsers(tx: ManagedTransaction): Promise<UserRecord[]> {
  const r = await tx.run(`MATCH (u:User) RETURN ${userFields} AS u ORDER BY u.username`);
  return r.records.map((x) => toUser(x.get('u') as Record<string, unknown>));
}

export async function countAdmins(tx: ManagedTransaction): Promise<number> {
  const r = await tx.run("MATCH (u:User {role: 'admin'}) WHERE NOT coalesce(u.disabled, false) RETURN count(u) AS n");
  return r.records[0]!.get('n') as number;
}

export async function countUsers(tx: ManagedTransaction): Promise<number> {
  return (await tx.run('MATCH (u:User) RETURN count(u) AS n')).records[0]!.get('n') as number;
}

/** Creates a user; false when the user name is taken (the unique constraint decides, not a prior read). */
export async function createUser(tx: ManagedTransaction, u: Omit<UserRecord, 'lastLoginAt'>): Promise<boolean> {
  const r = await tx.run(
    `MERGE (u:User {username: $username})
     ON CREATE SET u.displayName = $displayName, u.role = $role, u.passwordHash = $passwordHash, u.disabled = $disabled,
                   u.createdAt = $createdAt, u.passwordChangedAt = $passwordChangedAt, u._new = true
     WITH u, coalesce(u._new, false) AS created REMOVE u._new RETURN created`,
    { ...u },
  );
  const created = r.records[0]!.get('created') as boolean;
  if (created) await bumpAuthEpoch(tx);
  return created;
}

export async function updateUser(
  tx: ManagedTransaction,
  username: string,
  set: Partial<Pick<UserRecord, 'role' | 'displayName' | 'disabled' | 'passwordHash' | 'passwordChangedAt' | 'lastLoginAt'>>,
): Promise<UserRecord | undefined> {
  const r = await tx.run(`MATCH (u:User {username: $username}) SET u += $set RETURN ${userFields} AS u`, { username, set });
  const u = r.records[0]?.get('u') as Record<string, unknown> | undefined;
  // A login's time (and a password rehash at login) changes nothing a principal holds; anything else does.
  if (u && Object.keys(set).some((k) => k !== 'lastLoginAt' && k !== 'passwordHash')) await bumpAuthEpoch(tx);
  return u ? toUser(u) : undefined;
}

// ── API tokens ──────────────────────────────────────────────────────────────

export interface TokenRecord {
  id: string;
  name: string;
  role: Role;
  owner: string;
  hash: string;
  createdAt: number;
  expiresAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

const tokenFields = 't {.id, .name, .role, .owner, .hash, .createdAt, .expiresAt, .lastUsedAt, .revokedAt}';
const toToken = (x: Record<string, unknown>): TokenRecord => ({
  ...(x as unknown as TokenRecord),
  lastUsedAt: (x.lastUsedAt as number | null) ?? null,
  revokedAt: (x.revokedAt as number | null) ?? null,
});

export async function createToken(tx: ManagedTransaction, t: TokenRecord): Promise<void> {
  const r = await tx.run('MATCH (u:User {username: $owner}) CREATE (t:ApiToken $t)-[:OF]->(u) RETURN count(t) AS n', { owner: t.owner, t });
  if ((r.records[0]!.get('n') as number) > 0) await bumpAuthEpoch(tx);
}

export async function findTokenByHash(tx: ManagedTransaction, hash: string): Promise<TokenRecord | undefined> {
  const r = await tx.run(`MATCH (t:ApiToken {hash: $hash}) RETURN ${tokenFields} AS t`, { hash });
  const t = r.records[0]?.get('t') as Record<string, unknown> | undefined;
  return t ? toToken(t) : undefined;
}

export async function listTokens(tx: ManagedTransaction): Promise<TokenRecord[]> {
  const r = await tx.run(`MATCH (t:ApiToken) RETURN ${tokenFields} AS t ORDER BY t.createdAt DESC`);
  return r.records.map((x) => toToken(x.get('t') as Record<string, unknown>));
}

/** Marks a token revoked; false when there is no such token. */
export async function revokeToken(tx: ManagedTransaction, id: string, at: number): Promise<boolean> {
  const r = await tx.run('MATCH (t:ApiToken {id: $id}) SET t.revokedAt = coalesce(t.revokedAt, $at) RETURN t.id AS id', { id, at });
  if (r.records.length > 0) await bumpAuthEpoch(tx);
  return r.records.length > 0;
}

export async function revokeTokensOf(tx: ManagedTransaction, owner: string, at: number): Promise<void> {
  const r = await tx.run('MATCH (t:ApiToken {owner: $owner}) WHERE t.revokedAt IS NULL SET t.revokedAt = $at RETURN count(t) AS n', {
    owner,
    at,
  });
  if ((r.records[0]!.get('n') as number) > 0) await bumpAuthEpoch(tx);
}

/** Records a use; at most once a minute per token, so reads do not turn into writes. */
export async function touchToken(tx: ManagedTransaction, id: string, at: number): Promise<void> {
  await tx.run('MATCH (t:ApiToken {id: $id}) WHERE coalesce(t.lastUsedAt, 0) < $at - 60000 SET t.lastUsedAt = $at', { id, at });
}

// ── sessions (express-session's store) ──────────────────────────────────────

export interface SessionRecord {
  /** SHA-256 of the session id: the id itself (the cookie's secret) is not stored. */
  key: string;
  /** A short public handle for listing and revoking. */
  handle: string;
  username: string | null;
  data: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  source: string | null;
  userAgent: string | null;
}

export async function getSession(tx: ManagedTransaction, key: string, now: number): Promise<SessionRecord | undefined> {
  const r = await tx.run('MATCH (s:Session {key: $key}) WHERE s.expiresAt > $now RETURN s {.*} AS s', { key, now });
  return r.records[0]?.get('s') as SessionRecord | undefined;
}

export async function putSession(tx: ManagedTransaction, s: SessionRecord): Promise<void> {
  await tx.run(
    `MERGE (s:Session {key: $s.key})
     ON CREATE SET s.handle = $s.handle, s.createdAt = $s.createdAt
     SET s.username = $s.username, s.data = $s.data, s.lastSeenAt = $s.lastSeenAt, s.expiresAt = $s.expiresAt,
         s.source = $s.source, s.userAgent = $s.userAgent`,
    { s },
  );
}

export async function touchSession(tx: ManagedTransaction, key: string, lastSeenAt: number, expiresAt: number): Promise<void> {
  await tx.run('MATCH (s:Session {key: $key}) SET s.lastSeenAt = $lastSeenAt, s.expiresAt = $expiresAt', { key, lastSeenAt, expiresAt });
}

export async function deleteSession(tx: ManagedTransaction, key: string): Promise<void> {
  await tx.run('MATCH (s:Session {key: $key}) DELETE s', { key });
}

/** Deletes a session by its public handle; false when there was none. */
export async function deleteSessionByHandle(tx: ManagedTransaction, handle: string): Promise<boolean> {
  const r = await tx.run('MATCH (s:Session {handle: $handle}) DELETE s RETURN count(*) AS n', { handle });
  return (r.records[0]?.get('n') as number) > 0;
}

export async function deleteSessionsOf(tx: ManagedTransaction, username: string, exceptKey?: string): Promise<void> {
  await tx.run('MATCH (s:Session {username: $username}) WHERE $except IS NULL OR s.key <> $except DELETE s', {
    username,
    except: exceptKey ?? null,
  });
}

export async function listSessions(tx: ManagedTransaction, now: number): Promise<SessionRecord[]> {
  const r = await tx.run(
    'MATCH (s:Session) WHERE s.expiresAt > $now AND s.username IS NOT NULL RETURN s {.*} AS s ORDER BY s.lastSeenAt DESC',
    {
      now,
    },
  );
  return r.records.map((x) => x.get('s') as SessionRecord);
}

export async function pruneSessions(tx: ManagedTransaction, now: number): Promise<number> {
  const r = await tx.run('MATCH (s:Session) WHERE s.expiresAt <= $now DELETE s RETURN count(*) AS n', { now });
  return r.records[0]?.get('n') as number;
}

// ── audit ───────────────────────────────────────────────────────────────────

export interface AuditRecord {
  id: string;
  at: number;
  actor: string;
  role: string | null;
  via: 'session' | 'token' | 'cli' | 'system';
  action: string;
  target: string | null;
  /** JSON text, or null. */
  before: string | null;
  after: string | null;
  outcome: 'ok' | 'refused' | 'failed';
  errorCode: string | null;
  requestId: string | null;
  source: string | null;
}

/** Appends one event. The audit has no update or delete path anywhere in the product. */
export async function appendAudit(tx: ManagedTransaction, e: AuditRecord): Promise<void> {
  await tx.run('CREATE (a:AuditEvent $e)', { e });
}

export interface AuditFilter {
  actor?: string | undefined;
  action?: string | undefined;
  target?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
  limit?: number | undefined;
}

export async function readAudit(tx: ManagedTransaction, f: AuditFilter): Promise<AuditRecord[]> {
  const r = await tx.run(
    `MATCH (a:AuditEvent)
     WHERE ($actor IS NULL OR a.actor = $actor) AND ($action IS NULL OR a.action = $action)
       AND ($target IS NULL OR a.target CONTAINS $target)
       AND ($from IS NULL OR a.at >= $from) AND ($to IS NULL OR a.at < $to)
     RETURN a {.*} AS a ORDER BY a.at DESC, a.id LIMIT $limit`,
    {
      actor: f.actor ?? null,
      action: f.action ?? null,
      target: f.target ?? null,
      from: f.from ?? null,
      to: f.to ?? null,
      limit: neo4j.int(f.limit ?? 500),
    },
  );
  return r.records.map((x) => {
    const a = x.get('a') as Record<string, unknown>;
    return {
      ...(a as unknown as AuditRecord),
      target: (a.target as string | null) ?? null,
      before: (a.before as string | null) ?? null,
      after: (a.after as string | null) ?? null,
      role: (a.role as string | null) ?? null,
      errorCode: (a.errorCode as string | null) ?? null,
      requestId: (a.requestId as string | null) ?? null,
      source: (a.source as string | null) ?? null,
    };
  });
}
