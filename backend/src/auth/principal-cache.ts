import type { Store } from '../neo4j/store';
import { readAuthEpoch, type TokenRecord, type UserRecord } from './store';

/**
 * Accounts and API tokens as the last read found them, so a request does not
 * cost a Neo4j read to know who it is. It stays correct:
 * - in this process, every account or token write (service.ts) clears it at
 *   once through {@link authChanged}, after its commit and before its answer;
 * - for writes by other processes (another shard's `serve`, the CLI's `extranet
 *   user …` / `token revoke`), every such write also bumps the auth epoch
 *   (`(:AuthMeta {id: 'auth'}).epoch`, in the same transaction); the cache reads
 *   the epoch at most once per `epochCheckMs` (one read shared by every request
 *   in flight, not one per request) and is cleared when it moved. So a change
 *   made elsewhere applies within `epochCheckMs` (default 1 s) plus one read.
 * Only what was found is kept (an unknown token is read again each time), and
 * a token's expiry is checked against the clock on every request by the caller.
 * When the epoch cannot be read (Neo4j away), the lookup fails like a read would.
 */
export interface PrincipalCache {
  token(
    hash: string,
    load: () => Promise<{ token: TokenRecord; owner: UserRecord | undefined } | undefined>,
  ): Promise<{ token: TokenRecord; owner: UserRecord | undefined } | undefined>;
  user(username: string, load: () => Promise<UserRecord | undefined>): Promise<UserRecord | undefined>;
  clear(): void;
}

/** Caches of each store's processes-local callers, cleared by {@link authChanged}. */
const caches = new WeakMap<Store, Set<PrincipalCache>>();

/** Called by every account and token write of this process after its commit: the caches on `store` forget everything at once. */
export function authChanged(store: Store): void {
  for (const c of caches.get(store) ?? []) c.clear();
}

/** Bounded so a flood of distinct (valid) tokens or users cannot grow it without end; beyond it the oldest go first. */
const MAX_ENTRIES = 10_000;

export function principalCache(store: Store, opts: { clock?: () => number; epochCheckMs?: number } = {}): PrincipalCache {
  const clock = opts.clock ?? Date.now;
  const epochCheckMs = opts.epochCheckMs ?? 1_000;
  const tokens = new Map<string, { token: TokenRecord; owner: UserRecord | undefined }>();
  const users = new Map<string, UserRecord>();
  let epoch: number | null | undefined;
  let checkedAt = -Infinity;
  let checking: Promise<void> | undefined;
  // Writes seen since a load started: a load that overlapped a clear is not kept (it may have read the old state).
  let generation = 0;

  const clear = () => {
    tokens.clear();
    users.clear();
    generation++;
  };

  const checkEpoch = async (): Promise<void> => {
    if (clock() - checkedAt < epochCheckMs) return;
    checking ??= (async () => {
      try {
        const started = clock();
        const now = await store.read(readAuthEpoch);
        if (now !== epoch) {
          clear();
          epoch = now;
        }
        checkedAt = started;
      } finally {
        checking = undefined;
      }
    })();
    await checking;
  };

  const cached = async <V>(map: Map<string, V>, key: string, load: () => Promise<V | undefined>): Promise<V | undefined> => {
    await checkEpoch();
    const hit = map.get(key);
    if (hit !== undefined) return hit;
    const before = generation;
    const value = await load();
    if (value !== undefined && generation === before) {
      if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value!);
      map.set(key, value);
    }
    return value;
  };

  const cache: PrincipalCache = {
    token: (hash, load) => cached(tokens, hash, load),
    user: (username, load) => cached(users, username, load),
    clear,
  };
  let set = caches.get(store);
  if (!set) caches.set(store, (set = new Set()));
  set.add(cache);
  return cache;
}
