import type { ErrorRequestHandler, RequestHandler } from 'express';
import { DomainError } from '@extranet/topology';
import { z } from 'zod';
import { log } from '../log';

/**
 * The one place where errors become HTTP responses. Body shape, always:
 * `{ error: { code, message, field?, hint?, details? } }`.
 */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  let e: DomainError;
  if (err instanceof DomainError) e = err;
  else if (err instanceof z.ZodError) e = fromZod(err);
  else if ((err as { type?: string }).type === 'entity.parse.failed') {
    e = new DomainError('BAD_REQUEST', 'the request body is not valid JSON', { field: 'body' });
  } else if ((err as { type?: string }).type === 'entity.too.large') {
    const limit = (err as { limit?: number }).limit;
    e = new DomainError('PAYLOAD_TOO_LARGE', `the request body is too large${limit ? ` (at most ${limit} bytes here)` : ''}`, {
      field: 'body',
    });
  } else if ((err as { type?: string }).type === 'encoding.unsupported' || (err as { type?: string }).type === 'charset.unsupported') {
    e = new DomainError('UNSUPPORTED_MEDIA_TYPE', (err as Error).message, {
      field: 'body',
      hint: 'send the body uncompressed (or gzip, deflate, br) in UTF-8',
    });
  } else if (err instanceof URIError) {
    // A path with a malformed percent-escape (`/api/sites/%FF`): express's decodeURIComponent throws.
    e = new DomainError('BAD_REQUEST', 'the URL has a malformed percent-escape', { field: 'path' });
  } else {
    log.error({ err, method: req.method, url: req.originalUrl }, 'unhandled error');
    res.status(500).json({ error: { code: 'INTERNAL', message: 'internal error; see the server log' } });
    return;
  }
  if (e.status >= 500) log.warn({ code: e.code, url: req.originalUrl }, e.message);
  res.status(e.status).json({ error: e.toJSON() });
};

/** Unknown routes under /api. */
export const notFound: RequestHandler = (req, _res, next) => {
  next(new DomainError('NOT_FOUND', `no such endpoint: ${req.method} ${req.path}`, { hint: 'see GET /api/openapi.json' }));
};

/** A zod failure on request input becomes BAD_REQUEST naming the first bad field. */
export function fromZod(err: z.ZodError): DomainError {
  const first = err.issues[0];
  const field = first?.path.join('.') || (first?.code === 'unrecognized_keys' ? first.keys.join(',') : undefined);
  const message = first?.code === 'unrecognized_keys' ? `unknown parameter: ${first.keys.join(', ')}` : (first?.message ?? 'invalid input');
  return new DomainError('BAD_REQUEST', message, {
    ...(field && { field }),
    details: { issues: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
  });
}

/** Parses `input` with `schema` or throws BAD_REQUEST. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const r = schema.safeParse(input);
  if (!r.success) throw fromZod(r.error);
  return r.data;
}
