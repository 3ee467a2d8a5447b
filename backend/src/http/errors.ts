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
    e = new DomainError('BAD_REQUEST', 'the request body is too large', { field: 'body' });
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
