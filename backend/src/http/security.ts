import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * Security headers (helmet): a Content-Security-Policy the UI works under —
 * scripts and styles only from this origin, no inline script, no framing
 * (`frame-ancestors 'none'`), connections only back to this origin (REST and
 * socket.io's WebSocket) — nosniff, no referrer across origins, and HSTS only
 * when the request came over HTTPS (a plain-HTTP lab install must not pin HTTPS).
 */
export function securityHeaders(): RequestHandler {
  const withHsts = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'none'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
  });
  return (req, res, next) => {
    if (req.secure) return withHsts(req, res, next);
    // Same headers minus HSTS: run the full set, then drop the one header that only HTTPS may carry.
    withHsts(req, res, (err?: unknown) => {
      if (err) return next(err);
      res.removeHeader('Strict-Transport-Security');
      next();
    });
  };
}
