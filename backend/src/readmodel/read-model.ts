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
 */
export interface Snapshot<T> {
  value: T;
  /** What is sent: `value`, or the part of it the options' `body` picks. */
  body: unknown;
  /** JSON text of `body`. */
  json: string;
  /** gzip of `json`. */
  gzip: Buffer;
  /** Strong entity tag: `"` + the first 27 characters of the JSON's SHA-256 in base64url + `"`. */
  etag: string;
  /** When it was computed, ms since the epoch (the model's clock). */
  computedAt: number;
  /** The source version it was computed from. */
  version: string;
}

export interface ReadModelOptions<T> {
  /** Computes the view from the store. */
  compute: () => Promise<T>;
  /** A cheap read that changes when the view's sources change (the plan generation); checked at most every `versionCheckMs`. */
  version: () => Promise<string>;
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
  let pending: Promise<Snapshot<T>> | undefined;
  let dirty = false;
  let checked: { at: number; version: string } | undefined;
  let computations = 0;

  const version = async (): Promise<string> => {
    const now = clock();
    if (checked && now - checked.at < versionCheckMs) return checked.version;
    checked = { at: now, version: await opts.version() };
    return checked.version;
  };

  const compute = async (): Promise<Snapshot<T>> => {
    dirty = false;
    const v = await version();
    const value = await opts.compute();
    computations++;
    const body = opts.body ? opts.body(value) : value;
    const json = JSON.stringify(body);
    const snapshot: Snapshot<T> = {
      value,
      body,
      json,
      gzip: await gzipAsync(json),
      etag: `"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"`,
      computedAt: clock(),
      version: v,
    };
    current = snapshot;
    return snapshot;
  };

  return {
    async get() {
      if (pending) return pending;
      const fresh =
        current !== undefined &&
        (!dirty || clock() - current.computedAt < (opts.minAgeMs ?? 0)) &&
        (opts.ttlMs === undefined || clock() - current.computedAt < opts.ttlMs) &&
        (await version()) === current.version;
      if (fresh) return current!;
      if (pending) return pending; // another request started it while this one read the version
      pending = compute().finally(() => (pending = undefined));
      return pending;
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
