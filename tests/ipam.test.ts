import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPrefix, overlaps, parsePrefix } from '@extranet/topology';
import { requireAddressPlan } from '../backend/src/ipam/address-plan';
import { provision } from '../backend/src/ipam/provision';
import type { Store } from '../backend/src/neo4j/store';
import { loadPlanOrThrow } from '../backend/src/plan/load';
import { importPlanDir } from '../backend/src/plan/service';
import { createApp } from '../backend/src/http/app';
import { testAuth, type TestAuth } from './helpers/auth';
import { getJson, setDefaultHeaders } from './helpers/http';
import { openTestStore, resetGraph } from './helpers/store';
import { spawnExtranet } from './helpers/cli';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const root = path.resolve(import.meta.dirname, '..');
const huizhou = path.join(root, 'plans', 'huizhou');

/** The test accounts of the current describe block (an engineer's token by default, as an automation client would). */
let auth: TestAuth;

async function post(base: string, url: string, body: unknown, headers: Record<string, string> = auth.header('engineer')) {
  const res = await fetch(`${base}${url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

async function countPrefixes(store: Store): Promise<number> {
  return store.read(async (tx) => (await tx.run('MATCH (p:Prefix) RETURN count(p) AS n')).records[0]!.get('n') as number);
}

describe('the address space on the real Neo4j', () => {
  let store: Store;
  let base: string;
  let server: http.Server;

  beforeAll(async () => {
    store = await openTestStore();
    await resetGraph(store);
    await importPlanDir(store, huizhou);
    const addressPlan = await requireAddressPlan(huizhou, await loadPlanOrThrow(huizhou));
    auth = await testAuth(store);
    setDefaultHeaders(auth.header('viewer'));
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

  it('provisions the whole Huizhou plan by policy, and a second run changes nothing', async () => {
    const first = await post(base, '/api/ipam/provision', { reason: 'test' });
    expect(first.status).toBe(201);
    const n = await countPrefixes(store);
    const plan = await loadPlanOrThrow(huizhou);
    const managed = plan.devices.filter((d) => d.snmpProfile).length;
    // roots 8 + reserved 3; per family: 8 blocks + 8 LANs (city, counties) + 84 township LANs;
    // per link and family: 1 subnet + 2 interface addresses; per managed device and family: 1 loopback.
    expect(n).toBe(8 + 3 + 2 * (8 + 8 + 84) + 2 * 3 * plan.links.length + 2 * managed);
    const again = await post(base, '/api/ipam/provision', { reason: 'test again' });
    expect(again.status).toBe(200);
    expect(again.body.changed).toBe(false);
    expect(await countPrefixes(store)).toBe(n);
  });

  it('gives a township its LAN inside its county-level block, and its uplink addresses on both ends', async () => {
    const site = (await getJson(`${base}/api/ipam/prefixes?site=441302001&vrf=public`)).body.items;
    const block = (await getJson(`${base}/api/ipam/prefixes?site=441302&role=block&family=4`)).body.items[0];
    const lan = site.find((p: any) => p.role === 'lan' && p.family === 4);
    expect(lan.length).toBe(24);
    expect(lan.parent).toBe(block.cidr);
    const p2p = (await getJson(`${base}/api/ipam/prefixes?role=p2p&family=4&site=441302001`)).body.items;
    const uplink = p2p.find((p: any) => p.owner.id === 'L-441302-441302001');
    expect(uplink.length).toBe(31);
    const ends = (await getJson(`${base}/api/ipam/prefixes?parent=${encodeURIComponent(uplink.cidr)}&vrf=public`)).body.items;
    expect(ends.map((e: any) => e.owner.id).sort()).toEqual(
      ['hz-441302-agg-01|GigabitEthernet0/1/0', 'hz-441302001-acc-01|GigabitEthernet0/0/0'].sort(),
    );
    const found = (await getJson(`${base}/api/ipam/lookup?address=${ends[0].cidr.split('/')[0]}`)).body.matches;
    expect(found.map((m: any) => m.role)).toEqual(['interface', 'p2p', 'root']);
    expect(found[1].owner.sites).toEqual(['441302', '441302001']);
  });

  it('keeps the plan management addresses as loopbacks', async () => {
    const plan = await loadPlanOrThrow(huizhou);
    const d = plan.devices.find((x) => x.hostname === 'hz-441302-agg-01')!;
    const m = (await getJson(`${base}/api/ipam/lookup?address=${d.mgmtAddress}&vrf=mgmt`)).body.matches;
    expect(m[0]).toMatchObject({ cidr: `${d.mgmtAddress}/32`, role: 'loopback', owner: { kind: 'device', id: d.hostname } });
  });

  it('allocates best-fit by default and first-fit on request, N at once, idempotently by key', async () => {
    const parent = (await post(base, '/api/ipam/allocate', { vrf: 'public', parent: '10.64.0.0/11', length: 20, reason: 'lab block' })).body
      .items[0].cidr;
    await post(base, '/api/ipam/prefixes', {
      vrf: 'public',
      cidr: parent.replace(/\.0\/20$/, '.0/24').replace(/^(\d+\.\d+\.)(\d+)/, (_: string, a: string, b: string) => `${a}${Number(b) + 1}`),
      reason: 'hole maker',
    });
    const best = await post(base, '/api/ipam/allocate', { vrf: 'public', parent, length: 24, reason: 't' });
    expect(best.status).toBe(201);
    const first = await post(base, '/api/ipam/allocate', {
      vrf: 'public',
      parent,
      length: 24,
      strategy: 'first-fit',
      count: 3,
      reason: 't',
    });
    expect(first.body.items).toHaveLength(3);
    const all = [best.body.items[0].cidr, ...first.body.items.map((p: any) => p.cidr)].map((c: string) => parsePrefix(c));
    for (let i = 0; i < all.length; i++) for (let j = i + 1; j < all.length; j++) expect(overlaps(all[i]!, all[j]!)).toBe(false);
    const k1 = await post(base, '/api/ipam/allocate', { vrf: 'public', parent, length: 26, requestKey: 'ticket-42', reason: 't' });
    const k2 = await post(base, '/api/ipam/allocate', { vrf: 'public', parent, length: 26, requestKey: 'ticket-42', reason: 't' });
    expect(k2.status).toBe(200);
    expect(k2.body.replayed).toBe(true);
    expect(k2.body.items[0].cidr).toBe(k1.body.items[0].cidr);
    const k3 = await post(base, '/api/ipam/allocate', { vrf: 'public', parent, length: 25, requestKey: 'ticket-42', reason: 't' });
    expect(k3.body.error.code).toBe('IDEMPOTENCY_CONFLICT');
  });

  it('reports free blocks and utilization from stored counters, IPv6 in /64 units', async () => {
    const block6 = (await getJson(`${base}/api/ipam/prefixes?site=441302&role=block&family=6`)).body.items[0].cidr;
    const u = (await getJson(`${base}/api/ipam/utilization?vrf=public&cidr=${encodeURIComponent(block6)}`)).body;
    expect(u.unit).toBe('/64');
    expect(u.totalUnits).toBe('65536');
    expect(BigInt(u.usedUnits)).toBe(BigInt(u.children) * 256n); // each child is a /56
    const f = (await getJson(`${base}/api/ipam/free?vrf=public&cidr=${encodeURIComponent(block6)}`)).body;
    expect(BigInt(f.freeAddresses) + BigInt(u.usedAddresses)).toBe(2n ** 80n);
  });

  it.each([
    [{ vrf: 'public', cidr: '10.64.1.3/16' }, 'CIDR_HOST_BITS', 'did you mean 10.64.0.0/16?'],
    [{ vrf: 'public', cidr: '10.64.1.0/33' }, 'CIDR_INVALID', undefined],
    [{ vrf: 'public', cidr: '172.16.0.0/24' }, 'PREFIX_OUTSIDE_CONTAINER', '10.64.0.0/11'],
    [{ vrf: 'public', cidr: '10.95.255.0/25' }, 'PREFIX_OVERLAP', undefined],
  ])('refuses %j with %s and writes nothing', async (body, code, hint) => {
    const before = await countPrefixes(store);
    const r = await post(base, '/api/ipam/prefixes', { ...body, reason: 'bad' });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.body.error.code).toBe(code);
    if (hint) expect(r.body.error.hint).toContain(hint);
    expect(await countPrefixes(store)).toBe(before);
  });

  it('names the overlapped prefix, says how much is free when exhausted, and checks family and policy', async () => {
    const lan = (await getJson(`${base}/api/ipam/prefixes?site=441302001&role=lan&family=4`)).body.items[0].cidr;
    const lanPrefix = parsePrefix(lan);
    const above = formatPrefix({ ...lanPrefix, start: lanPrefix.start & ~0x1ffn, length: 23 });
    const overlap = await post(base, '/api/ipam/prefixes', { vrf: 'public', cidr: above, reason: 'x' });
    expect(overlap.body.error.code).toBe('PREFIX_OVERLAP');
    expect(overlap.body.error.details.overlaps).toContain(lan);
    expect(overlap.body.error.message).toContain(overlap.body.error.details.overlaps[0]);
    const full = await post(base, '/api/ipam/allocate', { vrf: 'public', parent: lan, length: 23, reason: 'x' });
    expect(full.body.error.code).toBe('LENGTH_OUTSIDE_POLICY');
    const p2p = (await getJson(`${base}/api/ipam/prefixes?role=p2p&family=4&vrf=public&site=441302001`)).body.items[0].cidr;
    const exhausted = await post(base, '/api/ipam/allocate', { vrf: 'public', parent: p2p, length: 31, reason: 'x' });
    expect(exhausted.body.error.code).toBe('POOL_EXHAUSTED');
    expect(exhausted.body.error.details).toMatchObject({ free: '0', largestFreeBlock: null });
    const wrongFamily = await post(base, '/api/ipam/allocate', { vrf: 'public', parent: '10.64.0.0/11', length: 64, reason: 'x' });
    expect(wrongFamily.body.error.code).toBe('LENGTH_OUTSIDE_POLICY');
    const bad = await post(base, '/api/ipam/allocate', { vrf: 'public', parent: '10.64.0.0/11', length: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('BAD_REQUEST');
  });

  it('releases into history, not silently: the space is free again and the audit says who and why', async () => {
    const a = (
      await post(
        base,
        '/api/ipam/allocate',
        { vrf: 'public', parent: '10.64.0.0/11', length: 24, owner: { kind: 'site', id: '441324' }, reason: 'new office' },
        auth.header('engineer'),
      )
    ).body.items[0];
    const nested = await post(base, '/api/ipam/allocate', { vrf: 'public', parent: a.cidr, length: 26, reason: 'vlan' });
    expect(nested.status).toBe(201);
    const refused = await post(base, '/api/ipam/release', { vrf: 'public', cidr: a.cidr, reason: 'closed' });
    expect(refused.body.error.code).toBe('PREFIX_IN_USE');
    const rel = await post(
      base,
      '/api/ipam/release',
      { vrf: 'public', cidr: a.cidr, recursive: true, reason: 'office closed' },
      auth.header('admin'),
    );
    expect(rel.body.released).toContain(a.cidr);
    const log = (await getJson(`${base}/api/ipam/audit?vrf=public&cidr=${encodeURIComponent(a.cidr)}`, auth.header('viewer'))).body.items;
    // The actor is the authenticated principal, whatever header the client sends.
    expect(log.map((e: any) => [e.action, e.actor])).toEqual([
      ['release', 't-admin'],
      ['allocate', 't-engineer'],
    ]);
    expect(log[0].reason).toBe('office closed');
    expect(log[0].snapshot.owner).toEqual({ kind: 'site', id: '441324' });
    const bySite = (await getJson(`${base}/api/ipam/audit?site=441324`)).body.items;
    expect(bySite.some((e: any) => e.cidr === a.cidr && e.action === 'release')).toBe(true);
    const again = await post(base, '/api/ipam/prefixes', { vrf: 'public', cidr: a.cidr, reason: 'reuse' });
    expect(again.status).toBe(201);
  });

  it('exports NetBox CSV and imports it into another domain in one transaction', async () => {
    const csv = await (await fetch(`${base}/api/ipam/export.csv?vrf=backup`, { headers: auth.header('viewer') })).text();
    expect(csv.split('\r\n')[0]).toBe('prefix,vrf,status,role,description,site');
    const moved = csv.replace(/,backup,/g, ',lab,');
    // 'lab' has no roots yet: import the roots first in the same CSV, so nothing is outside a container
    const res = await fetch(`${base}/api/ipam/import`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', ...auth.header('engineer') },
      body: moved,
    });
    const body = await res.json();
    expect(res.status).toBe(409);
    expect(body.error.code).toBe('PREFIX_OUTSIDE_CONTAINER'); // roots have no container: NetBox aggregates are not prefixes
    const before = await countPrefixes(store);
    const withRoots = moved.replace('prefix,vrf,status,role,description,site\r\n', 'prefix,vrf,status,role,description,site\r\n');
    expect(await countPrefixes(store)).toBe(before);
    const broken = `${withRoots}10.46.0.0/99,backup,active,p2p,,\r\n`;
    const bad = await fetch(`${base}/api/ipam/import`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', ...auth.header('engineer') },
      body: broken,
    });
    expect((await bad.json()).error.field).toMatch(/^csv:\d+$/);
    expect(await countPrefixes(store)).toBe(before);
  });
});

/** Starts `extranet serve` as a separate OS process on the test Neo4j; resolves with its base URL. */
function startBackend(): Promise<{ base: string; proc: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const proc = spawnExtranet(['serve'], {
      env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', LAB: '1', LAB_BASE_PORT: '0' },
    });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) resolve({ base: m[1]!, proc });
    });
    proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
    proc.on('exit', (code) => reject(new Error(`backend exited (${code}): ${out}`)));
  });
}

describe('never twice: two backend processes allocating from one parent at once', () => {
  let store: Store;
  const procs: ChildProcess[] = [];
  beforeAll(async () => {
    store = await openTestStore();
    await resetGraph(store);
    await importPlanDir(store, huizhou);
    await provision(store, await requireAddressPlan(huizhou), { actor: 'test', reason: 'setup' });
    auth = await testAuth(store);
    setDefaultHeaders(auth.header('viewer'));
  });
  afterAll(async () => {
    for (const p of procs) p.kill('SIGTERM');
    await resetGraph(store);
    await store.close();
  });

  it('hands out 120 distinct /28s from the same parent through 2 processes and 12 parallel clients', async () => {
    const [b1, b2] = await Promise.all([startBackend(), startBackend()]);
    procs.push(b1.proc, b2.proc);
    const parent = (await post(b1.base, '/api/ipam/allocate', { vrf: 'public', parent: '10.64.0.0/11', length: 20, reason: 'race' })).body
      .items[0].cidr;
    const bases = [b1.base, b2.base];
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, client) =>
        (async () => {
          const got: string[] = [];
          for (let i = 0; i < 10; i++) {
            const r = await post(bases[client % 2]!, '/api/ipam/allocate', {
              vrf: 'public',
              parent,
              length: 28,
              reason: `client ${client}`,
            });
            expect(r.status, JSON.stringify(r.body)).toBe(201);
            got.push(r.body.items[0].cidr);
          }
          return got;
        })(),
      ),
    );
    const handed = results.flat();
    expect(new Set(handed).size).toBe(120);
    const stored = await store.read(async (tx) =>
      (await tx.run('MATCH (:Prefix {vrf: "public", cidr: $parent})<-[:IN]-(c) RETURN c.cidr AS c', { parent })).records.map(
        (r) => r.get('c') as string,
      ),
    );
    expect(stored.sort()).toEqual([...handed].sort()); // none lost, none extra
    const ps = stored.map((c) => parsePrefix(c));
    for (let i = 0; i < ps.length; i++)
      for (let j = i + 1; j < ps.length; j++)
        expect(overlaps(ps[i]!, ps[j]!), `${formatPrefix(ps[i]!)} ${formatPrefix(ps[j]!)}`).toBe(false);
    const u = (await getJson(`${b2.base}/api/ipam/utilization?vrf=public&cidr=${encodeURIComponent(parent)}`, auth.header('viewer'))).body;
    expect(u.usedAddresses).toBe(String(120 * 16));
  });
});
