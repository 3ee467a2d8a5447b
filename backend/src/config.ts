import path from 'node:path';
import { z } from 'zod';

/**
 * Runtime configuration, from environment variables only, validated once at
 * start. Every variable and its default is listed in the README and in
 * `.env.example`.
 */
const schema = z
  .object({
    /** bolt:// or neo4j:// URI of an existing server; unset = start the embedded Neo4j. */
    NEO4J_URI: z.string().url().optional(),
    /** User and password for NEO4J_URI; the embedded Neo4j uses its own (auth.json in NEO4J_DATA_DIR). */
    NEO4J_USER: z.string().default('neo4j'),
    NEO4J_PASSWORD: z.string().optional(),
    /** Data folder of the embedded Neo4j (kept to its owner: mode 700, its password file 600). */
    NEO4J_DATA_DIR: z.string().default('data/neo4j'),
    /** Page cache of the embedded Neo4j: `auto` (a quarter of the machine's memory, taken as the store is read; neo4j/page-cache.ts) or a size (256m, 4g). */
    NEO4J_PAGECACHE: z
      .string()
      .regex(/^(auto|\d+[kmgKMG]?)$/, 'auto or a size such as 256m or 4g')
      .default('auto'),
    /** Java heap of the embedded Neo4j. */
    NEO4J_HEAP: z
      .string()
      .regex(/^\d+[kmgKMG]$/, 'a size such as 512m or 1g')
      .default('1g'),
    /**
     * Longest a Neo4j transaction may run, ms (reads and writes; a CSV import takes 4×). Beyond it
     * Neo4j ends the transaction — one waiting for a lock too — and the request answers 503.
     */
    NEO4J_TX_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
    /** How long `serve` waits at start for a NEO4J_URI server that is not up yet, seconds (0: fail at once). */
    NEO4J_WAIT_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
    HOST: z.string().default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    /** Plan imported at start when the database holds no sites. */
    PLAN_DIR: z.string().default('plans/huizhou'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /**
     * `1`: lab mode, asked for (as `serve --lab`): the plan's devices run as simulated routers on
     * 127.0.0.1 and the poller polls them, and the UI and /api/health say so. Default `0`: the
     * poller polls the network (each device's mgmtAddress:161, or the SNMP_TARGETS file).
     */
    LAB: z
      .enum(['1', '0', 'true', 'false'], {
        error: (i) => `LAB is 1 (lab mode: poll simulated routers) or 0 (poll the network). Got: ${String(i.input)}`,
      })
      .default('0')
      .transform((v) => v === '1' || v === 'true'),
  })
  .strip();

export type Config = z.infer<typeof schema>;

/** Parses the environment; throws a readable error naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** Repository root (two levels above backend/src), so relative defaults work from any cwd. */
export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

export function resolveFromRoot(p: string): string {
  return path.isAbsolute(p) ? p : path.resolve(repoRoot, p);
}
