import { z } from 'zod';
import { DomainError } from '../errors';
import { contains, formatPrefix, overlaps, parsePrefix, size, type Prefix } from '../cidr/prefix';
import type { PlanIssue } from '../plan/issues';
import type { Plan } from '../plan/types';

/**
 * The address plan (`address-plan.yaml`): root blocks per routing domain (VRF),
 * reserved ranges, and the allocation policy per tier — as data, validated
 * once here. Lengths are prefix lengths in bits, per family.
 */

const cidrText = z.string().min(1);
const byFamily = z.strictObject({ v4: z.number().int().min(0).max(32), v6: z.number().int().min(0).max(128) });
const domainName = z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'a domain name: lower-case letters, digits, dashes');

/** Roles of root blocks; each policy entry draws from the roots of one role. */
export const ROOT_ROLES = ['site-block', 'p2p', 'loopback'] as const;
export type RootRole = (typeof ROOT_ROLES)[number];

export const addressPlanSchema = z.strictObject({
  domains: z
    .array(
      z.strictObject({
        name: domainName,
        description: z.string().default(''),
        roots: z.array(z.strictObject({ cidr: cidrText, role: z.enum(ROOT_ROLES), description: z.string().default('') })).min(1),
      }),
    )
    .min(1),
  reserved: z.array(z.strictObject({ domain: domainName, cidr: cidrText, description: z.string().default('') })).default([]),
  policy: z.strictObject({
    city: z.strictObject({ domain: domainName, block: byFamily, lan: byFamily }),
    county: z.strictObject({ domain: domainName, block: byFamily, lan: byFamily }),
    township: z.strictObject({ domain: domainName, lan: byFamily }),
    link: z.strictObject({
      uplink: z.strictObject({ domain: domainName, p2p: byFamily }),
      'internet-exit': z.strictObject({ domain: domainName, p2p: byFamily }),
      backup: z.strictObject({ domain: domainName, p2p: byFamily }),
    }),
    loopback: z.strictObject({ domain: domainName, v4: z.number().int(), v6: z.number().int() }),
    allowed: z.record(
      z.enum(ROOT_ROLES),
      z.strictObject({ v4: z.array(z.number().int().min(0).max(32)), v6: z.array(z.number().int().min(0).max(128)) }),
    ),
  }),
});

export type AddressPlanFile = z.infer<typeof addressPlanSchema>;

/** A root block, parsed. */
export interface RootBlock {
  domain: string;
  prefix: Prefix;
  cidr: string;
  role: RootRole;
  description: string;
}

/** The validated address plan: the file plus parsed roots and reserved ranges. */
export interface AddressPlan extends AddressPlanFile {
  rootBlocks: RootBlock[];
  reservedBlocks: { domain: string; prefix: Prefix; cidr: string; description: string }[];
}

export const ADDRESS_PLAN_FILE = 'address-plan.yaml';

/**
 * Validates an address plan; with `plan`, also checks there is room for 4× the
 * plan's sites (the growth the city's plan asks for). Issues use the plan
 * issue shape, file `address-plan.yaml`.
 */
export function validateAddressPlan(data: unknown, plan?: Plan): { ok: true; value: AddressPlan } | { ok: false; errors: PlanIssue[] } {
  const file = ADDRESS_PLAN_FILE;
  const parsed = addressPlanSchema.safeParse(data);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => ({
        file,
        path: i.path
          .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
          .join('')
          .replace(/^\./, ''),
        code: i.code === 'unrecognized_keys' ? 'unknown-key' : 'invalid',
        message: i.message,
      })),
    };
  }
  const v = parsed.data;
  const errors: PlanIssue[] = [];
  const issue = (path: string, code: PlanIssue['code'], message: string, hint?: string) =>
    errors.push({ file, path, code, message, ...(hint && { hint }) });
  const parse = (text: string, path: string): Prefix | undefined => {
    try {
      return parsePrefix(text, { field: path });
    } catch (e) {
      issue(path, 'invalid', (e as Error).message, e instanceof DomainError ? e.hint : undefined);
      return undefined;
    }
  };

  const rootBlocks: RootBlock[] = [];
  const domains = new Set<string>();
  v.domains.forEach((d, di) => {
    if (domains.has(d.name)) issue(`domains[${di}].name`, 'duplicate', `domain ${d.name} is defined twice`);
    domains.add(d.name);
    d.roots.forEach((r, ri) => {
      const path = `domains[${di}].roots[${ri}].cidr`;
      const prefix = parse(r.cidr, path);
      if (!prefix) return;
      const clash = rootBlocks.find((o) => o.domain === d.name && overlaps(o.prefix, prefix));
      if (clash)
        issue(path, 'duplicate', `${r.cidr} overlaps root ${clash.cidr} of domain ${d.name}`, 'roots of one domain must not overlap');
      rootBlocks.push({ domain: d.name, prefix, cidr: formatPrefix(prefix), role: r.role, description: r.description });
    });
  });

  const reservedBlocks: AddressPlan['reservedBlocks'] = [];
  v.reserved.forEach((r, i) => {
    const path = `reserved[${i}]`;
    if (!domains.has(r.domain)) return void issue(`${path}.domain`, 'missing', `domain ${r.domain} is not defined`);
    const prefix = parse(r.cidr, `${path}.cidr`);
    if (!prefix) return;
    if (!rootBlocks.some((b) => b.domain === r.domain && contains(b.prefix, prefix))) {
      issue(`${path}.cidr`, 'invalid', `${r.cidr} lies outside every root of domain ${r.domain}`);
    }
    reservedBlocks.push({ domain: r.domain, prefix, cidr: formatPrefix(prefix), description: r.description });
  });

  const p = v.policy;
  const needs: { path: string; domain: string; role: RootRole; lengths: { v4: number; v6: number } }[] = [
    { path: 'policy.city.block', domain: p.city.domain, role: 'site-block', lengths: p.city.block },
    { path: 'policy.county.block', domain: p.county.domain, role: 'site-block', lengths: p.county.block },
    { path: 'policy.link.uplink.p2p', domain: p.link.uplink.domain, role: 'p2p', lengths: p.link.uplink.p2p },
    { path: 'policy.link.internet-exit.p2p', domain: p.link['internet-exit'].domain, role: 'p2p', lengths: p.link['internet-exit'].p2p },
    { path: 'policy.link.backup.p2p', domain: p.link.backup.domain, role: 'p2p', lengths: p.link.backup.p2p },
    { path: 'policy.loopback', domain: p.loopback.domain, role: 'loopback', lengths: { v4: p.loopback.v4, v6: p.loopback.v6 } },
  ];
  for (const n of needs) {
    if (!domains.has(n.domain)) {
      issue(`${n.path.replace(/\.(block|p2p)$/, '')}.domain`, 'missing', `domain ${n.domain} is not defined`);
      continue;
    }
    for (const fam of [4, 6] as const) {
      const len = fam === 4 ? n.lengths.v4 : n.lengths.v6;
      const roots = rootBlocks.filter((b) => b.domain === n.domain && b.role === n.role && b.prefix.family === fam);
      if (roots.length === 0) issue(n.path, 'missing', `domain ${n.domain} has no IPv${fam} ${n.role} root`);
      else if (roots.every((r) => r.prefix.length > len))
        issue(`${n.path}.v${fam}`, 'invalid', `/${len} is larger than every IPv${fam} ${n.role} root of ${n.domain}`);
      const allowed = p.allowed[n.role]?.[fam === 4 ? 'v4' : 'v6'];
      if (allowed && !allowed.includes(len))
        issue(`${n.path}.v${fam}`, 'invalid', `/${len} is not in policy.allowed.${n.role}.v${fam}`, `add ${len} to the allowed lengths`);
    }
  }
  for (const [tier, lan, block] of [
    ['city', p.city.lan, p.city.block],
    ['county', p.county.lan, p.county.block],
  ] as const) {
    if (lan.v4 < block.v4 || lan.v6 < block.v6) issue(`policy.${tier}.lan`, 'invalid', 'a LAN cannot be larger than its block');
  }
  if (p.township.lan.v4 < p.county.block.v4 || p.township.lan.v6 < p.county.block.v6) {
    issue('policy.township.lan', 'invalid', 'a township LAN must fit inside its county-level block');
  }

  if (plan && errors.length === 0) checkGrowth(v, rootBlocks, plan, issue);
  return errors.length ? { ok: false, errors } : { ok: true, value: { ...v, rootBlocks, reservedBlocks } };
}

/** Room for 4× today's county-level units and 4× the largest county's townships, in both families. */
function checkGrowth(
  v: AddressPlanFile,
  roots: RootBlock[],
  plan: Plan,
  issue: (path: string, code: PlanIssue['code'], message: string, hint?: string) => void,
): void {
  const GROWTH = 4n;
  const countyLevel = BigInt(plan.sites.filter((s) => s.tier !== 'township').length);
  const perCounty = new Map<string, number>();
  for (const s of plan.sites) if (s.tier === 'township' && s.parent) perCounty.set(s.parent, (perCounty.get(s.parent) ?? 0) + 1);
  const maxTownships = BigInt(Math.max(0, ...perCounty.values()));
  for (const fam of [4, 6] as const) {
    const key = fam === 4 ? 'v4' : 'v6';
    const bits = fam === 4 ? 32 : 128;
    const blockLen = v.policy.county.block[key];
    const blocks = roots
      .filter((r) => r.domain === v.policy.county.domain && r.role === 'site-block' && r.prefix.family === fam)
      .reduce((n, r) => n + size(r.prefix) / (1n << BigInt(bits - blockLen)), 0n);
    if (blocks < GROWTH * countyLevel) {
      issue(
        `policy.county.block.${key}`,
        'invalid',
        `IPv${fam} site-block roots hold ${blocks} blocks of /${blockLen}; 4× today's ${countyLevel} city and county-level sites need ${GROWTH * countyLevel}`,
        'use a shorter block length or add a root',
      );
    }
    const lans = 1n << BigInt(v.policy.township.lan[key] - blockLen);
    if (lans < GROWTH * maxTownships + 1n) {
      issue(
        `policy.township.lan.${key}`,
        'invalid',
        `a /${blockLen} holds ${lans} township LANs of /${v.policy.township.lan[key]}; 4× the largest county's ${maxTownships} townships (plus its own LAN) need ${GROWTH * maxTownships + 1n}`,
        'use a larger county block or smaller LANs',
      );
    }
  }
}
