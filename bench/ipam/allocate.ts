/**
 * (b) Persisted allocations per second: `allocateNext` of /28s into Neo4j,
 * each a committed write transaction, side by side with Neo4j's raw rate of
 * comparable one-statement write transactions — per case, alternating in
 * chunks, so both see the same machine state. After every allocation case the stored
 * tree is checked: no two children overlap, none lost or extra, and the
 * parent's stored free list is exactly what its children leave.
 */
import { formatPrefix, freeBlocks, parsePrefix, size } from '../../topology/src/index';
import { allocateNext } from '../../backend/src/ipam/service';
import type { Store } from '../../backend/src/neo4j/store';
import { countRows, dropRaw, makeAnchors, rawWrite, runClients, sumResults, type BenchDb, type ClientsResult } from './neo4j';
import { meanOf, newProfile, profilingStore } from './profile';

const VRF = 'public';
/** The site-block root of the Huizhou plan; its policy allows /16…/28. */
const ROOT = '10.64.0.0/11';
const PARENT_LENGTH = 16;
const CHILD_LENGTH = 28;

export interface AllocCase {
  name: string;
  clients: number;
  parents: number;
}

export const CASES: AllocCase[] = [
  { name: '1 client, 1 parent', clients: 1, parents: 1 },
  { name: '8 clients, 1 parent (contended)', clients: 8, parents: 1 },
  { name: '8 clients, 8 parents (uncontended)', clients: 8, parents: 8 },
];

export interface AllocCaseResult extends AllocCase {
  total: number;
  alloc: ClientsResult;
  raw: ClientsResult;
  /** allocations/s ÷ raw tx/s. */
  ratio: number;
  parentCidrs: string[];
  verified: string;
}

/** A fresh /16 under the root for one client group (itself allocated through the service). */
async function newParent(db: BenchDb): Promise<string> {
  const r = await allocateNext(db.store, db.addressPlan, {
    vrf: VRF,
    parent: ROOT,
    length: PARENT_LENGTH,
    actor: 'bench',
    reason: 'bench parent',
  });
  return r.prefixes[0]!.cidr;
}

function allocOnce(store: Store, db: BenchDb, parent: string, client: number): Promise<string> {
  return allocateNext(store, db.addressPlan, { vrf: VRF, parent, length: CHILD_LENGTH, actor: `bench-${client}`, reason: 'bench' }).then(
    (r) => r.prefixes[0]!.cidr,
  );
}

/**
 * Checks one parent after a case; throws with the first problem found.
 * @param handed - the CIDRs `allocateNext` returned for this parent.
 */
export async function verifyParent(store: Store, parentCidr: string, handed: string[]): Promise<void> {
  const { children, free } = await store.read(async (tx) => {
    const r = await tx.run(
      `MATCH (p:Prefix {vrf: $vrf, cidr: $cidr}) OPTIONAL MATCH (p)<-[:IN]-(c:Prefix)
       RETURN p.free AS free, collect(c.cidr) AS children`,
      { vrf: VRF, cidr: parentCidr },
    );
    return { children: r.records[0]!.get('children') as string[], free: r.records[0]!.get('free') as string[] };
  });
  const fail = (why: string) => {
    throw new Error(`verification failed for ${parentCidr}: ${why}`);
  };
  if (children.length !== handed.length) fail(`${children.length} children stored, ${handed.length} allocations succeeded`);
  if (new Set(handed).size !== handed.length) fail('the same prefix was handed out twice');
  const stored = new Set(children);
  const missing = handed.find((c) => !stored.has(c));
  if (missing) fail(`${missing} was handed out but is not stored under the parent`);
  // Sorted by start, disjoint blocks never reach into the next one.
  const sorted = children.map((c) => parsePrefix(c)).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    if (prev.start + size(prev) > sorted[i]!.start) fail(`${formatPrefix(prev)} overlaps ${formatPrefix(sorted[i]!)}`);
  }
  const expectedFree = freeBlocks(parsePrefix(parentCidr), sorted).map(formatPrefix);
  if (expectedFree.join() !== free.join())
    fail(`stored free list (${free.length} blocks) is not parent minus children (${expectedFree.length})`);
}

/**
 * Raw and allocation chunks alternate, so that both see the same load over
 * the case: on a shared machine, a sequential "raw then allocations" skews the
 * ratio by whatever else ran meanwhile.
 */
const ROUNDS = 4;

/** Runs one case: `ROUNDS` × (raw chunk, allocation chunk), then the checks. */
async function runCase(db: BenchDb, c: AllocCase, total: number, tag: string): Promise<AllocCaseResult> {
  const perRound = Math.max(1, Math.ceil(total / c.clients / ROUNDS));
  const anchors = await makeAnchors(db.store, tag, c.parents);
  const parentCidrs: string[] = [];
  for (let i = 0; i < c.parents; i++) parentCidrs.push(await newParent(db));
  const handed = parentCidrs.map(() => [] as string[]);
  const raws: ClientsResult[] = [];
  const allocs: ClientsResult[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    raws.push(
      await runClients(c.clients, perRound, (client, i) =>
        rawWrite(db.store, anchors[client % c.parents]!, client, round * perRound + i).then(() => {}),
      ),
    );
    allocs.push(
      await runClients(c.clients, perRound, async (client) => {
        const k = client % c.parents;
        handed[k]!.push(await allocOnce(db.store, db, parentCidrs[k]!, client));
      }),
    );
  }
  const raw = sumResults(raws);
  const alloc = sumResults(allocs);
  const rows = await countRows(db.store, anchors);
  if (rows !== raw.ok) throw new Error(`raw baseline ${tag}: ${rows} rows stored, ${raw.ok} transactions succeeded`);
  for (let k = 0; k < c.parents; k++) await verifyParent(db.store, parentCidrs[k]!, handed[k]!);
  const verified = `${alloc.ok} allocations in ${c.parents} parent(s): all stored, none overlap, free lists exact`;
  return { ...c, total: perRound * c.clients * ROUNDS, alloc, raw, ratio: alloc.perSecond / raw.perSecond, parentCidrs, verified };
}

export async function benchAllocations(db: BenchDb, total: number, log: (line: string) => void): Promise<AllocCaseResult[]> {
  // Warm-up, not reported: Cypher plans cached, JIT warm, 8 pooled connections open on both paths.
  log('allocations: warm-up…');
  await runCase(db, { name: 'warm-up', clients: 8, parents: 1 }, 160, 'warm');
  const results: AllocCaseResult[] = [];
  for (const [i, c] of CASES.entries()) {
    log(`allocations: ${c.name}, ${total} raw transactions and ${total} allocations, alternating in ${ROUNDS} chunks…`);
    const r = await runCase(db, c, total, `case${i}`);
    log(
      `  raw ${r.raw.perSecond.toFixed(0)} tx/s, allocations ${r.alloc.perSecond.toFixed(0)}/s (${r.alloc.failed} failed); ${r.verified}`,
    );
    results.push(r);
  }
  await dropRaw(db.store);
  return results;
}

/** Where the time of one allocation goes, next to one raw write; 1 client, `n` transactions each. */
export async function profileAllocation(db: BenchDb, n: number) {
  const alloc = newProfile();
  const raw = newProfile();
  const parent = await newParent(db);
  const [anchor] = await makeAnchors(db.store, 'profile', 1);
  const pa = profilingStore(db.store, alloc);
  const pr = profilingStore(db.store, raw);
  const handed: string[] = [];
  // One of each in turn, for the same reason as the chunks of a case.
  for (let i = 0; i < n; i++) {
    handed.push(await allocOnce(pa, db, parent, 0));
    await rawWrite(pr, anchor!, 0, i);
  }
  await verifyParent(db.store, parent, handed);
  await dropRaw(db.store);
  return { allocation: meanOf(alloc), raw: meanOf(raw) };
}
