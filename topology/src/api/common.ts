import { z } from 'zod';
import { ERROR_CODES } from '../errors';
import { identifierString, siteCodeString } from '../plan/schema';

/**
 * Schemas every feature's declarations share: identifiers with the plan's own
 * patterns, the list page, the error body. Path and query values arrive as
 * strings; numbers in a query are coerced here, once.
 */

/** A site code: the plan schema's rule (see SITE_CODE_PATTERN). */
export const siteCodeParam = siteCodeString.meta({ example: '441302' });
export const linkIdParam = identifierString('a link id', 'L-4413-441302').meta({ example: 'L-4413-441302' });
export const hostnameParam = identifierString('a hostname', 'hz-441302-agg-01').meta({ example: 'hz-441302-agg-01' });

/** An ISO 8601 time with its offset, as the API takes and gives times. */
export const isoTime = z.iso.datetime({ offset: true, error: 'an ISO 8601 time with offset, e.g. 2025-03-04T10:00:00+08:00' });

/** `{items, total}`: every list answer. */
export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number().int() });

/** An integer in a query string, e.g. `?limit=50`. */
export const queryInt = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** The closed set of error codes, as a schema. */
export const errorCode = z.enum(Object.keys(ERROR_CODES) as [keyof typeof ERROR_CODES, ...(keyof typeof ERROR_CODES)[]]);

/** The body of every 4xx and 5xx: `{error: {code, message, field?, hint?, details?}}`. Match on `code`. */
export const errorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Stable code; one of ERROR_CODES, or INTERNAL' }),
      message: z.string(),
      field: z.string().optional(),
      hint: z.string().optional(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .meta({ id: 'Error' });
export type ApiErrorBody = z.infer<typeof errorBody>;

/** An empty query: the endpoint takes no parameters (unknown ones are a 400). */
export const noQuery = z.strictObject({});
