import express, { Router, type Request } from 'express';
import { z } from 'zod';
import { DomainError, type AddressPlan } from '@extranet/topology';
import { parseInput } from '../http/errors';
import type { Store } from '../neo4j/store';
import { exportCsv, importCsv } from './csv';
import { provision } from './provision';
import { auditLog, freeOf, getPrefixOrThrow, listPrefixes, lookupAddress, utilizationOf } from './queries';
import { allocateNext, assignPrefix, releasePrefix } from './service';

const vrf = z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'a domain (VRF) name such as public, backup, mgmt');
const cidr = z.string().min(3).max(64);
const status = z.enum(['container', 'active', 'reserved', 'deprecated']);
const owner = z.strictObject({ kind: z.enum(['site', 'link', 'interface', 'device']), id: z.string().min(1) });
const who = { actor: z.string().min(1).max(100).optional(), reason: z.string().max(500).default('') };

/** Who did it: the X-Actor header, else the body's actor, else "api". */
function actorOf(req: Request, bodyActor?: string): string {
  return (req.get('x-actor') ?? bodyActor ?? 'api').slice(0, 100);
}

export function ipamRouter(store: Store, plan: () => AddressPlan | undefined): Router {
  const r = Router();

  r.get('/ipam/prefixes', async (req, res) => {
    const q = parseInput(z.strictObject({
      vrf: vrf.optional(), family: z.enum(['4', '6']).transform(Number).optional(), status: status.optional(),
      role: z.string().optional(), parent: cidr.optional(), site: z.string().optional(),
      limit: z.coerce.number().int().min(1).max(100000).optional(),
    }), req.query);
    const items = await listPrefixes(store, { ...q, family: q.family as 4 | 6 | undefined });
    res.json({ items, total: items.length });
  });
  r.get('/ipam/prefix', async (req, res) => {
    const q = parseInput(z.strictObject({ vrf, cidr }), req.query);
    res.json(await getPrefixOrThrow(store, q.vrf, q.cidr));
  });
  r.get('/ipam/free', async (req, res) => {
    const q = parseInput(z.strictObject({ vrf, cidr, length: z.coerce.number().int().min(0).max(128).optional() }), req.query);
    res.json(await freeOf(store, q.vrf, q.cidr, q.length));
  });
  r.get('/ipam/utilization', async (req, res) => {
    const q = parseInput(z.strictObject({ vrf, cidr, unit: z.coerce.number().int().min(0).max(128).optional() }), req.query);
    res.json(await utilizationOf(store, q.vrf, q.cidr, q.unit));
  });
  r.get('/ipam/lookup', async (req, res) => {
    const q = parseInput(z.strictObject({ address: z.string().min(2).max(64), vrf: vrf.optional() }), req.query);
    res.json(await lookupAddress(store, q.address, q.vrf));
  });
  r.get('/ipam/audit', async (req, res) => {
    const q = parseInput(z.strictObject({ vrf: vrf.optional(), cidr: cidr.optional(), site: z.string().optional(), limit: z.coerce.number().int().min(1).max(10000).optional() })
      .refine((x) => x.cidr || x.site, { message: 'give cidr (with vrf) or site', path: ['cidr'] }), req.query);
    const items = await auditLog(store, q);
    res.json({ items, total: items.length });
  });

  r.post('/ipam/allocate', async (req, res) => {
    const b = parseInput(z.strictObject({
      vrf, parent: cidr, length: z.number().int().min(0).max(128), count: z.number().int().min(1).max(4096).default(1),
      strategy: z.enum(['best-fit', 'first-fit']).default('best-fit'), status: status.default('active'),
      role: z.string().max(40).optional(), description: z.string().max(500).default(''), owner: owner.optional(),
      requestKey: z.string().min(1).max(200).optional(), ...who,
    }), req.body ?? {});
    const r2 = await allocateNext(store, plan(), { ...b, actor: actorOf(req, b.actor) });
    res.status(r2.replayed ? 200 : 201).json({ items: r2.prefixes, replayed: r2.replayed });
  });
  const assignBody = z.strictObject({
    vrf, cidr, status: status.default('active'), role: z.string().max(40).optional(), description: z.string().max(500).default(''),
    owner: owner.optional(), ...who,
  });
  r.post('/ipam/prefixes', async (req, res) => {
    const b = parseInput(assignBody, req.body ?? {});
    res.status(201).json(await assignPrefix(store, plan(), { ...b, actor: actorOf(req, b.actor) }));
  });
  r.post('/ipam/reserve', async (req, res) => {
    const b = parseInput(assignBody.omit({ status: true }), req.body ?? {});
    res.status(201).json(await assignPrefix(store, plan(), { ...b, status: 'reserved', actor: actorOf(req, b.actor) }));
  });
  r.post('/ipam/release', async (req, res) => {
    const b = parseInput(z.strictObject({ vrf, cidr, recursive: z.boolean().default(false), ...who, reason: z.string().min(1, 'say why (reason)').max(500) }), req.body ?? {});
    res.json({ released: await releasePrefix(store, { ...b, actor: actorOf(req, b.actor) }) });
  });
  r.post('/ipam/provision', async (req, res) => {
    const b = parseInput(z.strictObject({ sites: z.array(z.string()).optional(), links: z.array(z.string()).optional(), ...who }), req.body ?? {});
    const ap = plan();
    if (!ap) throw new DomainError('ADDRESS_PLAN_MISSING', 'no address plan is loaded', { hint: 'add address-plan.yaml to PLAN_DIR' });
    const result = await provision(store, ap, { ...b, actor: actorOf(req, b.actor), reason: b.reason || 'provision by policy' });
    res.status(result.created.length ? 201 : 200).json({ created: result.created, changed: result.created.length > 0 });
  });
  r.get('/ipam/export.csv', async (req, res) => {
    const q = parseInput(z.strictObject({ vrf: vrf.optional() }), req.query);
    res.type('text/csv; charset=utf-8').attachment('prefixes.csv').send(await exportCsv(store, q.vrf));
  });
  r.post('/ipam/import', express.text({ type: ['text/csv', 'text/plain'], limit: '20mb' }), async (req, res) => {
    const q = parseInput(z.strictObject({ vrf: vrf.optional(), reason: z.string().max(500).optional() }), req.query);
    if (typeof req.body !== 'string') {
      throw new DomainError('BAD_REQUEST', 'send the CSV as text/csv', { field: 'body' });
    }
    res.json(await importCsv(store, plan(), req.body, { actor: actorOf(req), reason: q.reason ?? 'CSV import' }, q.vrf));
  });
  return r;
}
