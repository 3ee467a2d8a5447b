import { z } from 'zod';
import { coverageSnapshotSchema } from '../monitor/coverage-snapshot';
import { endpoint } from './endpoint';

/** Coverage over time: the daily snapshots of the three-tier figures and of each county-level unit. */

/** A calendar day, `YYYY-MM-DD` (a real date). */
export const calendarDayParam = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'a calendar day YYYY-MM-DD, e.g. 2025-03-04' })
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), {
    error: 'not a date on the calendar, e.g. 2025-03-04',
  })
  .meta({ example: '2025-03-04' });

export const coverageHistorySchema = z
  .object({
    /** First and last day asked for (inclusive). */
    from: z.string(),
    to: z.string(),
    /** Days a snapshot is kept. */
    retentionDays: z.number().int(),
    /** One snapshot per day that has one, oldest first. */
    days: z.array(coverageSnapshotSchema),
  })
  .meta({ id: 'CoverageHistory' });
export type CoverageHistory = z.infer<typeof coverageHistorySchema>;

export const getCoverageHistory = endpoint({
  method: 'GET',
  path: '/api/coverage/history',
  tag: 'coverage',
  permission: 'read',
  summary: 'Daily coverage snapshots (three tiers, overall, each county-level unit), oldest first; default: every day kept',
  query: z.strictObject({ from: calendarDayParam.optional(), to: calendarDayParam.optional() }),
  response: coverageHistorySchema,
});
