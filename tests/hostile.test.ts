import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import neo4j from 'neo4j-driver';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS, ERROR_CODES, type AddressPlan, type NamedEndpoint } from '@extranet/topology';
import { requireAddressPlan } from '../backend/src/ipam/address-plan';
import { provision } from '../backend/src/ipam/provision';
import { createApp } from '../backend/src/http/app';
import { attachLive, type Live } from '../backend/src/live/live';
import type { Store } from '../backend/src/neo4j/store';
import { loadPlanOrThrow } from '../backend/src/plan/load';
import { importPlanDir } from '../backend/src/plan/service';
import { startLabMode, type LabMode } from '../backend/src/poller/lab-mode';
import { createPoller } from '../backend/src/poller/poller';
import { loginSession, testAuth, type TestAuth } from './helpers/auth';
import { openTestStore, resetGraph } from './helpers/store';

/**
 * The API attacked as someone on the extranet's LAN would: on the imported and
 * provisioned Huizhou plan, every write endpoint gets hostile strings — quotes,
 * Cypher fragments, NUL, non-BMP characters, 1 MB, `__proto__` keys, CRLF — in
 * every field of its body, its path and its query, as an admin. Never a 5xx; a
 * 4xx always with the error body; every refusal audited; and the graph exactly
 * as before. Then the same strings where a write accepts free text: stored as
 * data, byte for byte. Then cross-site writes through a logged-in engineer's
 * browser, and live connections from a foreign origin or without credentials.
 */
const HUIZHOU = path.resolve(import.meta.dirname, '..', 'plans', 'huizhou');
const ROOT = '10.64.0.0/11';
const EVIL = 'http://evil.example';
const MB = 'x'.repeat(1 << 20);
/** As long as a URL may carry (Node refuses request heads over 16 KiB with a bare 431). */
const LONG = 'x'.repeat(8000);

/** Strings an attacker types into every field. */
const HOSTILE: Record<string, string> = {
  quotes: `'"`,
  cypherOr: "x' OR 1=1 //",
  cypherDelete: '}) MATCH (n) DETACH DELETE n //',
  cypherBacktick: '`) DETACH DELETE n RETURN 1 //',
  nul: 'a\u0000b',
  nonBmp: '𠜎😀',
  crlf: 'a\r\nSet-Cookie: x=1',
  proto: '__proto__',
  ctor: 'constructor',
  huge: MB,
};
const SHORT = Object.entries(HOSTILE).filter(([k]) => k !== 'huge');

/** Path values: malformed and traversing escapes, and the hostile strings encoded. */
const PATH_VALUES = [
  '%00',
  '%FF',
  '%E0%A4%A',
  '..%2F..%2Fusers',
  '..%2f',
  '%2e%2e',
  '..',
  '.',
  ...SHORT.map(([, v]) => encodeURIComponent(v)),
  LONG,
];

const enc = encodeURIComponent;
const runId = randomBytes(4).toString('hex');
let requestNo = 0;

interface Sent {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: any;
}

/** One raw HTTP request (a path is sent exactly as given, escapes and all), on its own connection. */
function send(
  base: string,
  method: string,
  p: string,
  opts: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Sent> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.body !== undefined) headers['content-length'] = String(Buffer.byteLength(opts.body));
    const req = http.request({ host: url.hostname, port: url.port, method, path: p, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode!, headers: res.headers, text, json });
      });
    });
    // The server may answer (413, 415) and close before it read a large body: the answer counts, not the broken pipe.
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e)));
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** The graph as numbers and hashes: nodes per label and relationships per type (audit events left out), and every Prefix's and User's properties. */
async function fingerprint(
  store: Store,
  users?: readonly string[],
): Promise<{ counts: Record<string, number>; prefixes: string; users: string }> {
  return store.read(async (tx) => {
    const counts: Record<string, number> = {};
    const labels = await tx.run('MATCH (n) WHERE NOT n:AuditEvent UNWIND labels(n) AS l RETURN l, count(*) AS c');
    for (const r of labels.records) counts[`:${r.get('l') as string}`] = Number(r.get('c'));
    const rels = await tx.run('MATCH (a)-[r]->(b) WHERE NOT a:AuditEvent AND NOT b:AuditEvent RETURN type(r) AS t, count(*) AS c');
    for (const r of rels.records) counts[`[${r.get('t') as string}]`] = Number(r.get('c'));
    const hash = async (cypher: string, params: Record<string, unknown> = {}) => {
      const rows = (await tx.run(cypher, params)).records.map((r) => canonical(r.get('p')));
      return createHash('sha256').update(rows.sort().join('\n')).digest('hex');
    };
    return {
      counts,
      prefixes: await hash('MATCH (n:Prefix) RETURN properties(n) AS p'),
      users: await hash(`MATCH (n:User) ${users ? 'WHERE n.username IN $users' : ''} RETURN properties(n) AS p`, { users: users ?? [] }),
    };
  });
}

/** JSON with sorted keys (Neo4j integers as decimal text), so equal properties hash equal. */
function canonical(v: unknown): string {
  if (neo4j.isInt(v)) return v.toString();
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Paths of the leaves of a JSON value (`owner.id`, `sites.0`). */
function leaves(v: unknown, prefix: string[] = []): string[][] {
  if (v !== null && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => leaves(x, [...prefix, k]));
  return [prefix];
}

function withLeaf(v: unknown, at: string[], value: unknown): unknown {
  const copy = structuredClone(v) as Record<string, unknown>;
  let node = copy;
  for (const k of at.slice(0, -1)) node = node[k] as Record<string, unknown>;
  node[at.at(-1)!] = value;
  return copy;
}

/** A CSV field, quoted when it must be (RFC 4180). */
const csvField = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const CSV_HEADER = 'prefix,vrf,status,role,description,site';
const csvRow = (cells: string[]) => `${CSV_HEADER}\r\n${cells.map(csvField).join(',')}\r\n`;

/** Runs `work` over `items`, `n` at a time. */
async function pool<T>(items: readonly T[], n: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

let store: Store;
let auth: TestAuth;
let addressPlan: AddressPlan;
let lab: LabMode;
let live: Live;
let server: http.Server;
let base: string;
const savedEnv: Record<string, string | undefined> = {};

beforeAll(async () => {
  store = await openTestStore();
  await resetGraph(store);
  await importPlanDir(store, HUIZHOU);
  addressPlan = await requireAddressPlan(HUIZHOU, await loadPlanOrThrow(HUIZHOU));
  await provision(store, addressPlan, { actor: 'test', reason: 'hostile test: provision the plan by policy' });
  // Hundreds of refused logins here: the rate limit is not what is under test (it has its own test).
  for (const k of ['LOGIN_LIMIT_PER_ADDRESS', 'LOGIN_LIMIT_PER_USER']) {
    savedEnv[k] = process.env[k];
    process.env[k] = '100000';
  }
  auth = await testAuth(store);
  lab = await startLabMode(store, { basePort: 0, env: {}, shortfalls: [] });
  const poller = createPoller({ store, targets: lab.targets, profiles: lab.profiles });
  server = http.createServer(createApp({ store, trust: auth.trust, addressPlan, lab, poller }));
  live = attachLive(server, { store, trust: auth.trust, poller });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await live?.close();
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  await lab?.stop();
  await resetGraph(store);
  await store.close();
});

async function getAdmin(url: string): Promise<Sent> {
  return send(base, 'GET', url, { headers: auth.header('admin') });
}

/**
 * `code:field` of the refusals that come before any route matches, so before its audit: a malformed escape in
 * the path (the router cannot decode it to match a route). A body too large, of another media type or
 * encoding, or not JSON is refused by the route itself, and audited.
 */
const BEFORE_THE_ROUTE = new Set(['BAD_REQUEST:path']);

/** How one write endpoint is attacked: a request the domain refuses (so nothing may be written), whose every field is then made hostile. */
interface WriteCase {
  params?: Record<string, string>;
  query?: Record<string, string>;
  /** A JSON body, or the CSV text of the import. */
  body?: unknown;
  /** Fields looked up only when the rest of the request holds: their own refused base (an unknown owner in a free block). */
  variants?: Array<{ fields: string[]; body: unknown }>;
  /** Body fields (`field`, or `field=hostileKey` for one value) a valid request stores as text: covered by "stored as data" below. */
  storedAsData?: string[];
  /** The base request succeeds without writing anything (logout of a token, provision of what is provisioned). */
  noOpSuccess?: boolean;
  /** The CSV import: a row in a free block, which would be recorded, whose cells are made hostile one by one. */
  csvFreeRow?: string[];
}

interface Attempt {
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  noOpSuccess?: boolean;
}

describe('hostile input through every write endpoint', () => {
  const writes = ENDPOINTS.filter((e) => e.method !== 'GET');

  it(
    'refuses it all with a 4xx and its error body, audits each refusal, and leaves the graph as it was',
    { timeout: 600_000 },
    async () => {
      const p2p = (await getAdmin('/api/ipam/prefixes?role=p2p&family=4&vrf=public&site=441302001')).json.items[0].cidr as string; // a /31 with both ends: full
      const lan = (await getAdmin('/api/ipam/prefixes?site=441302001&role=lan&family=4')).json.items[0].cidr as string;
      const freeBlock = (await getAdmin(`/api/ipam/free?vrf=public&cidr=${enc(ROOT)}&length=28`)).json.free[0] as string;
      const free28 = `${freeBlock.split('/')[0]}/28`;
      const password = 'a-new-passphrase-42';
      const ownerKinds = ['site', 'link', 'interface', 'device'] as const;
      const assignBase = {
        vrf: 'public',
        cidr: lan,
        status: 'active',
        role: 'lan',
        description: 'd',
        owner: { kind: 'site', id: '441302' },
        reason: 'r',
      };
      const { status: _status, ...reserveBase } = assignBase;
      const unknownOwner = (extra: Record<string, unknown>) => ({
        fields: ['owner.id'],
        body: ownerKinds.map((kind) => ({ ...extra, owner: { kind, id: 'x' }, reason: 'r' })),
      });

      const cases: Record<string, WriteCase> = {
        login: { body: { username: 't-viewer', password: 'not-the-password' } },
        logout: { noOpSuccess: true },
        changePassword: { body: { current: 'not-the-password', next: password } },
        // USER_EXISTS; "constructor" is a valid user name, so it would make an account: checked as data below.
        createUser: { body: { username: 't-admin', displayName: 'Taken', role: 'viewer', password }, storedAsData: ['username=ctor'] },
        updateUser: { params: { username: 'nobody-here' }, body: { role: 'viewer', displayName: 'Nobody', disabled: false, password } }, // NOT_FOUND
        revokeSession: { params: { id: 'abcdefgh12345678' } },
        // Nothing refuses a valid token request after it is parsed: the base is refused by the schema (0 days),
        // and the name, which a valid request stores, is checked as data below.
        createToken: { body: { name: 'n', role: 'viewer', expiresInDays: 0 }, storedAsData: ['name'] },
        revokeToken: { params: { id: 'abcdefgh12345678' } },
        allocate: {
          // POOL_EXHAUSTED after the parent and the request key were looked up
          body: {
            vrf: 'public',
            parent: p2p,
            length: 31,
            count: 1,
            strategy: 'best-fit',
            status: 'active',
            role: 'p2p',
            description: 'd',
            owner: { kind: 'site', id: '441302' },
            requestKey: 'hostile-key',
            reason: 'r',
          },
          variants: [unknownOwner({ vrf: 'public', parent: ROOT, length: 28 })],
        },
        assign: { body: assignBase, variants: [unknownOwner({ vrf: 'public', cidr: free28 })] }, // PREFIX_OVERLAP; NOT_FOUND owner
        reserve: { body: reserveBase, variants: [unknownOwner({ vrf: 'public', cidr: free28 })] },
        release: { body: { vrf: 'public', cidr: ROOT, recursive: false, reason: 'r' } }, // PREFIX_IN_USE
        provision: { body: { sites: ['441302'], links: ['L-4413-441302'], reason: 'r' }, noOpSuccess: true },
        importCsv: {
          query: { vrf: 'public', reason: 'r' },
          body: csvRow(['172.16.0.0/24', 'public', 'active', 'lan', 'd', '441302']), // outside every container
          csvFreeRow: [free28, 'public', 'active', '', 'd', '441302'],
        },
        setLabFault: { body: { hostname: 'hz-441302-agg-01', ifName: 'NoSuchIf0/0/0', fault: 'link-down', on: true } },
        acknowledgeAlert: { body: { key: 'link-down|link:L-4413-441302', note: 'n' } }, // NOT_FOUND: no active alert
        // BAD_REQUEST: a window that has ended
        createSilence: { body: { matchers: [{ name: 'county', value: '441302' }], endsAt: '2001-01-01T00:00:00Z', comment: 'c' } },
        expireSilence: { params: { id: 'abcdefgh12345678' } }, // NOT_FOUND
      };
      expect(writes.map((e) => e.name).sort()).toEqual(Object.keys(cases).sort()); // a new write endpoint needs its case here

      const attempts: Attempt[] = [];
      for (const e of writes) attempts.push(...attemptsOf(e, cases[e.name]!));
      expect(attempts.length).toBeGreaterThan(1000);

      const before = await fingerprint(store);
      const problems: string[] = [];
      const audited: Array<{ id: string; code: string | null; label: string }> = [];
      await pool(attempts, 4, async (a) => {
        const id = `h-${runId}-${++requestNo}`;
        const r = await send(base, a.method, a.path, {
          headers: { ...a.headers, 'x-request-id': id },
          ...(a.body !== undefined && { body: a.body }),
        });
        const where = `${a.label} → ${r.status} ${r.text.slice(0, 200)}`;
        if (r.status >= 500) problems.push(`5xx: ${where}`);
        else if (r.status >= 400) {
          const err = r.json?.error;
          if (typeof err?.code !== 'string' || typeof err?.message !== 'string') problems.push(`no error body: ${where}`);
          else if (!(err.code in ERROR_CODES)) problems.push(`unknown error code: ${where}`);
        } else if (!a.noOpSuccess) problems.push(`accepted: ${where}`);
        if (r.headers['set-cookie'] !== undefined) problems.push(`a cookie was set: ${where} ${String(r.headers['set-cookie'])}`);
        // The route answered (its first step echoes the request id): the write is in the audit, whatever came of it.
        if (r.headers['x-request-id'] === id)
          audited.push({ id, code: r.status >= 400 ? (r.json?.error?.code ?? null) : null, label: where });
        // Refused before any route matched: a malformed escape in the path.
        else if (r.status < 400 || !BEFORE_THE_ROUTE.has(`${r.json?.error?.code}:${r.json?.error?.field}`)) {
          problems.push(`answered outside the route: ${where}`);
        }
      });
      expect(problems).toEqual([]);
      expect(({} as Record<string, unknown>).admin).toBeUndefined(); // no prototype pollution in this process, which ran the server
      expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'admin')).toBe(false);

      const after = await fingerprint(store);
      expect(after).toEqual(before);

      const events = await store.read(
        async (tx) =>
          new Map(
            (
              await tx.run(
                'MATCH (a:AuditEvent) WHERE a.requestId IN $ids RETURN a.requestId AS id, a.outcome AS outcome, a.errorCode AS code',
                { ids: audited.map((a) => a.id) },
              )
            ).records.map((r) => [r.get('id') as string, { outcome: r.get('outcome') as string, code: r.get('code') as string | null }]),
          ),
      );
      const missing = audited.filter((a) => {
        const ev = events.get(a.id);
        if (!ev) return true;
        return a.code === null ? ev.outcome !== 'ok' : !['failed', 'refused'].includes(ev.outcome) || ev.code !== a.code;
      });
      expect(missing.map((m) => `${m.label} (audit: ${JSON.stringify(events.get(m.id))})`)).toEqual([]);
      expect(audited.filter((a) => a.code !== null).length).toBeGreaterThan(500);
    },
  );

  function attemptsOf(e: NamedEndpoint, c: WriteCase): Attempt[] {
    const out: Attempt[] = [];
    const token = auth.header('admin');
    const csv = e.bodyType === 'text/csv';
    const type = csv ? 'text/csv; charset=utf-8' : 'application/json';
    const pathOf = (params: Record<string, string> = {}, encode = true) =>
      e.path.replace(/:([A-Za-z_]+)/g, (_m, n: string) => (encode ? enc(params[n]!) : params[n]!));
    const queryOf = (q?: Record<string, string>) =>
      q
        ? `?${Object.entries(q)
            .map(([k, v]) => `${enc(k)}=${enc(v)}`)
            .join('&')}`
        : '';
    const baseBody = c.body === undefined ? undefined : csv ? (c.body as string) : JSON.stringify(c.body);
    const add = (label: string, o: { path?: string; body?: string | Buffer; headers?: Record<string, string> }) =>
      out.push({
        label: `${e.name} ${label}`,
        method: e.method,
        path: o.path ?? `${pathOf(c.params)}${queryOf(c.query)}`,
        headers: { ...token, ...(o.body !== undefined || baseBody !== undefined ? { 'content-type': type } : {}), ...o.headers },
        ...((o.body ?? baseBody) !== undefined && { body: o.body ?? baseBody }),
        ...(c.noOpSuccess && { noOpSuccess: true }),
      });

    // The base itself: refused (or a no-op).
    add('base', {});
    // Every leaf of the JSON body, replaced by each hostile string (a string where a number or a boolean belongs too).
    if (baseBody !== undefined && !csv) {
      const skip = new Set(c.storedAsData ?? []);
      for (const at of leaves(c.body)) {
        if (skip.has(at.join('.'))) continue;
        for (const [k, v] of Object.entries(HOSTILE)) {
          if (!skip.has(`${at.join('.')}=${k}`)) add(`body.${at.join('.')}=${k}`, { body: JSON.stringify(withLeaf(c.body, at, v)) });
        }
      }
      for (const variant of c.variants ?? []) {
        for (const b of variant.body as unknown[]) {
          for (const f of variant.fields) {
            for (const [k, v] of Object.entries(HOSTILE))
              add(`variant ${JSON.stringify(b)} body.${f}=${k}`, { body: JSON.stringify(withLeaf(b, f.split('.'), v)) });
          }
        }
      }
    }
    // The CSV import: each cell, then the whole body, hostile; a site looked up in a free block.
    if (csv) {
      const cells = ['172.16.0.0/24', 'public', 'active', 'lan', 'd', '441302'];
      for (let i = 0; i < cells.length; i++) {
        for (const [k, v] of Object.entries(HOSTILE)) add(`csv cell ${i}=${k}`, { body: csvRow(cells.map((x, j) => (j === i ? v : x))) });
      }
      // A row that would be recorded, with one cell hostile: refused, except where the column is free text
      // (role 3, description 4), where only what is over the API's limits is (the rest is stored as data, below).
      const freeRow = c.csvFreeRow!;
      for (let i = 0; i < freeRow.length; i++) {
        for (const [k, v] of Object.entries(HOSTILE)) {
          if ((i === 3 || i === 4) && k !== 'huge') continue;
          add(`csv free row cell ${i}=${k}`, { body: csvRow(freeRow.map((x, j) => (j === i ? v : x))) });
        }
      }
      for (const [k, v] of Object.entries(HOSTILE)) add(`csv body=${k}`, { body: v });
      add('csv header __proto__', { body: `${CSV_HEADER},__proto__\r\n172.16.0.0/24,public,active,lan,d,441302,x\r\n` });
      add('csv header only __proto__', { body: '__proto__,constructor,prototype\r\n1,2,3\r\n' });
      add('csv unclosed quote', { body: `${CSV_HEADER}\r\n"172.16.0.0/24,public\r\n` });
      add('csv as json', { body: '{"__proto__":{"admin":true}}', headers: { 'content-type': 'application/json' } });
      for (const k of Object.keys(c.query ?? {})) {
        for (const [hk, hv] of Object.entries(HOSTILE))
          add(`query.${k}=${hk}`, { path: `${pathOf(c.params)}${queryOf({ ...c.query, [k]: hk === 'huge' ? LONG : hv })}` });
      }
    }
    // Whole bodies: prototype keys, not an object, deep nesting, broken UTF-8, unknown encodings and charsets.
    if (!csv) {
      const obj = baseBody ?? '{}';
      const inner = obj === '{}' ? '' : `,${obj.slice(1)}`;
      add('body {__proto__}', { body: '{"__proto__":{"admin":true}}' });
      add('body base+__proto__', { body: `{"__proto__":{"admin":true}${inner === '' ? '}' : inner}` });
      add('body base+constructor', { body: `{"constructor":{"prototype":{"admin":true}}${inner === '' ? '}' : inner}` });
      add('body a string', { body: '"x\' OR 1=1 //"' });
      add('body null', { body: 'null' });
      add('body deep array', { body: '['.repeat(20_000) });
      add('body deep object', { body: `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}` });
      add('body broken utf-8', { body: Buffer.from([0x7b, 0x22, 0x76, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0xaf, 0x22, 0x7d]) });
      add('body Content-Encoding br2', { body: obj, headers: { 'content-encoding': 'br2' } });
      add('body charset utf-7', { body: obj, headers: { 'content-type': 'application/json; charset=utf-7' } });
      add('body as form', { body: 'a=1&__proto__[admin]=true', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    }
    // Path parameters: malformed escapes, traversal, the hostile strings, 8 KB.
    for (const name of Object.keys(c.params ?? {})) {
      for (const v of PATH_VALUES)
        add(`path.${name}=${v.slice(0, 40)}`, { path: `${pathOf({ ...c.params, [name]: v }, false)}${queryOf(c.query)}` });
    }
    // The query string: hostile names and values (every write but the import takes none).
    for (const [k, v] of SHORT) add(`query ${k}`, { path: `${pathOf(c.params)}?${enc(v)}=${enc(v)}` });
    add('query __proto__', { path: `${pathOf(c.params)}?__proto__=1&constructor=x&prototype=y` });
    add('query long', { path: `${pathOf(c.params)}?x=${LONG}` });
    return out;
  }
});

async function sendJson(method: string, url: string, body: unknown, headers: Record<string, string> = auth.header('admin')): Promise<Sent> {
  return send(base, method, url, { headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** Keys of two fingerprints' counts that differ, with the difference. */
function countDelta(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) if ((a[k] ?? 0) !== (b[k] ?? 0)) out[k] = (b[k] ?? 0) - (a[k] ?? 0);
  return out;
}

describe('hostile strings where a write takes free text', () => {
  it('are stored as data and read back byte for byte; every view of them answers; nothing else changes', { timeout: 300_000 }, async () => {
    const existing = await store.read(async (tx) =>
      (await tx.run('MATCH (u:User) RETURN u.username AS u')).records.map((r) => r.get('u') as string),
    );
    const before = await fingerprint(store, existing);
    const password = `pw-${randomBytes(12).toString('base64url')}`;
    const created: string[] = [];
    for (const [k, v] of SHORT) {
      const req = { vrf: 'public', parent: ROOT, length: 28, description: v, role: v, requestKey: v, reason: v };
      const a = await sendJson('POST', '/api/ipam/allocate', req);
      expect(a.status, `${k}: ${a.text}`).toBe(201);
      const row = a.json.items[0];
      expect([row.description, row.role, row.requestKey], k).toEqual([v, v, v]);
      const replay = await sendJson('POST', '/api/ipam/allocate', req);
      expect([replay.status, replay.json.replayed, replay.json.items[0].cidr], k).toEqual([200, true, row.cidr]);
      expect((await getAdmin(`/api/ipam/prefix?vrf=public&cidr=${enc(row.cidr)}`)).json.description, k).toBe(v);
      expect(
        (await getAdmin(`/api/ipam/prefixes?vrf=public&role=${enc(v)}`)).json.items.map((p: { cidr: string }) => p.cidr),
        k,
      ).toEqual([row.cidr]);
      const csv = await getAdmin('/api/ipam/export.csv?vrf=public');
      expect(csv.status, k).toBe(200);
      expect(csv.text, k).toContain(`${row.cidr},public,active,${csvField(v)},${csvField(v)},`);
      const released = await sendJson('POST', '/api/ipam/release', { vrf: 'public', cidr: row.cidr, reason: v });
      expect([released.status, released.json.released], k).toEqual([200, [row.cidr]]);
      // Newest first; the same block may have been handed out and released for an earlier string.
      const history = (await getAdmin(`/api/ipam/audit?vrf=public&cidr=${enc(row.cidr)}`)).json.items.slice(0, 2);
      expect(
        history.map((e: { action: string; reason: string }) => [e.action, e.reason]),
        k,
      ).toEqual([
        ['release', v],
        ['allocate', v],
      ]);
      expect(history[0].snapshot.description, k).toBe(v);

      const token = await sendJson('POST', '/api/tokens', { name: v, role: 'viewer', expiresInDays: 1 });
      expect([token.status, token.json.token.name], k).toEqual([201, v]);
      expect((await getAdmin('/api/tokens')).json.items.find((t: { id: string }) => t.id === token.json.token.id).name, k).toBe(v);
      expect((await send(base, 'DELETE', `/api/tokens/${token.json.token.id}`, { headers: auth.header('admin') })).status, k).toBe(200);

      const renamed = await sendJson('PATCH', '/api/users/t-viewer', { displayName: v });
      expect([renamed.status, renamed.json.displayName], k).toEqual([200, v]);
      const username = `h-${runId}-${k.toLowerCase()}`;
      const user = await sendJson('POST', '/api/users', { username, displayName: v, role: 'viewer', password });
      expect([user.status, user.json.displayName], k).toEqual([201, v]);
      created.push(username);
      const listed = (await getAdmin('/api/users')).json.items;
      expect(
        listed
          .filter((u: { displayName: string }) => u.displayName === v)
          .map((u: { username: string }) => u.username)
          .sort(),
        k,
      ).toEqual([username, 't-viewer'].sort());

      const provisioned = await sendJson('POST', '/api/ipam/provision', { sites: [v], links: [v], reason: v });
      expect([provisioned.status, provisioned.json.changed], k).toEqual([200, false]);

      // The same block again, through the CSV import, with the string as role and description (and as the reason in the query).
      const imported = await send(base, 'POST', `/api/ipam/import?vrf=public&reason=${enc(v)}`, {
        headers: { ...auth.header('admin'), 'content-type': 'text/csv' },
        body: csvRow([row.cidr, 'public', 'reserved', v, v, '']),
      });
      expect([imported.status, imported.json], k).toEqual([200, { created: 1, skipped: 0 }]);
      expect((await getAdmin(`/api/ipam/prefix?vrf=public&cidr=${enc(row.cidr)}`)).json, k).toMatchObject({
        status: 'reserved',
        role: v,
        description: v,
      });
      expect((await sendJson('POST', '/api/ipam/release', { vrf: 'public', cidr: row.cidr, reason: v })).status, k).toBe(200);
    }
    expect((await sendJson('PATCH', '/api/users/t-viewer', { displayName: 't-viewer' })).status).toBe(200);

    // An account named like a property of every JavaScript object is an account like any other.
    const ctor = await sendJson('POST', '/api/users', { username: 'constructor', role: 'viewer', password });
    expect([ctor.status, ctor.json.username]).toEqual([201, 'constructor']);
    created.push('constructor');
    const session = await loginSession(base, { username: 'constructor', password });
    const me = await send(base, 'GET', '/api/auth/me', { headers: { cookie: session.cookie } });
    expect([me.status, me.json.user.username, me.json.user.role]).toEqual([200, 'constructor', 'viewer']);
    const write = await sendJson('POST', '/api/ipam/release', { vrf: 'public', cidr: ROOT, reason: 'x' }, session.headers);
    expect([write.status, write.json.error.code]).toEqual([403, 'FORBIDDEN']);

    // The audit holds every one of those strings, and reads and exports them.
    const audit = await getAdmin('/api/audit?limit=10000');
    expect(audit.status).toBe(200);
    for (const [k, v] of SHORT) {
      const byTarget = await getAdmin(`/api/audit?target=${enc(v)}&limit=5`);
      expect(byTarget.status, k).toBe(200);
      expect(audit.text.includes(JSON.stringify(v).slice(1, -1)), k).toBe(true);
    }
    const auditCsv = await getAdmin('/api/audit.csv');
    expect(auditCsv.status).toBe(200);
    for (const view of [
      '/api/ipam/export.csv',
      '/api/tokens',
      '/api/users',
      '/api/sessions',
      `/api/ipam/audit?vrf=public&cidr=${enc(ROOT)}`,
    ]) {
      expect((await getAdmin(view)).status, view).toBe(200);
    }

    const after = await fingerprint(store, existing);
    expect(after.prefixes).toBe(before.prefixes); // every allocation released: the free lists are back as they were
    expect(after.users).toBe(before.users); // the accounts that were there are as they were
    const delta = countDelta(before.counts, after.counts);
    expect(delta).toMatchObject({ ':ApiToken': SHORT.length, ':User': created.length, ':IpamEvent': 4 * SHORT.length });
    expect(Object.keys(delta).filter((key) => !/^(:ApiToken|:User|:IpamEvent|:Session|\[[A-Z_]+\])$/.test(key))).toEqual([]);
  });
});

describe('hostile input through the read endpoints and the headers', () => {
  /** A valid value for each path parameter, and each required query, of the GET endpoints. */
  const params: Record<string, string> = { code: '441302', id: 'L-4413-441302', hostname: 'hz-441302-agg-01' };
  const required: Record<string, Record<string, string>> = {
    getPrefix: { vrf: 'public', cidr: ROOT },
    getFree: { vrf: 'public', cidr: ROOT },
    getUtilization: { vrf: 'public', cidr: ROOT },
    lookup: { address: '10.64.0.1' },
    ipamHistory: { site: '441302' },
  };

  it(
    'answers every hostile query value, path parameter and header with a 4xx and its error body, or with data',
    { timeout: 300_000 },
    async () => {
      const attempts: Array<{ label: string; path: string; headers: Record<string, string> }> = [];
      const token = auth.header('viewer');
      for (const e of ENDPOINTS.filter((x) => x.method === 'GET')) {
        const q = required[e.name] ?? {};
        const pathOf = (p: Record<string, string>) => e.path.replace(/:([A-Za-z_]+)/g, (_m, n: string) => p[n]!);
        const encoded = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, enc(v)]));
        const queryOf = (x: Record<string, string>) =>
          Object.entries(x)
            .map(([k, v]) => `${enc(k)}=${enc(v)}`)
            .join('&');
        const names = [...new Set([...Object.keys(e.query?.shape ?? {}), ...Object.keys(q)])];
        for (const name of names) {
          for (const [k, v] of [...SHORT, ['long', LONG] as const]) {
            attempts.push({ label: `${e.name} ?${name}=${k}`, path: `${pathOf(encoded)}?${queryOf({ ...q, [name]: v })}`, headers: token });
          }
        }
        for (const [k, v] of SHORT)
          attempts.push({ label: `${e.name} ?${k}`, path: `${pathOf(encoded)}?${enc(v)}=${enc(v)}`, headers: token });
        for (const name of e.path.match(/:([A-Za-z_]+)/g)?.map((m) => m.slice(1)) ?? []) {
          for (const v of PATH_VALUES)
            attempts.push({
              label: `${e.name} :${name}=${v.slice(0, 40)}`,
              path: `${pathOf({ ...encoded, [name]: v })}?${queryOf(q)}`,
              headers: token,
            });
        }
      }
      // A header carries Latin-1 without control characters (Node refuses to send anything else).
      const headerValues = [...SHORT.map(([, v]) => v.replace(/[^\t -~\u0080-\u00ff]/g, '')), 'x'.repeat(4000), '\u00ff\u00fe'];
      for (const v of headerValues) {
        attempts.push({ label: `Authorization: Bearer ${v.slice(0, 20)}`, path: '/api/sites', headers: { authorization: `Bearer ${v}` } });
        attempts.push({ label: `Authorization: ${v.slice(0, 20)}`, path: '/api/sites', headers: { authorization: v } });
        attempts.push({ label: `Cookie xm.sid=${v.slice(0, 20)}`, path: '/api/sites', headers: { cookie: `xm.sid=${enc(v)}` } });
        attempts.push({ label: `X-Request-Id ${v.slice(0, 20)}`, path: '/api/sites', headers: { ...token, 'x-request-id': v } });
        attempts.push({ label: `Host ${v.slice(0, 20)}`, path: '/api/sites', headers: { ...token, host: v } });
      }
      attempts.push({ label: 'Cookie xm.sid=%FF', path: '/api/sites', headers: { cookie: 'xm.sid=%FF; xm.sid=s%3A%FF.%FF' } });
      attempts.push({ label: 'Accept-Encoding br2', path: '/api/topology', headers: { ...token, 'accept-encoding': 'br2, *;q=0' } });
      const problems: string[] = [];
      await pool(attempts, 4, async (a) => {
        const r = await send(base, 'GET', a.path, { headers: a.headers });
        const where = `${a.label} → ${r.status} ${r.text.slice(0, 200)}`;
        if (r.status >= 500) problems.push(`5xx: ${where}`);
        else if (r.status >= 400 && (typeof r.json?.error?.code !== 'string' || typeof r.json?.error?.message !== 'string'))
          problems.push(`no error body: ${where}`);
        if (r.headers['set-cookie'] !== undefined) problems.push(`a cookie was set: ${where}`);
        if (r.headers['x-request-id'] !== undefined && !/^[A-Za-z0-9._-]{8,64}$/.test(String(r.headers['x-request-id'])))
          problems.push(`request id echoed as sent: ${where}`);
      });
      expect(problems).toEqual([]);
      expect(attempts.length).toBeGreaterThan(300);
    },
  );
});

describe('a stranger on the LAN', () => {
  // The permission check runs before a route's body parser: a stranger cannot make the server read and
  // buffer up to the route's body limit (20 MB for the CSV import) to be told 401.
  it('is refused before the server reads the body of a write', async () => {
    const url = new URL(base);
    const answer = await new Promise<number | 'no answer in 3 s'>((resolve) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: '/api/ipam/import',
          agent: false,
          headers: { 'content-type': 'text/csv', 'content-length': String(20 * 1024 * 1024 - 1) },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      req.on('error', () => undefined);
      req.write(`${CSV_HEADER}\r\n`); // and then nothing: the rest of the 20 MB never comes
      setTimeout(() => {
        resolve('no answer in 3 s');
        req.destroy();
      }, 3000);
    });
    expect(answer).toBe(401);
  });
});

describe('cross-site writes through a logged-in engineer browser', () => {
  let engineer: Awaited<ReturnType<typeof loginSession>>;
  let other: Awaited<ReturnType<typeof loginSession>>;
  const allocation = { vrf: 'public', parent: ROOT, length: 28, reason: 'cross-site' };
  const json = JSON.stringify(allocation);

  beforeAll(async () => {
    engineer = await loginSession(base, auth.users.engineer);
    other = await loginSession(base, auth.users.admin);
  });

  it('refuses a form post, a text/plain post, a foreign or missing origin and a missing or wrong CSRF token, and writes nothing', async () => {
    const own = base;
    const cookie = engineer.cookie;
    const cases: Array<[string, string, string, Record<string, string>, string | undefined, number, string]> = [
      [
        'a form post from another site',
        'POST',
        '/api/ipam/allocate',
        { cookie, origin: EVIL, 'content-type': 'application/x-www-form-urlencoded' },
        'vrf=public&parent=10.64.0.0%2F11&length=28&reason=x',
        403,
        'ORIGIN_NOT_ALLOWED',
      ],
      [
        'a form post without Origin',
        'POST',
        '/api/ipam/allocate',
        { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        'vrf=public&parent=10.64.0.0%2F11&length=28&reason=x',
        403,
        'CSRF',
      ],
      [
        'a multipart form post',
        'POST',
        '/api/ipam/allocate',
        { cookie, origin: EVIL, 'content-type': 'multipart/form-data; boundary=b' },
        `--b\r\nContent-Disposition: form-data; name="vrf"\r\n\r\npublic\r\n--b--\r\n`,
        403,
        'ORIGIN_NOT_ALLOWED',
      ],
      [
        'a text/plain post with a JSON body',
        'POST',
        '/api/ipam/allocate',
        { cookie, origin: EVIL, 'content-type': 'text/plain' },
        json,
        403,
        'ORIGIN_NOT_ALLOWED',
      ],
      [
        'a text/plain CSV import',
        'POST',
        '/api/ipam/import',
        { cookie, origin: EVIL, 'content-type': 'text/plain' },
        `${CSV_HEADER}\r\n${ROOT},public,active,,,\r\n`,
        403,
        'ORIGIN_NOT_ALLOWED',
      ],
      [
        'JSON from a foreign Origin with the right CSRF token',
        'POST',
        '/api/ipam/allocate',
        { cookie, origin: EVIL, 'x-csrf-token': engineer.csrf, 'content-type': 'application/json' },
        json,
        403,
        'ORIGIN_NOT_ALLOWED',
      ],
      [
        'JSON from Origin null (a sandboxed frame)',
        'POST',
        '/api/ipam/allocate',
        { cookie, origin: 'null', 'x-csrf-token': engineer.csrf, 'content-type': 'application/json' },
        json,
        403,
        'ORIGIN_NOT_ALLOWED',
      ],
      [
        'JSON from a look-alike Origin',
        'POST',
        '/api/ipam/allocate',
        { cookie, origin: `${own}.evil.example`, 'x-csrf-token': engineer.csrf, 'content-type': 'application/json' },
        json,
        403,
        'ORIGIN_NOT_ALLOWED',
      ],
      [
        'JSON without Origin, marked cross-site by Fetch Metadata',
        'POST',
        '/api/ipam/allocate',
        { cookie, 'sec-fetch-site': 'cross-site', 'x-csrf-token': engineer.csrf, 'content-type': 'application/json' },
        json,
        403,
        'ORIGIN_NOT_ALLOWED',
      ],
      [
        'JSON from the right origin without the CSRF token',
        'POST',
        '/api/ipam/allocate',
        { cookie, origin: own, 'content-type': 'application/json' },
        json,
        403,
        'CSRF',
      ],
      [
        'JSON from the right origin with another session’s CSRF token',
        'POST',
        '/api/ipam/allocate',
        { cookie, origin: own, 'x-csrf-token': other.csrf, 'content-type': 'application/json' },
        json,
        403,
        'CSRF',
      ],
      [
        'a CSV import without the CSRF token',
        'POST',
        '/api/ipam/import',
        { cookie, origin: own, 'content-type': 'text/csv' },
        `${CSV_HEADER}\r\n10.64.255.0/28,public,active,,,\r\n`,
        403,
        'CSRF',
      ],
      [
        'a DELETE from a foreign Origin',
        'DELETE',
        '/api/tokens/abcdefgh12345678',
        { cookie, origin: EVIL, 'x-csrf-token': engineer.csrf },
        undefined,
        403,
        'ORIGIN_NOT_ALLOWED',
      ],
      ['a logout posted by another site', 'POST', '/api/auth/logout', { cookie, origin: EVIL }, undefined, 403, 'ORIGIN_NOT_ALLOWED'],
      ['a logout without the CSRF token', 'POST', '/api/auth/logout', { cookie, origin: own }, undefined, 403, 'CSRF'],
      [
        'a login posted by another site',
        'POST',
        '/api/auth/login',
        { origin: EVIL, 'content-type': 'application/json' },
        JSON.stringify(auth.users.viewer),
        403,
        'ORIGIN_NOT_ALLOWED',
      ],
    ];
    const before = await fingerprint(store);
    const refused: Array<{ id: string; code: string }> = [];
    for (const [what, method, url, headers, body, status, code] of cases) {
      const id = `x-${runId}-${++requestNo}`;
      const r = await send(base, method, url, { headers: { ...headers, 'x-request-id': id }, ...(body !== undefined && { body }) });
      expect([r.status, r.json?.error?.code], what).toEqual([status, code]);
      // No cookie but the session's own, renewed (its idle expiry rolls): no new session, nothing injected.
      expect(
        (r.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]),
        what,
      ).toEqual(r.headers['set-cookie'] && url !== '/api/auth/login' ? [cookie] : []);
      if (r.headers['x-request-id'] === id) refused.push({ id, code });
    }
    expect(await fingerprint(store)).toEqual(before);
    // The session is still there (the refused logout ended nothing), and each refusal that reached its route is in the audit.
    expect((await send(base, 'GET', '/api/auth/me', { headers: { cookie } })).status).toBe(200);
    const events = await store.read(async (tx) =>
      (
        await tx.run('MATCH (a:AuditEvent) WHERE a.requestId IN $ids RETURN a.outcome AS o, a.errorCode AS c ORDER BY a.at', {
          ids: refused.map((r) => r.id),
        })
      ).records.map((r) => [r.get('o'), r.get('c')]),
    );
    expect(refused.length).toBeGreaterThanOrEqual(10);
    expect(events.sort()).toEqual(refused.map((r) => ['refused', r.code]).sort());

    // The same write from the page itself is accepted (so the refusals above are the checks, not a broken request).
    const ok = await send(base, 'POST', '/api/ipam/allocate', {
      headers: { ...engineer.headers, 'content-type': 'application/json' },
      body: json,
    });
    expect(ok.status).toBe(201);
    const undo = await send(base, 'POST', '/api/ipam/release', {
      headers: { ...engineer.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ vrf: 'public', cidr: ok.json.items[0].cidr, reason: 'undo' }),
    });
    expect(undo.status).toBe(200);
  });

  it('refuses live connections from a foreign origin, without credentials, or with a bad token; admits the page itself', async () => {
    const attempt = (opts: Parameters<typeof connect>[1]): Promise<{ ok: true; socket: Socket } | { ok: false; error: string }> =>
      new Promise((resolve) => {
        const socket = connect(base, { forceNew: true, reconnection: false, timeout: 5000, ...opts });
        socket.once('connect', () => resolve({ ok: true, socket }));
        socket.once('connect_error', (e: Error) => {
          socket.disconnect();
          resolve({ ok: false, error: e.message });
        });
      });
    const ws = { transports: ['websocket'] as string[] };
    const refusals = [
      await attempt({ ...ws, extraHeaders: { cookie: engineer.cookie, origin: EVIL } }),
      await attempt({ ...ws, extraHeaders: { origin: EVIL }, auth: { token: auth.tokens.admin } }),
      await attempt({ ...ws, extraHeaders: { cookie: engineer.cookie, origin: 'null' } }),
      await attempt({ ...ws }),
      await attempt({ ...ws, extraHeaders: { origin: base } }),
      await attempt({ ...ws, auth: { token: 'xmt_not-a-token-at-all' } }),
      await attempt({ ...ws, auth: { token: "x' OR 1=1 //" } }),
      await attempt({ transports: ['polling'] }),
    ];
    expect(refusals.map((r) => r.ok)).toEqual(refusals.map(() => false));
    for (const r of refusals.slice(3)) expect(r.ok ? '' : r.error).toMatch(/UNAUTHENTICATED/);
    // The long-polling handshake from a foreign origin, raw (a Node client cannot set Origin there).
    const polling = await send(base, 'GET', '/socket.io/?EIO=4&transport=polling', { headers: { origin: EVIL, cookie: engineer.cookie } });
    expect(polling.status).toBe(403);

    const page = await attempt({ ...ws, extraHeaders: { cookie: engineer.cookie, origin: base } });
    const script = await attempt({ ...ws, auth: { token: auth.tokens.viewer } });
    try {
      expect([page.ok, script.ok]).toEqual([true, true]);
      if (page.ok) expect(await page.socket.timeout(5000).emitWithAck('subscribe', 'all')).toEqual({ ok: true, room: 'all' });
    } finally {
      if (page.ok) page.socket.disconnect();
      if (script.ok) script.socket.disconnect();
    }
  });
});
