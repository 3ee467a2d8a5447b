import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { endpoint } from '@extranet/topology';
import { Answer, mountRoutes, route } from './contract';
import { errorHandler } from './errors';

/** Two declared endpoints bound over real HTTP: what the binding parses, refuses and checks. */
const echo = endpoint({
  method: 'POST',
  path: '/api/echo/:id',
  tag: 'test',
  permission: 'engineer',
  summary: 'echo',
  params: z.strictObject({ id: z.string().regex(/^[a-z]+$/) }),
  query: z.strictObject({ n: z.coerce.number().int().optional() }),
  body: z.strictObject({ text: z.string().max(10), times: z.number().int().default(1) }),
  response: z.object({ id: z.string(), n: z.number().nullable(), text: z.string() }),
  success: [201],
});
const lying = endpoint({
  method: 'GET',
  path: '/api/lying',
  tag: 'test',
  permission: 'read',
  summary: 'answers what it did not declare',
  response: z.object({ ok: z.boolean() }),
});

describe('routes bound from declarations', () => {
  let base = '';
  let server: http.Server;
  beforeAll(async () => {
    const app = express();
    const router = express.Router();
    mountRoutes(
      router,
      [
        route(
          echo,
          ({ params, query, body }) => new Answer(201, { id: params.id, n: query.n ?? null, text: body.text.repeat(body.times) }),
        ),
        route(lying, () => ({ ok: 'yes' }) as unknown as { ok: boolean }),
      ],
      { checkResponses: true },
    );
    app.use(router);
    app.use(errorHandler);
    server = http.createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const post = (path: string, body: string, type = 'application/json') =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': type }, body }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as { error?: { code: string; field?: string } } & Record<string, unknown>,
      requestId: r.headers.get('x-request-id'),
    }));

  it('parses path, query and body once, with defaults, and answers the declared status', async () => {
    const r = await post('/api/echo/abc?n=3', JSON.stringify({ text: 'hi', times: 2 }));
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ id: 'abc', n: 3, text: 'hihi' });
    expect(r.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses an unknown body key, a bad path parameter and an unknown query parameter with 400 naming the field', async () => {
    expect((await post('/api/echo/abc', JSON.stringify({ text: 'hi', extra: 1 }))).body.error).toMatchObject({ code: 'BAD_REQUEST' });
    const badPath = await post('/api/echo/ABC', JSON.stringify({ text: 'hi' }));
    expect([badPath.status, badPath.body.error?.field]).toEqual([400, 'id']);
    const badQuery = await post('/api/echo/abc?m=1', JSON.stringify({ text: 'hi' }));
    expect([badQuery.status, badQuery.body.error?.code]).toEqual([400, 'BAD_REQUEST']);
  });

  it('refuses a body of another media type (a cross-site text/plain post) with 415 before reading it', async () => {
    const r = await post('/api/echo/abc', JSON.stringify({ text: 'hi' }), 'text/plain');
    expect([r.status, r.body.error?.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
  });

  it('refuses a body over the declared limit with 413 and malformed JSON with 400', async () => {
    const big = await post('/api/echo/abc', JSON.stringify({ text: 'x'.repeat(70_000) }));
    expect([big.status, big.body.error?.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const broken = await post('/api/echo/abc', '{"text":');
    expect([broken.status, broken.body.error?.code]).toEqual([400, 'BAD_REQUEST']);
  });

  it('answers 500 (and logs) when a handler returns what its declaration does not allow', async () => {
    const r = await fetch(`${base}/api/lying`);
    expect(r.status).toBe(500);
  });

  it('answers a malformed percent-escape in the path with 400, not 500', async () => {
    const r = await post('/api/echo/%FF', JSON.stringify({ text: 'hi' }));
    expect([r.status, r.body.error?.code]).toEqual([400, 'BAD_REQUEST']);
  });
});
