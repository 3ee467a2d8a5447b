import { describe, expect, it } from 'vitest';
import { validateAddressPlan } from '../../ipam/address-plan';
import { diffPlans, isEmptyDiff } from '../diff';
import type { Plan } from '../types';
import { validatePlan } from '../validate';
import { BACKUP_SHARE, PLAN_SIZES, generatePlan, type PlanSpec } from './generate';
import { renderPlanYaml, yamlString } from './render';
import { seededRandom } from './rng';

/** The plan as the four files' data (what the loader hands the validator after parsing YAML). */
function asFiles(plan: Plan) {
  const { name, city, targets, snmpProfiles, sites, devices, links } = plan;
  return [
    { file: 'plan.yaml', data: { name, city, targets, snmpProfiles } },
    { file: 'sites.yaml', data: { sites } },
    { file: 'devices.yaml', data: { devices } },
    { file: 'links.yaml', data: { links } },
  ];
}

function expectValid(spec: PlanSpec, seed: number): Plan {
  const { plan, addressPlan } = generatePlan(spec, seededRandom(seed));
  const result = validatePlan(asFiles(plan));
  if (!result.ok) expect(result.errors.slice(0, 5)).toEqual([]);
  // The validator's compiled plan is the generated one: nothing was defaulted or dropped.
  expect(result.ok && isEmptyDiff(diffPlans(result.plan, plan))).toBe(true);
  const ap = validateAddressPlan(addressPlan, plan);
  if (!ap.ok) expect(ap.errors).toEqual([]);
  return plan;
}

const count = <T>(items: readonly T[], keyOf: (item: T) => string) => {
  const out: Record<string, number> = {};
  for (const item of items) out[keyOf(item)] = (out[keyOf(item)] ?? 0) + 1;
  return out;
};

describe('generatePlan', () => {
  it('gives the same plan and the same files for the same seed, and another plan for another seed', () => {
    const one = generatePlan(PLAN_SIZES.province, seededRandom(7));
    const again = generatePlan(PLAN_SIZES.province, seededRandom(7));
    expect(again).toEqual(one);
    const render = (p: typeof one) => renderPlanYaml(p.plan, p.addressPlan, { generator: 'test' });
    expect(render(again)).toEqual(render(one));
    const other = generatePlan(PLAN_SIZES.province, seededRandom(8));
    expect(other.plan.sites.map((s) => s.name)).not.toEqual(one.plan.sites.map((s) => s.name));
    expect(isEmptyDiff(diffPlans(one.plan, other.plan))).toBe(false);
  });

  it.each([
    ['huizhou-like', PLAN_SIZES['huizhou-like'], 1],
    ['province', PLAN_SIZES.province, 2],
    ['one county, no township', { counties: 1, townships: 0 }, 3],
    ['three counties, one of them a zone', { counties: 3, townships: 40 }, 4],
    ['few counties with many townships', { counties: 4, townships: 900 }, 5],
  ])('makes a valid plan with an address plan that fits: %s', (_name, spec, seed) => {
    const plan = expectValid(spec, seed);
    expect(count(plan.sites, (s) => s.tier)).toEqual({
      city: 1,
      county: spec.counties,
      ...(spec.townships > 0 && { township: spec.townships }),
    });
  });

  it('has the variety of a real plan: planned sites, links below target, backups on a share of townships, zones', () => {
    const { plan } = generatePlan(PLAN_SIZES.province, seededRandom(2));
    const townships = plan.sites.filter((s) => s.tier === 'township');
    const planned = townships.filter((s) => s.status === 'planned').length;
    expect(planned).toBeGreaterThan(0);
    expect(planned).toBeLessThan(townships.length * 0.1);
    const below = plan.links.filter((l) => l.contractedMbps !== undefined && l.contractedMbps < l.targetMbps);
    expect(below.length).toBeGreaterThan(0);
    expect(count(below, (l) => l.tier)['county-township']).toBeGreaterThan(0);
    const townshipBackups = plan.links.filter((l) => l.kind === 'backup' && l.tier === 'county-township');
    expect(townshipBackups).toHaveLength(Math.round(townships.length * BACKUP_SHARE));
    const zones = plan.sites.filter((s) => s.kind === '功能区');
    expect(zones).toHaveLength(PLAN_SIZES.province.zones);
    const zoneTownships = townships.filter((t) => zones.some((z) => z.code === t.parent));
    expect(zoneTownships.length).toBeGreaterThan(0);
    expect(zoneTownships.every((t) => t.legalCounty !== undefined && t.code.startsWith(t.legalCounty))).toBe(true);
    expect(new Set(plan.sites.map((s) => s.name)).size).toBe(plan.sites.length);
    // Townships are spread unevenly over the county-level units.
    const per = Object.values(count(townships, (t) => t.parent!));
    expect(Math.max(...per)).toBeGreaterThan(Math.min(...per));
  });

  it('makes the national size the issue names: 42,004 devices and 52,001 links', () => {
    const { plan, addressPlan } = generatePlan(PLAN_SIZES.national, seededRandom(1));
    expect(count(plan.sites, (s) => s.tier)).toEqual({ city: 1, county: 2000, township: 40000 });
    expect(plan.devices).toHaveLength(42004);
    expect(plan.links).toHaveLength(52001);
    // /24 LANs cannot give 16× room to 40,000 townships in 10/8: the LANs shrink, the blocks stay inside 10/8.
    expect(addressPlan.domains[0]!.roots[0]!.cidr).toBe('10.0.0.0/8');
    expect(addressPlan.policy.township.lan.v4).toBeGreaterThan(24);
  });

  it('refuses sizes it cannot make', () => {
    expect(() => generatePlan({ counties: 0, townships: 10 }, seededRandom(1))).toThrow(/at least one county-level unit/);
    expect(() => generatePlan({ counties: 5000, townships: 2_000_000 }, seededRandom(1))).toThrow(/cannot size an IPv4 address plan/);
  });
});

describe('yamlString', () => {
  it.each([
    ['惠州市', '惠州市'],
    ['GigabitEthernet0/0/1', 'GigabitEthernet0/0/1'],
    ['99', '"99"'],
    ['yes', '"yes"'],
    ['to 惠城区 (sy-990001-agg-01)', '"to 惠城区 (sy-990001-agg-01)"'],
    ['a: b', '"a: b"'],
    ['', '""'],
  ])('writes %j as %s', (text, yaml) => {
    expect(yamlString(text)).toBe(yaml);
  });
});
