import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { createApp, type AppDeps } from '../../backend/src/http/app';
import { testAuth, type TestAuth } from './auth';
import type { Store } from '../../backend/src/neo4j/store';

/** Headers `getJson` sends: the bearer token of the latest app served (an admin's), as an API client would. */
let defaultHeaders: Record<string, string> = {};
/** Sets what `getJson` sends by default (a test file's own accounts). */
export function setDefaultHeaders(h: Record<string, string>): void {
  defaultHeaders = h;
}

/** Serves the real express app on a loopback port; returns its base URL, the test accounts and a closer. */
export async function serveApp(
  store: Store,
  deps: Partial<Omit<AppDeps, 'store' | 'trust'>> = {},
): Promise<{ base: string; auth: TestAuth; close: () => Promise<void> }> {
  const auth = await testAuth(store);
  defaultHeaders = auth.header('admin');
  const server = http.createServer(createApp({ store, trust: auth.trust, ...deps }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    auth,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export async function getJson(url: string, headers: Record<string, string> = defaultHeaders): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { headers });
  return { status: res.status, body: await res.json() };
}

/**
 * A TCP relay in front of a real server, so a test can cut the connection
 * (`cut()`: drop every socket and refuse new ones) as if Neo4j went down.
 */
export async function tcpRelay(target: { host: string; port: number }): Promise<{ port: number; cut: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as AddressInfo).port,
    cut: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
