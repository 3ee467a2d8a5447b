/**
 * A small HTTP server for the map benchmark: the built frontend (frontend/dist)
 * and the read API the topology view calls on load, answered from a plan's
 * projection (views.ts). `/api/coverage` answers 404, so the page runs as
 * against a back end without monitoring: it colours the sites from the plan.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { PlanViews } from './views';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

export interface BenchServer {
  base: string;
  close(): Promise<void>;
}

export async function serveMap(dist: string, views: PlanViews): Promise<BenchServer> {
  const bodies: Record<string, string> = {
    '/api/topology': JSON.stringify(views.topology),
    '/api/sites': JSON.stringify(views.sites),
    [`/api/sites/${views.city.code}`]: JSON.stringify(views.city.detail),
    '/api/links': JSON.stringify(views.links),
    '/api/auth/me': JSON.stringify({
      user: { username: 'bench', displayName: 'Bench', role: 'viewer' },
      via: 'session',
      csrfToken: null,
      expiresAt: null,
    }),
    '/api/health': JSON.stringify({ status: 'ok', neo4j: { reachable: true, latencyMs: 1, mode: 'embedded' }, lab: false }),
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const body = bodies[url.pathname];
    if (body !== undefined) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      return;
    }
    if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/socket.io/')) {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { code: 'NOT_FOUND', message: `no route ${url.pathname}` } }));
      return;
    }
    const file = path.join(dist, url.pathname === '/' ? 'index.html' : path.normalize(url.pathname).replace(/^(\.\.[/\\])+/, ''));
    fs.readFile(file, (err, data) => {
      if (err) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(data);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
