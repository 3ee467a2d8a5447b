import { timingSafeEqual } from 'node:crypto';
import os from 'node:os';
import type { NextFunction, Request, Response } from 'express';
import { allows, DomainError, type Endpoint } from '@extranet/topology';

/**
 * The one enforcement point of permissions: every declared endpoint names the
 * permission it needs (topology/src/api), and this check runs before its input
 * is even parsed. Cookie sessions also need, on every write, the session's CSRF
 * token in `X-CSRF-Token` and an allowed Origin — so a cross-site form, a
 * `text/plain` post or a page on another origin cannot write through a
 * logged-in engineer's browser. Bearer tokens are not sent by browsers on
 * their own, so they need neither.
 */
export interface GuardOptions {
  /** Origins allowed besides the server's own (scheme://host[:port]). */
  allowedOrigins: readonly string[];
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function authorize(opts: GuardOptions) {
  return (e: Endpoint, req: Request): void => {
    const write = !SAFE_METHODS.has(req.method);
    if (write && (req.principal?.via === 'session' || e.permission === 'public')) checkOrigin(req, opts.allowedOrigins);
    if (e.permission === 'public') return;
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- re-raises what the resolver caught (a DomainError from the store or the token check)
    if (req.authError !== undefined) throw req.authError;
    const p = req.principal;
    if (!p)
      throw new DomainError('UNAUTHENTICATED', 'log in first', { hint: 'POST /api/auth/login, or send Authorization: Bearer <API token>' });
    if (!allows(p.role, e.permission)) {
      throw new DomainError('FORBIDDEN', `${e.method} ${e.path} needs the ${e.permission} permission; ${p.username} is ${p.role}`, {
        hint: 'ask an admin for a role that allows it',
      });
    }
    if (write && p.via === 'session') checkCsrf(req);
  };
}

function checkCsrf(req: Request): void {
  const expected = req.session?.csrfToken;
  const got = req.get('x-csrf-token');
  if (!expected || !got || got.length !== expected.length || !timingSafeEqual(Buffer.from(got), Buffer.from(expected))) {
    throw new DomainError('CSRF', 'missing or wrong X-CSRF-Token for this session', {
      hint: 'send the csrfToken from POST /api/auth/login or GET /api/auth/me as the X-CSRF-Token header',
    });
  }
}

/** The request's own origin, as the browser would write it. */
function ownOrigin(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? ''}`;
}

function checkOrigin(req: Request, allowed: readonly string[]): void {
  const origin = req.get('origin');
  if (origin !== undefined) {
    if (origin === ownOrigin(req) || allowed.includes(origin)) return;
    throw new DomainError('ORIGIN_NOT_ALLOWED', `writes from ${origin.slice(0, 100)} are not allowed`, {
      hint: 'add the origin to ALLOWED_ORIGINS if it is a front end of this server',
    });
  }
  // No Origin (older browsers on same-origin POST, or non-browser clients): Fetch Metadata tells a cross-site request apart.
  if (req.get('sec-fetch-site') === 'cross-site') {
    throw new DomainError('ORIGIN_NOT_ALLOWED', 'cross-site writes are not allowed');
  }
}

/** Whether an origin may open a live (socket.io) connection: same host, or listed. */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true; // not a browser: it authenticates like any API client
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * The Host names this server answers to, against DNS rebinding: the configured
 * list, or by default the loopback names and this machine's name and addresses.
 */
export function defaultAllowedHosts(): string[] {
  const hosts = new Set(['localhost', '127.0.0.1', '[::1]', os.hostname()]);
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) hosts.add(a.family === 'IPv6' ? `[${a.address}]` : a.address);
  }
  return [...hosts];
}

/** Refuses a request whose Host header is not one of `hosts` (with or without a port). */
export function checkHost(hosts: readonly string[]) {
  const allowed = new Set(hosts.map((h) => h.toLowerCase()));
  return (req: Request, _res: Response, next: NextFunction): void => {
    const host = (req.get('host') ?? '').toLowerCase();
    const name = host.replace(/:\d+$/, '');
    if (allowed.has(host) || allowed.has(name)) return next();
    next(
      new DomainError('HOST_NOT_ALLOWED', `this server does not answer to Host ${host.slice(0, 100) || '(none)'}`, {
        hint: 'set ALLOWED_HOSTS to the names users reach this server by',
      }),
    );
  };
}
