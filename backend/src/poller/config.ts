import { z } from 'zod';
import { parseShard, type Shard } from './shard';

/**
 * Poller and history configuration from environment variables, validated once
 * at start (defaults first, unknown values rejected with what is allowed).
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | `POLL_INTERVAL_SECONDS` | 60 | poll interval of every device |
 * | `POLL_INTERVALS` | — | per-device overrides, `glob=seconds` comma-separated, e.g. `hz-4413-*=30,hz-441302-agg-01=120` |
 * | `POLL_CONCURRENCY` | 16 | devices polled at once, at most |
 * | `SNMP_TIMEOUT_MS` | 2000 | wait per SNMP attempt |
 * | `SNMP_RETRIES` | 1 | resends after the first attempt |
 * | `POLL_MAX_BACKOFF_SECONDS` | 900 | ceiling of the back-off of failing devices |
 * | `POLL_SHARD` | 0/1 | `i/N`: poll only devices with hash(hostname) mod N = i |
 * | `POLL_BUFFER_MINUTES` | 30 | cycles held while Neo4j is away (written in order when it is back); older ones are dropped and counted |
 * | `HISTORY_RETENTION_DAYS` | 35 | raw samples (hour buckets) kept this long |
 * | `HISTORY_ROLLUP_RETENTION_DAYS` | 400 | daily max/avg/p95 kept this long |
 * | `SNMP_TARGETS` | — | unset or `mgmt`: each device's mgmtAddress:161; else a YAML/JSON file `targets: {hostname: "host:port"}` (others: mgmtAddress:161) |
 * | `LAB_BASE_PORT` | 16100 | lab mode: first agent port (0 = any free ports) |
 * | `LAB_SEED` | 1 | lab mode: seed of traffic and shortfalls |
 *
 * Lab mode (the lab's loopback agents instead of the network) is never a
 * default: the caller asks for it (`serve --lab`, `LAB=1`, read by config.ts)
 * and passes `{ lab: true }`.
 */
const schema = z
  .object({
    POLL_INTERVAL_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
    POLL_INTERVALS: z.string().optional(),
    POLL_CONCURRENCY: z.coerce.number().int().min(1).max(1024).default(16),
    SNMP_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(2000),
    SNMP_RETRIES: z.coerce.number().int().min(0).max(10).default(1),
    POLL_MAX_BACKOFF_SECONDS: z.coerce.number().int().min(5).max(86_400).default(900),
    POLL_SHARD: z.string().default('0/1'),
    POLL_BUFFER_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
    HISTORY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(35),
    HISTORY_ROLLUP_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(400),
    SNMP_TARGETS: z.string().optional(),
    LAB_BASE_PORT: z.coerce.number().int().min(0).max(65_535).default(16_100),
    LAB_SEED: z.coerce.number().int().default(1),
  })
  .strip();

export type TargetMode = { mode: 'lab' } | { mode: 'mgmt' } | { mode: 'file'; path: string };

export interface PollerConfig {
  intervalMs: number;
  /** Per-device interval, ms (the override matching the hostname, else `intervalMs`). */
  intervalFor: (hostname: string) => number;
  concurrency: number;
  timeoutMs: number;
  retries: number;
  maxBackoffMs: number;
  /** Time of cycles held while Neo4j is away, ms. */
  bufferWindowMs: number;
  shard: Shard;
  retentionDays: number;
  rollupRetentionDays: number;
  targets: TargetMode;
  lab: { basePort: number; seed: number };
}

/**
 * @param opts.lab lab mode asked for: poll the lab's simulated routers. Default false: the network.
 * @example loadPollerConfig({ POLL_INTERVAL_SECONDS: '30', POLL_SHARD: '1/2' })
 * @example loadPollerConfig(process.env, { lab: true }).targets // → { mode: 'lab' }
 * @throws Error listing every bad variable, e.g. `POLL_SHARD: shard must be i/N with 0 ≤ i < N. Got: 2/2`,
 *   and SNMP_TARGETS set in lab mode (which of the two is meant is not for the poller to guess)
 */
export function loadPollerConfig(env: NodeJS.ProcessEnv = process.env, opts: { lab?: boolean } = {}): PollerConfig {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  const issues = parsed.success ? [] : parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  let shard: Shard = { index: 0, count: 1 };
  let overrides: Array<[RegExp, number]> = [];
  if (parsed.success) {
    try {
      shard = parseShard(parsed.data.POLL_SHARD);
    } catch (e) {
      issues.push(`  POLL_SHARD: ${(e as Error).message}`);
    }
    try {
      overrides = parseIntervals(parsed.data.POLL_INTERVALS ?? '');
    } catch (e) {
      issues.push(`  POLL_INTERVALS: ${(e as Error).message}`);
    }
    if (opts.lab && parsed.data.SNMP_TARGETS !== undefined) {
      issues.push(
        `  SNMP_TARGETS: lab mode (--lab, LAB=1) polls the lab's simulated routers, not SNMP_TARGETS. Got: ${parsed.data.SNMP_TARGETS}; unset one of them`,
      );
    }
  }
  if (!parsed.success || issues.length > 0) throw new Error(`invalid poller configuration:\n${issues.join('\n')}`);
  const c = parsed.data;
  const intervalMs = c.POLL_INTERVAL_SECONDS * 1000;
  const targets: TargetMode = opts.lab
    ? { mode: 'lab' }
    : c.SNMP_TARGETS === undefined || c.SNMP_TARGETS === 'mgmt'
      ? { mode: 'mgmt' }
      : { mode: 'file', path: c.SNMP_TARGETS };
  return {
    intervalMs,
    intervalFor: (hostname) => overrides.find(([re]) => re.test(hostname))?.[1] ?? intervalMs,
    concurrency: c.POLL_CONCURRENCY,
    timeoutMs: c.SNMP_TIMEOUT_MS,
    retries: c.SNMP_RETRIES,
    maxBackoffMs: c.POLL_MAX_BACKOFF_SECONDS * 1000,
    bufferWindowMs: c.POLL_BUFFER_MINUTES * 60_000,
    shard,
    retentionDays: c.HISTORY_RETENTION_DAYS,
    rollupRetentionDays: c.HISTORY_ROLLUP_RETENTION_DAYS,
    targets,
    lab: { basePort: c.LAB_BASE_PORT, seed: c.LAB_SEED },
  };
}

/**
 * `glob=seconds,…` → [pattern, ms]; `*` matches any run of characters. First match wins.
 * @example parseIntervals('hz-4413-*=30') // → [[/^hz-4413-.*$/, 30000]]
 */
export function parseIntervals(text: string): Array<[RegExp, number]> {
  const out: Array<[RegExp, number]> = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z0-9._*-]+)=(\d+)$/.exec(part);
    const seconds = m ? Number(m[2]) : NaN;
    if (!m || !(seconds >= 5 && seconds <= 3600)) {
      throw new Error(`each entry must be hostname-glob=seconds (5–3600), e.g. hz-4413-*=30. Got: ${part}`);
    }
    const re = new RegExp(`^${m[1]!.replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`);
    out.push([re, seconds * 1000]);
  }
  return out;
}
