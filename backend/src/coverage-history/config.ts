import { MIN_SNAPSHOT_RETENTION_DAYS, DEFAULT_SNAPSHOT_RETENTION_DAYS } from '@extranet/topology';
import { z } from 'zod';

/**
 * Coverage-history configuration from the environment, validated once at start:
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | `COVERAGE_SNAPSHOT_RETENTION_DAYS` | 400 | daily coverage snapshots kept this long (at least 400) |
 */
export interface CoverageHistoryConfig {
  retentionDays: number;
}

const schema = z
  .object({
    COVERAGE_SNAPSHOT_RETENTION_DAYS: z.coerce
      .number()
      .int()
      .min(MIN_SNAPSHOT_RETENTION_DAYS, { error: `at least ${MIN_SNAPSHOT_RETENTION_DAYS} days (a year against the one before)` })
      .max(36_500)
      .default(DEFAULT_SNAPSHOT_RETENTION_DAYS),
  })
  .strip();

/** @throws Error naming the bad variable and what is allowed */
export function loadCoverageHistoryConfig(env: NodeJS.ProcessEnv = process.env): CoverageHistoryConfig {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    throw new Error(`invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  return { retentionDays: parsed.data.COVERAGE_SNAPSHOT_RETENTION_DAYS };
}
