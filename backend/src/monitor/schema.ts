import { z } from 'zod';

/** Request parameters of the monitoring API, parsed strictly at the boundary (unknown keys → 400). */

export const linkIdParam = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a link id, e.g. L-4413-441302');
export const hostnameParam = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a hostname, e.g. hz-441302-agg-01');

const isoTime = z.iso.datetime({ offset: true, error: 'an ISO 8601 time with offset, e.g. 2025-03-04T10:00:00+08:00' });

/** `?from&to`: ISO 8601 times; default the last 24 h. */
export const utilizationQuery = z.strictObject({ from: isoTime.optional(), to: isoTime.optional() });

/** Longest `to − from` of one utilization request: 31 days (≈ 45k one-minute samples). */
export const MAX_RANGE_MS = 31 * 86_400_000;
/** Default range: the last 24 hours. */
export const DEFAULT_RANGE_MS = 86_400_000;

/** `GET /coverage` takes no parameters. */
export const coverageQuery = z.strictObject({});
