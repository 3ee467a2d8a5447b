import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * The real services the alert tests deliver to, on loopback: Debian's
 * Prometheus Alertmanager (started here with a temporary storage path and
 * clustering off) and a plain HTTP receiver for the JSON webhook.
 */
export const ALERTMANAGER_BIN = '/usr/bin/prometheus-alertmanager';

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export interface RunningAlertmanager {
  url: string;
  /** GET /api/v2/alerts: the alerts Alertmanager holds as active. */
  alerts(): Promise<
    Array<{ labels: Record<string, string>; annotations: Record<string, string>; status: { state: string }; endsAt: string }>
  >;
  stop(): Promise<void>;
}

export async function startAlertmanager(): Promise<RunningAlertmanager> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'alertmanager-'));
  const config = path.join(dir, 'alertmanager.yml');
  // One receiver that sends nowhere: the test reads what Alertmanager holds through its API.
  await writeFile(config, "route:\n  receiver: 'null'\n  group_wait: 1s\nreceivers:\n  - name: 'null'\n");
  const port = await freePort();
  const child: ChildProcess = spawn(
    ALERTMANAGER_BIN,
    [
      `--config.file=${config}`,
      `--storage.path=${dir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`alertmanager exited ${child.exitCode}: ${stderr}`);
    const ok = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`alertmanager not ready after 30 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    async alerts() {
      const r = await fetch(`${url}/api/v2/alerts`);
      if (!r.ok) throw new Error(`GET /api/v2/alerts: ${r.status}`);
      return (await r.json()) as never;
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface WebhookReceiver {
  url: string;
  bodies: unknown[];
  /** Answer the next `n` requests with this status (to test retries). */
  failNext(n: number, status?: number): void;
  stop(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const bodies: unknown[] = [];
  let failing = 0;
  let failStatus = 500;
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      if (failing > 0) {
        failing--;
        res.writeHead(failStatus).end('busy');
        return;
      }
      bodies.push(JSON.parse(text));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?key=robot-secret`,
    bodies,
    failNext(n, status = 500) {
      failing = n;
      failStatus = status;
    },
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
