import type { Logger } from 'pino';
import { log as rootLog } from '../log';
import type { RetentionOptions } from '../monitor/retention';
import type { Store } from '../neo4j/store';
import type { SnmpProfile } from '../snmp/profiles';
import type { SessionOptions } from '../snmp/session';
import type { PollerOptions } from './poller-types';
import { DEFAULT_INTERVAL_MS, DEFAULT_MAX_BACKOFF_MS } from './schedule';
import { ALL_DEVICES, type Shard } from './shard';
import { mapTargets, type TargetResolver } from './targets';

/**
 * The poller's options with every default applied, once, when the poller is
 * created; the scheduler's steps read only these. Units: ms.
 */
export interface PollerSettings {
  store: Store;
  resolve: TargetResolver;
  profiles: ReadonlyMap<string, SnmpProfile>;
  /** The one clock of the poller, ms since the epoch. */
  clock: () => number;
  intervalMs: number;
  intervalFor: (hostname: string) => number;
  maxAgeMs: number;
  shard: Shard;
  concurrency: number;
  batchWindowMs: number;
  maxBackoffMs: number;
  /** Retention of the history (the `now` is given at each run). */
  history: Omit<RetentionOptions, 'now'>;
  /** Whether this poller runs the daily rollup and pruning. */
  maintenance: boolean;
  session: SessionOptions;
  log: Logger;
  /** Time of cycles held while Neo4j is away, ms. */
  bufferWindowMs: number;
}

/** Defaults of the options that are not derived from others. */
export const POLLER_DEFAULTS = {
  intervalMs: DEFAULT_INTERVAL_MS,
  concurrency: 16,
  batchWindowMs: 1000,
  maxBackoffMs: DEFAULT_MAX_BACKOFF_MS,
  timeoutMs: 2000,
  retries: 1,
  history: { retentionDays: 35, rollupRetentionDays: 400, utcOffsetMinutes: 480 },
  bufferWindowMs: 30 * 60_000,
} as const;

/**
 * Applies the defaults: interval 60 s for every device, stale after 3 intervals,
 * all devices, 16 at once, a 1 s batching window, back-off up to 15 min, SNMP
 * timeout 2 s with one retry, history kept 35 days (summaries 400, days in
 * UTC+8), maintenance in shard 0, the clock `Date.now`.
 *
 * @example resolvePollerSettings({ store, targets, profiles }).maxAgeMs // → 180_000
 */
export function resolvePollerSettings(options: PollerOptions): PollerSettings {
  const intervalMs = options.intervalMs ?? POLLER_DEFAULTS.intervalMs;
  const shard = options.shard ?? ALL_DEVICES;
  const { maintenance, ...history } = options.history ?? {};
  return {
    store: options.store,
    resolve: options.targets instanceof Map ? mapTargets(options.targets) : (options.targets as TargetResolver),
    profiles: options.profiles,
    clock: options.clock ?? Date.now,
    intervalMs,
    intervalFor: options.intervalFor ?? (() => intervalMs),
    maxAgeMs: options.maxAgeMs ?? 3 * intervalMs,
    shard,
    concurrency: options.concurrency ?? POLLER_DEFAULTS.concurrency,
    batchWindowMs: options.batchWindowMs ?? POLLER_DEFAULTS.batchWindowMs,
    maxBackoffMs: options.maxBackoffMs ?? POLLER_DEFAULTS.maxBackoffMs,
    history: { ...POLLER_DEFAULTS.history, ...history },
    maintenance: maintenance ?? shard.index === 0,
    session: {
      timeoutMs: options.timeoutMs ?? POLLER_DEFAULTS.timeoutMs,
      retries: options.retries ?? POLLER_DEFAULTS.retries,
      ...(options.maxRepetitions !== undefined && { maxRepetitions: options.maxRepetitions }),
    },
    log: (options.log ?? rootLog).child({ component: 'poller', shard: `${shard.index}/${shard.count}` }),
    bufferWindowMs: options.bufferWindowMs ?? POLLER_DEFAULTS.bufferWindowMs,
  };
}
