import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { createApp } from '../../backend/src/http/app';
import type { Store } from '../../backend/src/neo4j/store';

/** Serves the real express app on a loopback port; returns its base URL and a closer. */
export async function serveApp(store: Store): Promise<{ base: string; close: () => Promise<void> }> {
  const server = http.createServer(createApp({ store }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export async function getJson(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url);
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
