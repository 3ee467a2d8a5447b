import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

/**
 * A read model: a view computed once and served from memory to every request
 * until what it is computed from changes — the plan (its generation in the
 * store), a poll cycle (`invalidate()`), or, for views that age (coverage
 * judges freshness against the clock), a time to live. Each computation also
 * serialises the view once, gzips it once and names it with a strong ETag (a
 * hash of the JSON), so a request costs a lookup: the JSON or gzip bytes as
 * they are, or a 304 when the client has them already.
 *
 * Concurrent requests during a computation share it (single flight); a failed
 * computation is not kept, and the next request tries again.
 *
 * Two kinds of change: the `version` (the plan: the view's shape changes) and
 * the `revision` (a poll cycle, an address-space write: the same shape with
 * newer numbers), with `invalidate()` and the time to live counted as the
 * second kind. The request that finds the view out of date starts the new
 * computation and waits for it, so a reader that follows a change sees it;
 * requests that arrive while it runs get the previous snapshot of the same
 * version at once rather than queueing behind it — under load, a poll cycle
 * ending then costs one request a computation, not every request in flight.
 */
export interface Snapshot<T> {
  value: T;
  /** What is sent: `value`, or the part of it the options' `body` picks. */
  body: unknown;
  /** JSON text of `body`. */
  json: string;
  /** `json` in UTF-8, as it is sent (not encoded again per request). */
  bytes: Buffer;
  /** gzip of `json`. */
  gzip: Buffer;
  /** Strong entity tag: `"` + the first 27 characters of the JSON's SHA-256 in base64url + `"`. */
  etag: string;
  /** When it was computed, ms since the epoch (the model's clock). */
  computedAt: number;
  /** The source version it was computed from. */
  version: string;
  /** The source revision it was computed from ('' without `revision`). */
  revision: string;
}

export interface ReadModelOptions<T> {
  /** Computes the view from the store. */
  compute: () => Promise<T>;
  /** A cheap read that changes when the view's shape changes (the plan generation); checked at most every `versionCheckMs`. */
  version: () => Promise<string>;
  /** A cheap read that changes when the view's numbers change (cycles written, address-space writes), read with `version`. */
  revision?: () => Promise<string>;
  /** The part of the value that is sent (default the value). */
  body?: (value: T) => unknown;
  /** Recompute a view older than this, ms (views judged against the clock); default: never for age alone. */
  ttlMs?: number;
  /** An invalidated view younger than this is still served, ms (poll cycles end every few seconds at scale). Default 0. */
  minAgeMs?: number;
  /** How long a version read is trusted, ms. Default 1 000. */
  versionCheckMs?: number;
  /** Default Date.now. */
  clock?: () => number;
}

export interface ReadModel<T> {
  /** The current snapshot, computed first when missing or out of date. */
  get(): Promise<Snapshot<T>>;
  /** Marks the view out of date (a poll cycle ended, a plan was imported here); the next `get` recomputes. */
  invalidate(): void;
  /** How many times the view was computed (for tests and /metrics). */
  readonly computations: number;
}

/** @example const topology = readModel({ compute: () => readTopology(store), version: () => planVersion(store) }); */
export function readModel<T>(opts: ReadModelOptions<T>): ReadModel<T> {
  const clock = opts.clock ?? Date.now;
  const versionCheckMs = opts.versionCheckMs ?? 1_000;
  let current: Snapshot<T> | undefined;
  let pending: { snapshot: Promise<Snapshot<T>>; version: string } | undefined;
  let dirty = false;
  let checked: { at: number; version: string; revision: string } | undefined;
  let computations = 0;

  const sources = async (): Promise<{ version: string; revision: string }> => {
    const now = clock();
    if (checked && now - checked.at < versionCheckMs) return checked;
    const [version, revision] = await Promise.all([opts.version(), opts.revision?.() ?? '']);
    checked = { at: now, version, revision };
    return checked;
  };

  const compute = async (v: { version: string; revision: string }): Promise<Snapshot<T>> => {
    const wasDirty = dirty;
    dirty = false;
    const value = await opts.compute().catch((e: unknown) => {
      dirty ||= wasDirty; // still out of date: the next request tries again
      throw e;
    });
    computations++;
    const body = opts.body ? opts.body(value) : value;
    const json = JSON.stringify(body);
    const snapshot: Snapshot<T> = {
      value,
      body,
      json,
      bytes: Buffer.from(json),
      gzip: await gzipAsync(json),
      etag: `"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"`,
      computedAt: clock(),
      version: v.version,
      revision: v.revision,
    };
    current = snapshot;
    return snapshot;
  };

  const inFlight = () => pending;
  /** The previous snapshot, while a computation of the same version runs. */
  const meanwhile = (): Snapshot<T> | undefined => (current !== undefined && pending?.version === current.version ? current : undefined);

  return {
    async get() {
      if (pending) return meanwhile() ?? pending.snapshot;
      const v = await sources();
      const fresh =
        current !== undefined &&
        (!dirty || clock() - current.computedAt < (opts.minAgeMs ?? 0)) &&
        (opts.ttlMs === undefined || clock() - current.computedAt < opts.ttlMs) &&
        v.version === current.version &&
        v.revision === current.revision;
      if (fresh) return current!;
      const other = inFlight(); // another request may have started it while this one read the version
      if (other) return meanwhile() ?? other.snapshot;
      const started = { snapshot: compute(v), version: v.version };
      pending = started;
      void started.snapshot
        .finally(() => {
          if (pending === started) pending = undefined;
        })
        .catch(() => undefined);
      return started.snapshot;
    },
    invalidate() {
      dirty = true;
      checked = undefined;
    },
    get computations() {
      return computations;
    },
  };
}
