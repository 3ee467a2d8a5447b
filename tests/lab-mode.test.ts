import type { ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../backend/src/config';
import { spawnExtranet } from './helpers/cli';
import { LAB_PROFILES } from '../backend/src/lab/lab';
import type { Store } from '../backend/src/neo4j/store';
import { importPlanDir } from '../backend/src/plan/service';
import { loadStoredPlan, pollableDevices } from '../backend/src/poller/state-store';
import { readInterfaces } from '../backend/src/snmp/ifmib';
import { openSession } from '../backend/src/snmp/session';
import { testAuth, type TestAuth } from './helpers/auth';
import { getJson as getJsonAs } from './helpers/http';
import { openTestStore, resetGraph } from './helpers/store';

/**
 * Production polls the network; the lab is asked for. `extranet serve` as an
 * OS process on the test Neo4j, with the small fixture plan whose management
 * addresses are moved from 10.44.x.x to 127.44.x.x — so "the network" is
 * loopback, where no agent listens on port 161, and no test ever sends a
 * packet to a 10.x router.
 */
const MINI = path.join(repoRoot, 'tests', 'fixtures', 'plans', 'mini');

let store: Store;
let tmp: string;
let planDir: string;
/** hostname → its (loopback) management address, for the plan's pollable devices. */
let mgmt: Map<string, string>;
let profilesFile: string;
/** Every request is an operator's (who may switch lab faults), so a 404 can only mean "not mounted". */
let auth: TestAuth;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'extranet-lab-mode-'));
  planDir = path.join(tmp, 'plan');
  fs.cpSync(MINI, planDir, { recursive: true });
  const devicesFile = path.join(planDir, 'devices.yaml');
  fs.writeFileSync(devicesFile, fs.readFileSync(devicesFile, 'utf8').replace(/mgmtAddress: 10\./g, 'mgmtAddress: 127.'));
  // Credentials for the network: a community no agent knows (only the target matters here).
  profilesFile = path.join(tmp, 'profiles.json');
  const v2c = { version: '2c', community: 'lab-mode-test-community' };
  fs.writeFileSync(profilesFile, JSON.stringify({ profiles: { 'huizhou-v3': v2c, 'huizhou-v2c': v2c } }), { mode: 0o600 });

  store = await openTestStore();
  await resetGraph(store);
  await importPlanDir(store, planDir);
  auth = await testAuth(store);
  mgmt = new Map(pollableDevices(await loadStoredPlan(store)).map((d) => [d.hostname, d.mgmtAddress!]));
  expect(mgmt.size).toBeGreaterThanOrEqual(5);
  expect([...mgmt.values()].every((a) => a.startsWith('127.'))).toBe(true);
});

afterAll(async () => {
  await resetGraph(store);
  await store?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface Serve {
  base: string;
  proc: ChildProcess;
  out: () => string;
  stop: () => Promise<number | null>;
}

/** `extranet serve ARGS` with a clean lab/targets environment plus `extra`; resolves once it prints its URL. */
function serve(args: string[], extra: NodeJS.ProcessEnv): Promise<Serve> {
  const env = {
    ...process.env,
    PORT: '0',
    LOG_LEVEL: 'info',
    PLAN_DIR: planDir,
    LAB: '',
    SNMP_TARGETS: '',
    SNMP_PROFILES_FILE: profilesFile,
    POLL_INTERVAL_SECONDS: '5',
    SNMP_TIMEOUT_MS: '300',
    SNMP_RETRIES: '0',
    ...extra,
  };
  const proc = spawnExtranet(['serve', ...args], { env });
  let out = '';
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const stop = async () => {
    if (proc.exitCode === null) proc.kill('SIGTERM');
    return exited;
  };
  return new Promise((resolve, reject) => {
    const seen = (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) resolve({ base: m[1]!, proc, out: () => out, stop });
    };
    proc.stdout.on('data', seen);
    proc.stderr.on('data', seen);
    void exited.then((code) => reject(new Error(`serve exited (${code}): ${out}`)));
  });
}

/** Binds `address:port`; true when it could (then lets go again). */
function canBind(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.once('error', () => resolve(false));
    s.bind(port, address, () => s.close(() => resolve(true)));
  });
}

/** A first port such that the next `count` UDP ports on 127.0.0.1 are free right now. */
async function freePortBlock(count: number): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 40_000);
    const free = await Promise.all(Array.from({ length: count }, (_, i) => canBind('127.0.0.1', base + i)));
    if (free.every(Boolean)) return base;
  }
  throw new Error(`no ${count} consecutive free UDP ports found`);
}

const getJson = (url: string) => getJsonAs(url, auth.header('operator'));

async function labFaults(base: string, body?: unknown): Promise<{ status: number; body: any }> {
  const headers = auth.header('operator');
  const res = await fetch(
    `${base}/api/lab/faults`,
    body === undefined
      ? { headers }
      : { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) },
  );
  return { status: res.status, body: await res.json() };
}

describe('extranet serve without --lab (production)', () => {
  it('polls the management addresses, starts no lab, has no lab-fault endpoints and says lab: false', async () => {
    const labPort = await freePortBlock(mgmt.size);
    const s = await serve([], { LAB_BASE_PORT: String(labPort) });
    try {
      const health = await getJson(`${s.base}/api/health`);
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ status: 'ok', lab: false });
      expect((await labFaults(s.base)).status).toBe(404);
      expect((await labFaults(s.base, { hostname: 'hz-4413-core-01', fault: 'timeout', on: true })).status).toBe(404);
      // No simulated router listens where lab mode would have put them.
      expect(await canBind('127.0.0.1', labPort)).toBe(true);

      // Every pollable device is polled at its mgmtAddress:161, where nothing answers.
      const status = async (h: string) => (await getJson(`${s.base}/api/devices/${h}/status`)).body;
      for (const [hostname, address] of mgmt) {
        await expect.poll(async () => (await status(hostname)).status, { timeout: 30_000, interval: 250 }).not.toBe('not-polled');
        const d = await status(hostname);
        expect(d.status, hostname).toBe('timeout');
        expect(d.lastError.message, hostname).toContain(`${address}:161`);
      }
      expect(s.out()).not.toMatch(/lab mode|LAB MODE/i);
    } finally {
      expect(await s.stop()).toBe(0);
    }
  });

  it("with SNMP_TARGETS=FILE polls the file's addresses", async () => {
    // Two devices listed in the file, on sockets of this test: they must receive the poller's SNMP requests.
    const listed = [...mgmt.keys()].slice(0, 2);
    const sockets = await Promise.all(
      listed.map(
        () =>
          new Promise<dgram.Socket>((resolve) => {
            const sock = dgram.createSocket('udp4');
            sock.bind(0, '127.0.0.1', () => resolve(sock));
          }),
      ),
    );
    const received = listed.map(() => [] as Buffer[]);
    sockets.forEach((sock, i) => sock.on('message', (m) => received[i]!.push(m)));
    const targetsFile = path.join(tmp, 'targets.yaml');
    fs.writeFileSync(targetsFile, `targets:\n${listed.map((h, i) => `  ${h}: "127.0.0.1:${sockets[i]!.address().port}"`).join('\n')}\n`);
    const s = await serve([], { SNMP_TARGETS: targetsFile });
    try {
      expect((await getJson(`${s.base}/api/health`)).body.lab).toBe(false);
      expect((await labFaults(s.base)).status).toBe(404);
      await expect.poll(() => received.map((r) => r.length > 0), { timeout: 30_000, interval: 250 }).toEqual([true, true]);
      expect(received.every((r) => r[0]![0] === 0x30)).toBe(true); // a BER SEQUENCE: an SNMP message
    } finally {
      expect(await s.stop()).toBe(0);
      for (const sock of sockets) sock.close();
    }
  });
});

describe('extranet serve in lab mode (asked for)', () => {
  it('LAB=1: says lab: true, mounts the lab faults, runs the simulated routers on 127.0.0.1 only', async () => {
    const labPort = await freePortBlock(mgmt.size);
    const s = await serve([], { LAB: '1', LAB_BASE_PORT: String(labPort), SNMP_PROFILES_FILE: '' });
    try {
      expect(s.out()).toMatch(/LAB MODE — 模拟网络 · 演示数据 \/ simulated network, demo data: \d+ simulated routers on 127\.0\.0\.1/);
      const health = await getJson(`${s.base}/api/health`);
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ status: 'ok', lab: true });

      const listed = await labFaults(s.base);
      expect(listed.status).toBe(200);
      expect(listed.body.items).toEqual([]);
      expect(listed.body.available.map((f: { name: string }) => f.name)).toContain('link-down');
      const set = await labFaults(s.base, { hostname: 'hz-4413-core-01', fault: 'timeout', on: true });
      expect(set.status).toBe(200);
      expect(set.body.items).toEqual([expect.objectContaining({ hostname: 'hz-4413-core-01', fault: 'timeout' })]);

      // The lab's first agent answers SNMP on 127.0.0.1 …
      const session = openSession({ host: '127.0.0.1', port: labPort }, LAB_PROFILES[0]!, { timeoutMs: 1000 });
      try {
        expect((await readInterfaces(session)).interfaces.size).toBeGreaterThan(0);
      } finally {
        session.close();
      }
      // … and none holds the wildcard address: another loopback address can take each of their ports.
      for (let i = 0; i < mgmt.size; i++) expect(await canBind('127.0.0.2', labPort + i), `port ${labPort + i}`).toBe(true);
    } finally {
      expect(await s.stop()).toBe(0);
    }
  });

  it('--lab on the command line does the same', async () => {
    const s = await serve(['--lab'], { LAB_BASE_PORT: '0', SNMP_PROFILES_FILE: '' });
    try {
      expect((await getJson(`${s.base}/api/health`)).body.lab).toBe(true);
      expect((await labFaults(s.base)).status).toBe(200);
      // The lab's routers answer the poller: a device gets polled ok (the lab, not 127.44.x.x:161).
      await expect
        .poll(async () => (await getJson(`${s.base}/api/devices/hz-4413-core-01/status`)).body.status, { timeout: 30_000, interval: 250 })
        .toBe('ok');
    } finally {
      expect(await s.stop()).toBe(0);
    }
  });

  it('refuses lab mode with SNMP_TARGETS set rather than guess which is meant', async () => {
    const err = await serve(['--lab'], { SNMP_TARGETS: 'mgmt' }).then(
      async (s) => {
        await s.stop();
        return new Error('serve started');
      },
      (e: Error) => e,
    );
    expect(err.message).toMatch(/serve exited \(1\)/);
    expect(err.message).toMatch(/SNMP_TARGETS: lab mode \(--lab, LAB=1\) polls the lab's simulated routers, not SNMP_TARGETS\. Got: mgmt/);
  });
});
