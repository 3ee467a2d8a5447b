import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import neo4j, { type AuthToken } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, repoRoot } from '../backend/src/config';
import { spawnExtranet } from './helpers/cli';
import { AUTH_FILE, embeddedCredentials } from '../backend/src/neo4j/credentials';
import { Store } from '../backend/src/neo4j/store';
import { getJson, serveApp } from './helpers/http';
import { openTestStore, resetGraph } from './helpers/store';

/**
 * The embedded Neo4j is closed: loopback is shared by every local user, so the
 * server asks for the password kept in its data folder (0600), and nothing the
 * product shows or logs gives that password or the server's address away.
 *
 * Against the test run's embedded server (tests/setup/neo4j.ts); skipped when
 * NEO4J_URI was given from outside. Neo4j locks a user for 5 s after 3 failed
 * logins in a row, so every wrong login here is followed by a right one.
 */
const dataDir = process.env.EXTRANET_TEST_NEO4J_DIR;
const uri = process.env.NEO4J_URI!;
const MINI = path.join(repoRoot, 'tests', 'fixtures', 'plans', 'mini');
const modeOf = (p: string) => fs.statSync(p).mode & 0o777;

async function tryLogin(auth: AuthToken | undefined): Promise<{ ok: true } | { ok: false; code: string; message: string }> {
  const driver = neo4j.driver(uri, auth, { connectionTimeout: 3_000, logging: { level: 'error', logger: () => {} } });
  try {
    await driver.executeQuery('RETURN 1');
    return { ok: true };
  } catch (e) {
    return { ok: false, code: (e as { code: string }).code, message: (e as Error).message };
  } finally {
    await driver.close();
  }
}

describe.skipIf(!dataDir)('the embedded Neo4j asks for its password', () => {
  let password: string;
  let store: Store;
  beforeAll(async () => {
    password = embeddedCredentials(dataDir!).password;
    store = await openTestStore();
    await resetGraph(store);
  });
  afterAll(async () => {
    await resetGraph(store);
    await store.close();
  });

  it('refuses a driver that brings no password, the default one or a wrong one; lets in the one from auth.json', async () => {
    const wrong = `${password.slice(0, -4)}XXXX`;
    expect(await tryLogin(undefined)).toMatchObject({ ok: false, code: 'Neo.ClientError.Security.Unauthorized' });
    expect(await tryLogin(neo4j.auth.basic('neo4j', 'neo4j'))).toMatchObject({ ok: false, code: 'Neo.ClientError.Security.Unauthorized' });
    expect(await tryLogin(neo4j.auth.basic('neo4j', password))).toEqual({ ok: true });
    const refused = await tryLogin(neo4j.auth.basic('neo4j', wrong));
    expect(refused).toMatchObject({ ok: false, code: 'Neo.ClientError.Security.Unauthorized' });
    expect(JSON.stringify(refused)).not.toContain(wrong);
    expect(await tryLogin(neo4j.auth.basic('neo4j', password))).toEqual({ ok: true });
  });

  it("keeps the password file and bolt.json to their owner, and the password out of the launcher's argv and environment", () => {
    expect(modeOf(dataDir!)).toBe(0o700);
    expect(modeOf(path.join(dataDir!, AUTH_FILE))).toBe(0o600);
    const boltFile = path.join(dataDir!, 'bolt.json');
    expect(modeOf(boltFile)).toBe(0o600);
    expect(fs.readFileSync(boltFile, 'utf8')).not.toContain(password);
    const { launcherPid } = JSON.parse(fs.readFileSync(boltFile, 'utf8')) as { launcherPid: number };
    const cmdline = fs.readFileSync(`/proc/${launcherPid}/cmdline`, 'utf8');
    expect(cmdline).toContain('EmbeddedNeo4j'); // it is the launcher
    expect(cmdline).not.toContain(password);
    expect(fs.readFileSync(`/proc/${launcherPid}/environ`, 'utf8')).not.toContain(password);
  });

  it('lets a process that joins in with the password file; /api/health then shows neither address nor password', async () => {
    const joiner = await Store.open(
      { ...loadConfig(), NEO4J_URI: undefined, NEO4J_PASSWORD: undefined, NEO4J_DATA_DIR: dataDir! },
      () => {},
    );
    const app = await serveApp(joiner);
    try {
      expect(joiner.mode).toBe('embedded');
      const { status, body } = await getJson(`${app.base}/api/health`);
      expect(status).toBe(200);
      expect(body.neo4j).toMatchObject({ reachable: true, latencyMs: expect.any(Number) });
      expect(body.neo4j).not.toHaveProperty('uri');
      const text = JSON.stringify(body);
      for (const secret of [password, uri, new URL(uri).port, 'bolt:']) expect(text).not.toContain(secret);
    } finally {
      await app.close();
      await joiner.close();
    }
  });

  it('refuses a process whose password file is wrong, with STORE_UNAVAILABLE and a message that names no password', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'extranet-wrong-password-'));
    const wrong = 'w'.repeat(43);
    try {
      fs.writeFileSync(path.join(dir, AUTH_FILE), JSON.stringify({ user: 'neo4j', password: wrong }), { mode: 0o600 });
      fs.writeFileSync(path.join(dir, 'bolt.json'), JSON.stringify({ pid: process.pid, uri }), { mode: 0o600 });
      const err = await Store.open({ ...loadConfig(), NEO4J_URI: undefined, NEO4J_DATA_DIR: dir }, () => {}).catch((e: unknown) => e);
      expect(err).toMatchObject({
        code: 'STORE_UNAVAILABLE',
        message: expect.stringMatching(/refused the credentials/),
        hint: expect.stringMatching(/auth\.json/),
      });
      expect(`${(err as Error).message} ${JSON.stringify(err)}`).not.toContain(wrong);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      expect(await tryLogin(neo4j.auth.basic('neo4j', password))).toEqual({ ok: true });
    }
  });

  it("never writes the password to the log of `extranet serve` at trace level, nor to Neo4j's own logs", async () => {
    // Joins the test run's server through its data folder (no NEO4J_URI, no NEO4J_PASSWORD); lab mode polls no real address.
    const env = {
      ...process.env,
      NEO4J_URI: '',
      NEO4J_USER: '',
      NEO4J_PASSWORD: '',
      NEO4J_DATA_DIR: dataDir!,
      PORT: '0',
      LAB: '1',
      LAB_BASE_PORT: '0',
      PLAN_DIR: MINI,
      LOG_LEVEL: 'trace',
    };
    const proc = spawnExtranet(['serve'], { env });
    let out = '';
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    try {
      const base = await new Promise<string>((resolve, reject) => {
        const seen = (d: Buffer) => {
          out += d.toString();
          const m = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
          if (m) resolve(m[1]!);
        };
        proc.stdout.on('data', seen);
        proc.stderr.on('data', seen);
        void exited.then((code) => reject(new Error(`serve exited (${code}): ${out}`)));
      });
      expect(out).toMatch(/using the embedded Neo4j already running/); // it joined with the password file
      expect((await getJson(`${base}/api/health`)).body.neo4j.reachable).toBe(true); // a query with the password, after the plan import
    } finally {
      proc.kill('SIGTERM');
      await exited;
    }
    expect(out).toMatch(/"level":10|"level":20|"level":30/); // pino wrote at least one line
    expect(out).not.toContain(password);
    const neo4jLogs = path.join(dataDir!, 'db', 'logs');
    for (const f of fs.readdirSync(neo4jLogs)) expect(fs.readFileSync(path.join(neo4jLogs, f), 'utf8'), f).not.toContain(password);
  });
});
