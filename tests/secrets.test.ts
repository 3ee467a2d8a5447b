import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS, fillPath } from '@extranet/topology';
import { loadConfig } from '../backend/src/config';
import { spawnExtranet } from './helpers/cli';
import { requireAddressPlan } from '../backend/src/ipam/address-plan';
import { provision } from '../backend/src/ipam/provision';
import { log } from '../backend/src/log';
import { Store } from '../backend/src/neo4j/store';
import { createPoller } from '../backend/src/poller/poller';
import type { SnmpProfile } from '../backend/src/snmp/profiles';
import { knownSecrets, testAuth, type TestAuth } from './helpers/auth';
import { serveApp, tcpRelay } from './helpers/http';
import { HUIZHOU, MINUTE, startStack, type Stack } from './monitor/fixture';

/**
 * No configured secret anywhere it could be read: the SNMP communities and
 * keys (and wrong ones, tried against the routers), the accounts' passwords and
 * API tokens, the Neo4j password and the server's key are looked for — as
 * written, in base64 and URL-encoded — in every GET answer (body and headers),
 * every socket.io event of a few poll cycles, the answers and log lines of
 * failed logins and of Neo4j going away, the whole log of this process at
 * trace level, and the output of `extranet serve --lab` run with LOG_LEVEL=trace.
 */
const rand = () => randomBytes(12).toString('base64url');
const SNMP = {
  community: `comm-${rand()}`,
  authKey: `auth-${rand()}`,
  privKey: `priv-${rand()}`,
  wrongCommunity: `wrongcomm-${rand()}`,
  wrongAuthKey: `wrongauth-${rand()}`,
  wrongPrivKey: `wrongpriv-${rand()}`,
};
const snmpEnv = {
  SNMP_PROFILE_HUIZHOU_V3_VERSION: '3',
  SNMP_PROFILE_HUIZHOU_V3_USER: 'poller',
  SNMP_PROFILE_HUIZHOU_V3_LEVEL: 'authPriv',
  SNMP_PROFILE_HUIZHOU_V3_AUTH_PROTOCOL: 'sha256',
  SNMP_PROFILE_HUIZHOU_V3_AUTH_KEY: SNMP.authKey,
  SNMP_PROFILE_HUIZHOU_V3_PRIV_PROTOCOL: 'aes',
  SNMP_PROFILE_HUIZHOU_V3_PRIV_KEY: SNMP.privKey,
  SNMP_PROFILE_HUIZHOU_V2C_VERSION: '2c',
  SNMP_PROFILE_HUIZHOU_V2C_COMMUNITY: SNMP.community,
};

let s: Stack;
let auth: TestAuth;
/** Each secret (by a name that says what it is, never its value) with the forms it must never appear in. */
const secrets = new Map<string, { name: string; forms: string[] }>();

function addSecret(name: string, value: string): void {
  if (secrets.has(value)) return;
  const b = Buffer.from(value);
  secrets.set(value, {
    name,
    forms: [
      ...new Set([value, b.toString('base64'), b.toString('base64url'), encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]),
    ],
  });
}

/** The secrets found in `text`, by name and form. */
function found(where: string, text: string): string[] {
  const hits: string[] = [];
  for (const { name, forms } of secrets.values()) {
    for (const f of forms)
      if (text.includes(f)) hits.push(`${where}: ${name} (${f === forms[0] ? 'as is' : `encoded, ${f.slice(0, 6)}…`})`);
  }
  return hits;
}

/** Everything this process logs: pino's stream, and stdout/stderr, for the whole file. */
const logged: string[] = [];
const { streamSym } = pino.symbols;
const logTarget = log as unknown as Record<symbol, unknown>;
const originalStream = logTarget[streamSym];
const originalLevel = log.level;
const originalWrite = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };

beforeAll(async () => {
  logTarget[streamSym] = { write: (line: string) => void logged.push(line) };
  log.level = 'trace';
  process.stdout.write = (chunk: string | Uint8Array, ...rest: never[]) => (logged.push(String(chunk)), originalWrite.out(chunk, ...rest));
  process.stderr.write = (chunk: string | Uint8Array, ...rest: never[]) => (logged.push(String(chunk)), originalWrite.err(chunk, ...rest));

  s = await startStack({ plan: HUIZHOU, live: true, lab: { env: snmpEnv, shortfalls: [] }, poller: { timeoutMs: 2000, retries: 1 } });
  await provision(s.store, await requireAddressPlan(HUIZHOU), { actor: 'test', reason: 'secrets test: provision the plan by policy' });
  auth = await testAuth(s.store);

  for (const [k, v] of Object.entries(SNMP)) addSecret(`SNMP ${k}`, v);
  for (const v of knownSecrets) addSecret(v.startsWith('xmt_') ? 'an API token' : 'an account password', v);
  addSecret('the Neo4j password', process.env.NEO4J_PASSWORD ?? '');
  for (const enc of ['base64url', 'base64', 'hex'] as const) addSecret(`the server key (${enc})`, auth.trust.key.toString(enc));
  expect(process.env.NEO4J_PASSWORD?.length).toBeGreaterThanOrEqual(16);
  expect(knownSecrets.size).toBeGreaterThanOrEqual(8);
});

afterAll(async () => {
  logTarget[streamSym] = originalStream;
  log.level = originalLevel;
  process.stdout.write = originalWrite.out;
  process.stderr.write = originalWrite.err;
  await s?.close();
});

/** A value for each path parameter and required query of the GET endpoints. */
const PARAMS: Record<string, string> = { code: '441302', id: 'L-4413-441302', hostname: 'hz-441302-agg-01' };
const QUERIES: Record<string, string> = {
  getPrefix: 'vrf=public&cidr=10.64.0.0%2F11',
  getFree: 'vrf=public&cidr=10.64.0.0%2F11',
  getUtilization: 'vrf=public&cidr=10.64.0.0%2F11',
  lookup: 'address=10.64.0.1',
  ipamHistory: 'site=441302',
};

async function answerText(res: Response): Promise<string> {
  return `${res.status} ${JSON.stringify([...res.headers])}\n${await res.text()}`;
}

describe('secrets in a running stack', () => {
  const events: string[] = [];
  let socket: Socket;

  it('polls the lab with the configured credentials, and the live channel pushes a few cycles', { timeout: 300_000 }, async () => {
    socket = connect(s.base, { transports: ['websocket'], forceNew: true, auth: { token: auth.tokens.admin } });
    socket.onAny((name: string, ...args: unknown[]) => events.push(`${name} ${JSON.stringify(args)}`));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    expect(await socket.timeout(5000).emitWithAck('subscribe', 'all')).toMatchObject({ ok: true });
    expect(await socket.timeout(5000).emitWithAck('subscribe', '441302')).toMatchObject({ ok: true });
    await s.poller.pollOnce();
    s.clock.advance(MINUTE);
    const second = await s.poller.pollOnce();
    // v3 authPriv and v2c both answered: the configured secrets were used on the wire.
    expect(second.devices.filter((d) => d.status !== 'ok').map((d) => d.hostname)).toEqual([]);
    await expect.poll(() => events.filter((e) => e.startsWith('links ')).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);

    // Wrong credentials make failing devices, whose errors are stored and shown: they must not carry a key either.
    const wrong = new Map<string, SnmpProfile>();
    for (const [name, p] of s.lab.profiles) {
      wrong.set(
        name,
        p.version === '2c' ? { ...p, community: SNMP.wrongCommunity } : { ...p, authKey: SNMP.wrongAuthKey, privKey: SNMP.wrongPrivKey },
      );
    }
    s.clock.advance(MINUTE);
    const failing = await createPoller({
      store: s.store,
      targets: s.lab.targets,
      profiles: wrong,
      clock: s.clock.now,
      timeoutMs: 500,
      retries: 0,
    }).pollOnce();
    expect(failing.devices.filter((d) => d.status === 'ok')).toEqual([]);
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events.flatMap((e) => found('socket event', e))).toEqual([]);
  });

  it('answers every GET endpoint, as admin, without one', async () => {
    const gets = ENDPOINTS.filter((e) => e.method === 'GET');
    const answers: string[] = [];
    for (const e of gets) {
      const url = `${s.base}${fillPath(e.path, PARAMS)}${QUERIES[e.name] ? `?${QUERIES[e.name]}` : ''}`;
      const res = await fetch(url, { headers: auth.header('admin') });
      expect(res.status, `${e.name} ${url}`).toBe(200);
      answers.push(`${e.name}: ${await answerText(res)}`);
    }
    expect(answers.join('\n')).toContain('hz-441302-agg-01'); // the device status, with its error, is among them
    expect(answers.flatMap((a) => found('GET answer', a))).toEqual([]);
  });

  it('keeps them out of the answers to failed logins, a refused token and a failed password change', async () => {
    const post = async (url: string, body: unknown, headers: Record<string, string> = {}) =>
      answerText(
        await fetch(`${s.base}${url}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: s.base, ...headers },
          body: JSON.stringify(body),
        }),
      );
    const answers = [
      await post('/api/auth/login', { username: auth.users.admin.username, password: auth.users.viewer.password }),
      await post('/api/auth/login', { username: 'nobody-here', password: SNMP.community }),
      await post('/api/auth/password', { current: auth.users.viewer.password, next: SNMP.authKey }, auth.header('admin')),
      await answerText(await fetch(`${s.base}/api/sites`, { headers: { authorization: `Bearer ${auth.tokens.admin.slice(0, -2)}zz` } })),
      await answerText(await fetch(`${s.base}/api/sites?token=${auth.tokens.admin}`, { headers: auth.header('viewer') })),
    ];
    expect(answers.map((a) => a.slice(0, 3))).toEqual(['401', '401', '401', '401', '400']);
    expect(answers.flatMap((a) => found('answer', a))).toEqual([]);
  });

  it('keeps them out of the audit, which admins read', async () => {
    const audit = await answerText(await fetch(`${s.base}/api/audit?limit=10000`, { headers: auth.header('admin') }));
    const csv = await answerText(await fetch(`${s.base}/api/audit.csv`, { headers: auth.header('admin') }));
    expect(audit).toContain('"action":"changePassword"');
    expect(audit).toContain('"action":"login"');
    expect([...found('audit', audit), ...found('audit.csv', csv)]).toEqual([]);
  });

  // A failed login is audited under the account it names, or under no name: a password typed into the
  // name field by mistake is not kept in the audit, which admins read and export.
  it('keeps a password typed into the name field out of the audit', async () => {
    const typo = await fetch(`${s.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: s.base },
      body: JSON.stringify({ username: auth.users.viewer.password, password: 'not-the-password' }),
    });
    expect(typo.status).toBe(401);
    const answer = await answerText(typo);
    const audit = await answerText(await fetch(`${s.base}/api/audit?action=login&limit=100`, { headers: auth.header('admin') }));
    expect(audit).toContain('"outcome":"refused"');
    expect([...found('answer', answer), ...found('audit', audit)]).toEqual([]);
  });

  it('keeps them out of the answers and the log when Neo4j goes away', async () => {
    const real = new URL(process.env.NEO4J_URI!);
    const relay = await tcpRelay({ host: real.hostname, port: Number(real.port) });
    const store = await Store.open({ ...loadConfig(), NEO4J_URI: `bolt://127.0.0.1:${relay.port}` });
    const app = await serveApp(store);
    try {
      for (const v of knownSecrets) addSecret(v.startsWith('xmt_') ? 'an API token' : 'an account password', v);
      await relay.cut();
      const answers = [
        await answerText(await fetch(`${app.base}/api/sites`, { headers: app.auth.header('admin') })),
        await answerText(await fetch(`${app.base}/api/health`)),
        await answerText(
          await fetch(`${app.base}/api/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(app.auth.users.admin),
          }),
        ),
      ];
      expect(answers.map((a) => a.slice(0, 3))).toEqual(['503', '503', '503']);
      expect(answers.flatMap((a) => found('answer', a))).toEqual([]);
    } finally {
      await app.close();
      await store.close();
    }
  });

  it('writes none to the log of this process, at trace level', () => {
    socket?.disconnect();
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.flatMap((l) => found('log', l))).toEqual([]);
  });
});

describe('extranet serve --lab, LOG_LEVEL=trace', () => {
  it('prints none of them on stdout or stderr, while it serves, polls and refuses logins', { timeout: 300_000 }, async () => {
    const env = {
      ...process.env,
      ...snmpEnv,
      PORT: '0',
      LOG_LEVEL: 'trace',
      LAB_BASE_PORT: '0',
      POLL_INTERVAL_SECONDS: '5',
      SNMP_TARGETS: '',
      LAB: '',
    };
    const proc = spawnExtranet(['serve', '--lab'], { env });
    let out = '';
    // 'close', not 'exit': the output is complete only once its pipes are closed.
    const exited = new Promise<number | null>((resolve) => proc.on('close', (code) => resolve(code)));
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
      const login = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: auth.users.admin.username, password: SNMP.privKey }),
      });
      expect(login.status).toBe(401);
      expect((await fetch(`${base}/api/health`)).status).toBe(200);
      // The serve process polls its own lab with the configured credentials: wait for a device to be polled.
      await expect
        .poll(
          async () =>
            (
              (await (await fetch(`${base}/api/devices/hz-441302-agg-01/status`, { headers: auth.header('viewer') })).json()) as {
                status: string;
              }
            ).status,
          { timeout: 120_000, interval: 1000 },
        )
        .toBe('ok');
    } finally {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      await exited;
    }
    expect(out).toContain('stopped.');
    expect(found('serve output', out)).toEqual([]);
  });
});
