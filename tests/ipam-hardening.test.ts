import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ALLOCATE_COUNT, formatPrefix, parsePrefix, type IpamEvent, type Prefix, type PrefixRow } from '@extranet/topology';
import { requireAddressPlan } from '../backend/src/ipam/address-plan';
import { provision } from '../backend/src/ipam/provision';
import { allocateNext } from '../backend/src/ipam/service';
import { createApp } from '../backend/src/http/app';
import { loadConfig } from '../backend/src/config';
import { Store } from '../backend/src/neo4j/store';
import { loadPlanOrThrow } from '../backend/src/plan/load';
import { importPlanDir } from '../backend/src/plan/service';
import { testAuth, type TestAuth } from './helpers/auth';
import { openTestStore, resetGraph } from './helpers/store';

/**
 * The address space's hardening (issue "Trust", item 4), over real HTTP on
 * the real Neo4j, with the Huizhou plan provisioned: CSV import under the
 * API's rules and in linear time, formula cells neutralised on export,
 * request keys unique per domain, bounded counts, transaction timeouts, and
 * root blocks released only by an admin who names them again.
 */
const root = path.resolve(import.meta.dirname, '..');
const huizhou = path.join(root, 'plans', 'huizhou');
const SITE_BLOCKS = '10.64.0.0/11';
const CSV_HEADER = 'prefix,vrf,status,role,description,site\r\n';

let store: Store;
let auth: TestAuth;
let base: string;
let server: http.Server;
/** Prefixes the whole plan's provisioning made, in one call. */
let provisioned = 0;

async function post(url: string, body: unknown, role: 'engineer' | 'admin' | 'viewer' = 'engineer') {
  const res = await fetch(`${base}${url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth.header(role) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

async function importText(csv: string, role: 'engineer' | 'admin' = 'engineer') {
  const res = await fetch(`${base}/api/ipam/import?reason=test`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', ...auth.header(role) },
    body: csv,
  });
  return { status: res.status, body: await res.json() };
}

async function getJson(url: string) {
  const res = await fetch(`${base}${url}`, { headers: auth.header('viewer') });
  return { status: res.status, body: await res.json() };
}

async function countNodes(label: 'Prefix' | 'IpamEvent'): Promise<number> {
  return store.read(async (tx) => (await tx.run(`MATCH (n:${label}) RETURN count(n) AS n`)).records[0]!.get('n') as number);
}

/** Whole free /16s of the site-block root, from its stored free list. */
async function free16s(): Promise<Prefix[]> {
  const free = (await getJson(`/api/ipam/free?vrf=public&cidr=${encodeURIComponent(SITE_BLOCKS)}&length=16`)).body.free as string[];
  return free
    .map((c) => parsePrefix(c))
    .flatMap((b) =>
      Array.from({ length: 2 ** (16 - b.length) }, (_, i): Prefix => ({ family: 4, start: b.start + BigInt(i) * 65536n, length: 16 })),
    );
}

beforeAll(async () => {
  store = await openTestStore();
  await resetGraph(store);
  await importPlanDir(store, huizhou);
  const addressPlan = await requireAddressPlan(huizhou, await loadPlanOrThrow(huizhou));
  provisioned = (await provision(store, addressPlan, { actor: 'test', reason: 'setup' })).created.length;
  auth = await testAuth(store);
  server = http.createServer(createApp({ store, trust: auth.trust, addressPlan }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await resetGraph(store);
  await store.close();
});

describe('CSV import: the API rules, in linear time', () => {
  it.each([
    ['a 3 MB description', (p: string) => `${p},public,active,,${'x'.repeat(3_000_000)},`, 'BAD_REQUEST'],
    ['a /32 in the /16–/28 site-block pool', (p: string) => `${p.replace(/\.0\/16$/, '.1/32')},public,active,,,`, 'LENGTH_OUTSIDE_POLICY'],
    ['a domain the API refuses', (p: string) => `${p},Public,active,,,`, 'BAD_REQUEST'],
    ['a role of 41 characters', (p: string) => `${p},public,active,${'r'.repeat(41)},,`, 'BAD_REQUEST'],
  ])('refuses %s, naming the CSV line, and writes nothing', async (_what, row, code) => {
    const [block] = await free16s();
    const before = [await countNodes('Prefix'), await countNodes('IpamEvent')];
    const r = await importText(`${CSV_HEADER}${formatPrefix(block!)},public,container,,ok,\r\n${row(formatPrefix(block!))}\r\n`);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code, field: 'csv:3' });
    expect(r.body.error.message).toMatch(/^CSV line 3/);
    expect([await countNodes('Prefix'), await countNodes('IpamEvent')]).toEqual(before);
  });

  it('imports 2,000 rows in one transaction well within 30 s, with every counter right, and skips them all the second time', async () => {
    const [a, b] = await free16s();
    const rows: string[] = [];
    for (const c of [a!, b!]) {
      rows.push(`${formatPrefix(c)},public,container,office,imported block,`);
      for (let i = 0; i < 999; i++)
        rows.push(
          `${formatPrefix({ family: 4, start: c.start + BigInt(i) * 16n, length: 28 })},public,active,,row ${i},${i % 10 ? '' : '441302'}`,
        );
    }
    rows.reverse(); // the smallest first: the import must order them itself
    const rootBefore = (await getJson(`/api/ipam/prefix?vrf=public&cidr=${encodeURIComponent(SITE_BLOCKS)}`)).body;
    const events = await countNodes('IpamEvent');
    const t0 = performance.now();
    const r = await importText(CSV_HEADER + rows.join('\r\n'));
    const seconds = (performance.now() - t0) / 1000;
    expect(r.body).toEqual({ created: 2000, skipped: 0 });
    expect(seconds).toBeLessThan(30);
    for (const c of [a!, b!]) {
      const cidr = encodeURIComponent(formatPrefix(c));
      const p = (await getJson(`/api/ipam/prefix?vrf=public&cidr=${cidr}`)).body;
      expect(p).toMatchObject({
        parent: SITE_BLOCKS,
        status: 'container',
        role: 'office',
        pool: 'site-block',
        used: String(999 * 16),
        size: '65536',
      });
      const u = (await getJson(`/api/ipam/utilization?vrf=public&cidr=${cidr}`)).body;
      expect(u.children).toBe(999);
      const f = (await getJson(`/api/ipam/free?vrf=public&cidr=${cidr}`)).body;
      expect(BigInt(f.freeAddresses)).toBe(65536n - 999n * 16n);
      const kids = (await getJson(`/api/ipam/prefixes?vrf=public&parent=${cidr}&limit=2000`)).body.items;
      expect(kids.every((k: PrefixRow) => k.role === 'office' && k.used === '0' && k.free[0] === k.cidr)).toBe(true);
      expect(kids.filter((k: PrefixRow) => k.owner?.id === '441302')).toHaveLength(100);
    }
    const rootAfter = (await getJson(`/api/ipam/prefix?vrf=public&cidr=${encodeURIComponent(SITE_BLOCKS)}`)).body;
    expect(BigInt(rootAfter.used) - BigInt(rootBefore.used)).toBe(2n * 65536n);
    expect(rootAfter.free).not.toContain(formatPrefix(a!));
    expect(await countNodes('IpamEvent')).toBe(events + 2000);
    const bySite = (await getJson('/api/ipam/audit?site=441302&limit=10000')).body.items.filter((e: IpamEvent) => e.action === 'import');
    expect(bySite).toHaveLength(200);

    // The same file again: everything is there already.
    expect((await importText(CSV_HEADER + rows.join('\r\n'))).body).toEqual({ created: 0, skipped: 2000 });
    // An allocation from the imported container sees the imported rows.
    const next = await post('/api/ipam/allocate', {
      vrf: 'public',
      parent: formatPrefix(a!),
      length: 28,
      strategy: 'first-fit',
      reason: 'after import',
    });
    expect(next.body.items[0].cidr).toBe(formatPrefix({ family: 4, start: a!.start + 999n * 16n, length: 28 }));
  });

  it('puts an imported container above stored prefixes and moves them under it', async () => {
    const [c] = await free16s();
    const inner = formatPrefix({ family: 4, start: c!.start + 256n, length: 24 });
    expect((await post('/api/ipam/prefixes', { vrf: 'public', cidr: inner, reason: 'first' })).status).toBe(201);
    const mid = formatPrefix({ family: 4, start: c!.start, length: 20 });
    const r = await importText(`${CSV_HEADER}${mid},public,container,,,\r\n`);
    expect(r.body).toEqual({ created: 1, skipped: 0 });
    const p = (await getJson(`/api/ipam/prefix?vrf=public&cidr=${encodeURIComponent(inner)}`)).body;
    expect(p.parent).toBe(mid);
    expect((await getJson(`/api/ipam/prefix?vrf=public&cidr=${encodeURIComponent(mid)}`)).body.used).toBe('256');
  });
});

describe('CSV export: formula cells neutralised', () => {
  it('exports =HYPERLINK(…) with a leading quote, and the import gives back the same text', async () => {
    const [c] = await free16s();
    const cidr = formatPrefix({ family: 4, start: c!.start, length: 24 });
    const description = '=HYPERLINK("http://x")';
    expect((await post('/api/ipam/prefixes', { vrf: 'public', cidr, description, role: '@role', reason: 'formula' })).status).toBe(201);
    const csv = await (await fetch(`${base}/api/ipam/export.csv?vrf=public`, { headers: auth.header('viewer') })).text();
    const line = csv.split('\r\n').find((l) => l.startsWith(`${cidr},`));
    expect(line).toBe(`${cidr},public,active,"'@role","'=HYPERLINK(""http://x"")",`);
    expect(csv).not.toMatch(/(^|,)[=+@-]/m); // no cell a spreadsheet would run
    expect((await post('/api/ipam/release', { vrf: 'public', cidr, reason: 'round trip' })).status).toBe(200);
    const r = await importText(csv);
    expect(r.body.created).toBe(1);
    const back = (await getJson(`/api/ipam/prefix?vrf=public&cidr=${encodeURIComponent(cidr)}`)).body;
    expect([back.description, back.role]).toEqual([description, '@role']);
  });
});

/** Waits until `n` transactions of the database wait for a lock (SHOW TRANSACTIONS says "Blocked by …"). */
async function blockedTransactions(n: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const session = store.driver.session();
    try {
      const r = await session.run("SHOW TRANSACTIONS YIELD status WHERE status STARTS WITH 'Blocked' RETURN count(*) AS n");
      if ((r.records[0]!.get('n') as number) >= n) return;
    } finally {
      await session.close();
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`fewer than ${n} transactions ever waited for a lock`);
}

describe('request keys: unique per domain in the database', () => {
  let parents: string[];
  beforeAll(async () => {
    parents = [];
    for (let i = 0; i < 2; i++)
      parents.push(
        (await post('/api/ipam/allocate', { vrf: 'public', parent: SITE_BLOCKS, length: 20, reason: 'key parents' })).body.items[0].cidr,
      );
  });
  const holding = (key: string) =>
    store.read(async (tx) =>
      (await tx.run('MATCH (p:Prefix {vrf: "public", requestKey: $key}) RETURN p.cidr AS c', { key })).records.map(
        (r) => r.get('c') as string,
      ),
    );

  it('lets one of two allocations with one key on two parents through, even when both passed the "seen before?" check', async () => {
    const key = 'ticket-race-held';
    // An open transaction holds the key: both requests find no earlier prefix, then wait at the key's claim.
    const session = store.driver.session();
    const tx = session.beginTransaction();
    await tx.run('CREATE (:RequestKey {vrf: "public", key: $key})', { key });
    const both = Promise.all(
      parents.map((parent) => post('/api/ipam/allocate', { vrf: 'public', parent, length: 28, requestKey: key, reason: 'race' })),
    );
    await blockedTransactions(2);
    await tx.rollback();
    await session.close();
    const results = await both;
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)!.body.error).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT', field: 'requestKey' });
    expect(await holding(key)).toEqual([results.find((r) => r.status === 201)!.body.items[0].cidr]);
  });

  it('ends every plain race (Promise.all) with exactly one allocation, and a retry of the winner replays it', async () => {
    for (let round = 0; round < 4; round++) {
      const key = `ticket-race-${round}`;
      const results = await Promise.all(
        parents.map((parent) => post('/api/ipam/allocate', { vrf: 'public', parent, length: 28, requestKey: key, reason: 'race' })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
      const won = results.find((r) => r.status === 201)!.body.items[0];
      expect(await holding(key)).toEqual([won.cidr]);
      const again = await post('/api/ipam/allocate', { vrf: 'public', parent: won.parent, length: 28, requestKey: key, reason: 'retry' });
      expect([again.status, again.body.replayed, again.body.items[0].cidr]).toEqual([200, true, won.cidr]);
    }
  });

  it('frees a key with the release of what it allocated', async () => {
    const key = 'ticket-released';
    const first = await post('/api/ipam/allocate', { vrf: 'public', parent: parents[0], length: 28, requestKey: key, reason: 'first' });
    expect(first.status).toBe(201);
    expect((await post('/api/ipam/release', { vrf: 'public', cidr: first.body.items[0].cidr, reason: 'done' })).status).toBe(200);
    const second = await post('/api/ipam/allocate', { vrf: 'public', parent: parents[1], length: 28, requestKey: key, reason: 'second' });
    expect(second.status).toBe(201);
    expect(await holding(key)).toEqual([second.body.items[0].cidr]);
  });
});

describe('allocate: a bounded count', () => {
  it('takes at most 256 prefixes per request, over the API and through the service the CLI calls', async () => {
    expect(MAX_ALLOCATE_COUNT).toBe(256);
    const parent = (await post('/api/ipam/allocate', { vrf: 'public', parent: SITE_BLOCKS, length: 20, reason: 'count' })).body.items[0]
      .cidr;
    const tooMany = await post('/api/ipam/allocate', { vrf: 'public', parent, length: 28, count: 257, reason: 'count' });
    expect([tooMany.status, tooMany.body.error.code]).toEqual([400, 'BAD_REQUEST']);
    const direct = await allocateNext(store, undefined, {
      vrf: 'public',
      parent,
      length: 28,
      count: 4096,
      actor: 'cli',
      reason: 'count',
    }).catch((e: unknown) => e);
    expect(direct).toMatchObject({ code: 'BAD_REQUEST', field: 'count' });
    const all = await post('/api/ipam/allocate', { vrf: 'public', parent, length: 28, count: 256, reason: 'count' });
    expect([all.status, all.body.items.length]).toEqual([201, 256]);
    expect((await getJson(`/api/ipam/prefix?vrf=public&cidr=${encodeURIComponent(parent)}`)).body).toMatchObject({
      used: '4096',
      free: [],
    });
  });

  it('leaves provisioning alone: one call made the whole plan, far more than 256 prefixes', async () => {
    expect(provisioned).toBeGreaterThan(MAX_ALLOCATE_COUNT);
    const again = await post('/api/ipam/provision', { reason: 'again' });
    expect([again.status, again.body.changed]).toEqual([200, false]);
  });
});

describe('a time limit on every Neo4j transaction', () => {
  it('cuts an allocation that waits for a held lock past NEO4J_TX_TIMEOUT_MS and answers 503 with a hint, writing nothing', async () => {
    const short = await Store.open({ ...loadConfig(), NEO4J_TX_TIMEOUT_MS: 1000 });
    const app = http.createServer(createApp({ store: short, trust: auth.trust }));
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', () => r()));
    const shortBase = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    const session = store.driver.session();
    const tx = session.beginTransaction();
    try {
      const parent = (await post('/api/ipam/allocate', { vrf: 'public', parent: SITE_BLOCKS, length: 20, reason: 'timeout' })).body.items[0]
        .cidr;
      // Another transaction holds the parent's lock (as a long allocation would) and does not let go.
      await tx.run('MATCH (p:Prefix {vrf: "public", cidr: $parent}) SET p._lock = true', { parent });
      const before = await countNodes('Prefix');
      const t0 = performance.now();
      const res = await fetch(`${shortBase}/api/ipam/allocate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth.header('engineer') },
        body: JSON.stringify({ vrf: 'public', parent, length: 28, reason: 'waits' }),
      });
      const waited = performance.now() - t0;
      const body = await res.json();
      expect(res.status).toBe(503);
      expect(body.error.code).toBe('STORE_UNAVAILABLE');
      expect(body.error.message).toMatch(/time limit/);
      expect(body.error.hint).toMatch(/NEO4J_TX_TIMEOUT_MS/);
      expect(waited).toBeGreaterThanOrEqual(900);
      expect(waited).toBeLessThan(15_000);
      await tx.rollback();
      expect(await countNodes('Prefix')).toBe(before);
      // The lock is free again: the same request goes through on the same short-limited store.
      const again = await fetch(`${shortBase}/api/ipam/allocate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth.header('engineer') },
        body: JSON.stringify({ vrf: 'public', parent, length: 28, reason: 'after' }),
      });
      expect(again.status).toBe(201);
    } finally {
      if (tx.isOpen()) await tx.rollback();
      await session.close();
      app.closeAllConnections();
      await new Promise((r) => app.close(r));
      await short.close();
    }
  });
});

// Last: the admin's release empties a root of the backup domain.
describe('a root block released recursively only by an admin who names it again', () => {
  const planIntact = async () => (await getJson('/api/ipam/prefixes?vrf=public&limit=100000')).body.total as number;

  it('refuses POST /api/ipam/release {"vrf":"public","cidr":"10.64.0.0/11","recursive":true} from an engineer and leaves the plan intact', async () => {
    const before = await planIntact();
    const refused = await post('/api/ipam/release', { vrf: 'public', cidr: SITE_BLOCKS, recursive: true, reason: 'x' });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const named = await post('/api/ipam/release', { vrf: 'public', cidr: SITE_BLOCKS, recursive: true, confirm: SITE_BLOCKS, reason: 'x' });
    expect([named.status, named.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect(await planIntact()).toBe(before);
  });

  it.each([
    ['no confirm', {}],
    ['another prefix', { confirm: '10.45.0.0/16' }],
    ['not a prefix', { confirm: 'yes' }],
  ])('answers an admin with %s 400 CONFIRMATION_REQUIRED and writes nothing', async (_what, extra) => {
    const before = await planIntact();
    const r = await post('/api/ipam/release', { vrf: 'public', cidr: SITE_BLOCKS, recursive: true, reason: 'x', ...extra }, 'admin');
    expect([r.status, r.body.error.code, r.body.error.field]).toEqual([400, 'CONFIRMATION_REQUIRED', 'confirm']);
    expect(r.body.error.hint).toContain(SITE_BLOCKS);
    expect(await planIntact()).toBe(before);
  });

  it('still lets an engineer release a block below the roots recursively', async () => {
    const block = (await post('/api/ipam/allocate', { vrf: 'public', parent: SITE_BLOCKS, length: 20, reason: 'below' })).body.items[0]
      .cidr;
    await post('/api/ipam/allocate', { vrf: 'public', parent: block, length: 24, reason: 'inside' });
    const r = await post('/api/ipam/release', { vrf: 'public', cidr: block, recursive: true, reason: 'done' });
    expect([r.status, r.body.released.length]).toEqual([200, 2]);
  });

  it('releases a root block and everything in it for an admin who names it again (compared normalised)', async () => {
    const rootCidr = '2001:db8:46ff::/48';
    const held = (await getJson(`/api/ipam/prefixes?vrf=backup&family=6&limit=100000`)).body.total as number;
    expect(held).toBeGreaterThan(1);
    const r = await post(
      '/api/ipam/release',
      { vrf: 'backup', cidr: rootCidr, recursive: true, confirm: '2001:0db8:46ff:0000::/48', reason: 'retire the IPv6 backup links' },
      'admin',
    );
    expect(r.status).toBe(200);
    expect(r.body.released).toHaveLength(held);
    expect(r.body.released).toContain(rootCidr);
    expect((await getJson(`/api/ipam/prefixes?vrf=backup&family=6`)).body.total).toBe(0);
  });
});

describe('the address-space history: newest first, by time', () => {
  it('puts an entry on a whole second before the later ones of the same second (not after, as its text sorts)', async () => {
    const cidr = '198.51.100.0/24';
    // Entries as `recordEvents` writes them, with chosen times: one on a whole second between two others.
    await store.write((tx) =>
      tx.run(
        `UNWIND $rows AS r CREATE (:IpamEvent {id: r.id, at: datetime(r.at), actor: 'test', action: r.action, vrf: 'public',
           cidr: $cidr, reason: 'order', status: null, role: null, snapshot: null})`,
        {
          cidr,
          rows: [
            { id: 'h1', at: '2026-12-01T10:00:00.400Z', action: 'allocate' },
            { id: 'h2', at: '2026-12-01T10:00:01Z', action: 'release' },
            { id: 'h3', at: '2026-12-01T10:00:01.250Z', action: 'allocate' },
          ],
        },
      ),
    );
    const items = (await getJson(`/api/ipam/audit?vrf=public&cidr=${encodeURIComponent(cidr)}`)).body.items as IpamEvent[];
    expect(items.map((e) => [e.action, e.at])).toEqual([
      ['allocate', '2026-12-01T10:00:01.25Z'],
      ['release', '2026-12-01T10:00:01Z'],
      ['allocate', '2026-12-01T10:00:00.4Z'],
    ]);
  });
});
