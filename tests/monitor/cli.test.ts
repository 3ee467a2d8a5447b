import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../backend/src/neo4j/store';
import { importPlanDir } from '../../backend/src/plan/service';
import { readInterfaces } from '../../backend/src/snmp/ifmib';
import { openSession } from '../../backend/src/snmp/session';
import { startLabMode, type LabMode } from '../../backend/src/poller/lab-mode';
import { inShard } from '../../backend/src/poller/shard';
import { loadTargetsFile } from '../../backend/src/poller/targets';
import { LAB_PROFILES } from '../../backend/src/lab/lab';
import { spawnExtranet } from '../helpers/cli';
import { openTestStore, resetGraph } from '../helpers/store';
import { MINI } from './fixture';

/**
 * `extranet poll --once` and `extranet lab` as separate OS processes, the way
 * an operator runs them: on the test Neo4j (NEO4J_URI), in lab mode (LAB=1), on free ports.
 */
const env = { ...process.env, LOG_LEVEL: 'warn', LAB: '1', LAB_BASE_PORT: '0', PLAN_DIR: MINI };

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const p = spawnExtranet(args, { env: { ...env, ...extraEnv } });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('exit', (code) => resolve({ code, out, err }));
  });
}

let store: Store;
const lastPolls = async () =>
  (
    await store.read((tx) =>
      tx.run('MATCH (d:Device) WHERE d.lastPollAt IS NOT NULL RETURN d.hostname AS h, d.lastPollAt AS at ORDER BY h'),
    )
  ).records.map((r) => `${r.get('h')}@${r.get('at')}`);

beforeAll(async () => {
  store = await openTestStore();
  await resetGraph(store);
  await importPlanDir(store, MINI);
});
afterAll(async () => {
  await resetGraph(store);
  await store?.close();
});

describe('extranet poll --once', () => {
  it('polls every pollable device once, prints each with its status, writes the history', async () => {
    const r = await cli(['poll', '--once']);
    expect(r.code, r.err).toBe(0);
    const lines = r.out.split('\n').filter((l) => /^\S+\s+(ok|timeout|no-such-interface)\s/.test(l));
    expect(lines.length).toBeGreaterThanOrEqual(5);
    expect(lines.every((l) => /\sok\s+\d+ ms\s+\d+ req\s+\d+ interfaces read, 0 rates \(no rate: first-sample\)/.test(l))).toBe(true);
    expect(r.out).toMatch(
      new RegExp(
        `${lines.length} devices polled in \\d+ ms: ${lines.length} ok, 0 not; \\d+ links judged, \\d+ meet their target; \\d+ samples written`,
      ),
    );
    expect((await lastPolls()).length).toBe(lines.length);
  });

  it('polls only the named devices', async () => {
    const before = await lastPolls();
    const [first, second] = before.map((x) => x.split('@')[0]!);
    const r = await cli(['poll', '--once', '--device', first!, '--device', second!]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/2 devices polled/);
    const after = await lastPolls();
    expect(after.filter((x) => !before.includes(x)).map((x) => x.split('@')[0])).toEqual([first, second]);
  });

  it('refuses a device that is not in the plan, and polls nothing', async () => {
    const before = await lastPolls();
    const r = await cli(['poll', '--once', '--device', 'no-such-router']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/error \[BAD_REQUEST\]: not a pollable device of the stored plan: no-such-router\n\s+fix: pollable devices: /);
    expect(await lastPolls()).toEqual(before);
  });

  it('polls the lab a running serve holds (its ports are taken) rather than a lab of its own: the counters continue', async () => {
    let lab: LabMode | undefined;
    let basePort = 0;
    for (let attempt = 0; lab === undefined; attempt++) {
      basePort = 20_000 + Math.floor(Math.random() * 30_000);
      lab = await startLabMode(store, { basePort, env: {} }).catch((e: unknown) => {
        if (attempt >= 4) throw e;
        return undefined;
      });
    }
    try {
      const run = () => cli(['poll', '--once'], { LAB_BASE_PORT: String(basePort) });
      const first = await run();
      expect(first.code, first.err).toBe(0);
      expect(first.out).toContain(`polled the lab already running on 127.0.0.1:${basePort}+`);
      await new Promise((r) => setTimeout(r, 1200)); // rates need readings ≥ 1 s apart
      const second = await run();
      expect(second.code, second.err).toBe(0);
      const rates = [...second.out.matchAll(/interfaces read, (\d+) rates/g)].map((m) => Number(m[1]));
      expect(rates.length).toBeGreaterThanOrEqual(5);
      expect(rates.every((n) => n > 0)).toBe(true);
      expect(second.out).not.toMatch(/no rate: (reboot|counter-decreased)/);
    } finally {
      await lab.stop();
    }
  });

  it('refuses a named device outside the given shard, and polls nothing', async () => {
    const before = await lastPolls();
    const outside = before.map((x) => x.split('@')[0]!).find((h) => !inShard(h, { index: 0, count: 2 }))!;
    const r = await cli(['poll', '--once', '--shard', '0/2', '--device', outside]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`error [BAD_REQUEST]: not in shard 0/2: ${outside}`);
    expect(await lastPolls()).toEqual(before);
  });

  it('says what to use when --once is missing', async () => {
    const r = await cli(['poll']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/needs --once/);
  });
});

describe('extranet lab', () => {
  it('serves the plan as SNMP agents, writes a targets file the poller reads, and stops on "stop"', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'extranet-lab-cli-'));
    const targetsFile = path.join(dir, 'targets.yaml');
    const p = spawnExtranet(['lab', MINI, '--targets-file', targetsFile], { env });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => p.on('exit', resolve));
    try {
      await expect.poll(() => out, { timeout: 60_000 }).toMatch(/type "help" for commands/);
      expect(out).toMatch(/lab: \d+ agents/);
      expect(out).not.toMatch(/lab-public|lab-auth-pass|lab-priv-pass/); // credentials are redacted
      const targets = loadTargetsFile(targetsFile);
      const [hostname, target] = [...targets][0]!;
      expect(out).toContain(`${hostname}`);
      const s = openSession(target, LAB_PROFILES[0]!, { timeoutMs: 1000 });
      try {
        expect((await readInterfaces(s)).interfaces.size).toBeGreaterThan(0);
      } finally {
        s.close();
      }
      p.stdin.write('stop\n');
      expect(await exited).toBe(0);
      expect(out).toMatch(/lab stopped\./);
    } finally {
      p.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('extranet user / token and the audit of CLI writes', () => {
  it('makes an account with a random password printed once, refuses a taken name, lists and revokes tokens, disables and enables accounts, and audits it with the OS user', async () => {
    const made = await cli(['user', 'create', 'cli-admin', '--role', 'admin']);
    expect(made.code, made.err).toBe(0);
    const password = /password \(shown once[^)]*\): (\S+)/.exec(made.out)?.[1];
    expect(password?.length).toBeGreaterThanOrEqual(12);
    const stored = await store.read(
      async (tx) => (await tx.run("MATCH (u:User {username: 'cli-admin'}) RETURN u.passwordHash AS h, u.role AS r")).records[0]!,
    );
    expect(stored.get('r')).toBe('admin');
    expect(String(stored.get('h'))).toMatch(/^\$argon2id\$/);
    expect(String(stored.get('h'))).not.toContain(password);
    const again = await cli(['user', 'create', 'cli-admin', '--role', 'viewer']);
    expect([again.code, again.err]).toEqual([1, expect.stringContaining('USER_EXISTS')]);
    const badRole = await cli(['user', 'create', 'someone', '--role', 'root']);
    expect([badRole.code, badRole.err]).toEqual([1, expect.stringContaining('--role must be one of viewer, operator, engineer, admin')]);
    const token = await cli(['token', 'create', 'automation', '--user', 'cli-admin', '--role', 'engineer', '--days', '7']);
    expect(token.code, token.err).toBe(0);
    expect(token.out).toMatch(/secret \(shown once\): xmt_[A-Za-z0-9_-]{40,}/);
    const id = /^token (\S+) /m.exec(token.out)![1]!;
    const revoked = await cli(['token', 'revoke', id]);
    expect([revoked.code, revoked.out.trim()]).toEqual([0, `token ${id} revoked`]);
    expect((await cli(['token', 'list'])).out).toMatch(new RegExp(`^${id}\tautomation\tengineer\tcli-admin\t.*\trevoked \\d{4}-`, 'm'));
    const unknown = await cli(['token', 'revoke', 'no-such-token']);
    expect([unknown.code, unknown.err]).toEqual([1, expect.stringContaining('NOT_FOUND')]);
    // The last admin cannot be locked out; another account can, and let back in.
    const last = await cli(['user', 'disable', 'cli-admin']);
    expect([last.code, last.err]).toEqual([1, expect.stringContaining('LAST_ADMIN')]);
    expect((await cli(['user', 'create', 'cli-viewer', '--role', 'viewer'])).code).toBe(0);
    const disabled = async () =>
      (await store.read((tx) => tx.run("MATCH (u:User {username: 'cli-viewer'}) RETURN u.disabled AS d"))).records[0]!.get('d') as boolean;
    expect((await cli(['user', 'disable', 'cli-viewer'])).out.trim()).toBe('cli-viewer disabled');
    expect(await disabled()).toBe(true);
    expect((await cli(['user', 'enable', 'cli-viewer'])).out.trim()).toBe('cli-viewer enabled');
    expect(await disabled()).toBe(false);
    const audit = await store.read(async (tx) =>
      (await tx.run("MATCH (a:AuditEvent {via: 'cli'}) RETURN a.action AS action, a.actor AS actor ORDER BY a.at")).records.map((r) => [
        r.get('action'),
        r.get('actor'),
      ]),
    );
    expect(audit).toEqual([
      ['user create', expect.stringMatching(/^cli:/)],
      ['token create', expect.stringMatching(/^cli:/)],
      ['token revoke', expect.stringMatching(/^cli:/)],
      ['user create', expect.stringMatching(/^cli:/)],
      ['user disable', expect.stringMatching(/^cli:/)],
      ['user enable', expect.stringMatching(/^cli:/)],
    ]);
  });
});
