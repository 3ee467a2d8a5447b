import { cp, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DomainError, type Plan, type PlanIssue } from '@extranet/topology';
import { renderHuizhouPlan, type Divisions } from '../../../scripts/generate-huizhou-plan';
import { PLAN_SCHEMA_PATH, planSchemaText } from '../../../scripts/write-plan-schema';
import { loadPlanDir, loadPlanOrThrow } from './load';

const root = path.resolve(import.meta.dirname, '../../..');
const huizhouDir = path.join(root, 'plans', 'huizhou');
const fixtures = path.join(root, 'tests', 'fixtures');

const count = <T>(items: T[], keyOf: (item: T) => string) =>
  items.reduce<Record<string, number>>((acc, item) => ({ ...acc, [keyOf(item)]: (acc[keyOf(item)] ?? 0) + 1 }), {});

describe('the Huizhou plan in plans/huizhou', async () => {
  const plan: Plan = await loadPlanOrThrow(huizhouDir);
  const sites = (tier: string) => plan.sites.filter((s) => s.tier === tier);
  const siteOf = new Map(plan.devices.map((d) => [d.hostname, d.site]));

  it('has 1 city, 7 county-level units (5 legal, 2 functional zones) and 84 townships', () => {
    expect(count(plan.sites, (s) => s.tier)).toEqual({ city: 1, county: 7, township: 84 });
    expect(sites('county').map((s) => `${s.code} ${s.name} ${s.kind}`)).toEqual([
      '441302 惠城区 区',
      '441303 惠阳区 区',
      '441322 博罗县 县',
      '441323 惠东县 县',
      '441324 龙门县 县',
      '4413DYW 大亚湾经济技术开发区 功能区',
      '4413ZK 仲恺高新技术产业开发区 功能区',
    ]);
  });

  it('attaches each county-level unit’s townships to it on the network', () => {
    expect(count(sites('township'), (s) => s.parent!)).toEqual({
      '441302': 14,
      '441303': 9,
      '441322': 18,
      '441323': 21,
      '441324': 12,
      '4413DYW': 3,
      '4413ZK': 7,
    });
  });

  it('keeps the legal county of the zones’ townships, and of no other', () => {
    const legal = sites('township').filter((s) => s.legalCounty !== undefined);
    expect(legal.every((s) => s.parent === '4413DYW' || s.parent === '4413ZK')).toBe(true);
    expect(legal.filter((s) => s.parent === '4413DYW').map((s) => [s.code, s.legalCounty])).toEqual([
      ['441303006', '441303'],
      ['441303007', '441303'],
      ['441303008', '441303'],
    ]);
    expect(legal.filter((s) => s.parent === '4413ZK').map((s) => s.code)).toEqual([
      '441302007',
      '441302008',
      '441302106',
      '441302107',
      '441302114',
      '441302401',
      '441302402',
    ]);
    expect(legal.filter((s) => s.parent === '4413ZK').every((s) => s.legalCounty === '441302')).toBe(true);
    // Per legal county, the official township counts of the NBS list.
    expect(count(sites('township'), (s) => s.legalCounty ?? s.parent!)).toEqual({
      '441302': 21,
      '441303': 12,
      '441322': 18,
      '441323': 21,
      '441324': 12,
    });
  });

  it('has every township of the official list, with its code, name and kind', async () => {
    const source = JSON.parse(await readFile(path.join(huizhouDir, 'source', 'huizhou-divisions.json'), 'utf8')) as Divisions;
    const official = source.counties.flatMap((c) => c.townships.map((t) => `${t.code} ${t.name} ${t.kind}`)).sort();
    expect(
      sites('township')
        .map((s) => `${s.code} ${s.name} ${s.kind}`)
        .sort(),
    ).toEqual(official);
  });

  it('gives every county-level unit a built uplink from the core and a built backup from the backup core on another carrier', () => {
    for (const county of sites('county')) {
      const into = plan.links.filter((l) => siteOf.get(l.b.device) === county.code && l.status === 'built');
      const uplink = into.find((l) => l.kind === 'uplink' && l.a.device === 'hz-4413-core-01');
      const backup = into.find((l) => l.kind === 'backup' && l.a.device === 'hz-4413-bak-01');
      expect(uplink, county.code).toBeDefined();
      expect(backup, county.code).toBeDefined();
      expect(backup!.carrier).not.toBe(uplink!.carrier);
    }
  });

  it('has the internet exit, the devices and the links described in plans/README.md', () => {
    expect(plan.links.filter((l) => l.tier === 'city-internet')).toMatchObject([
      { id: 'X-4413-INET', kind: 'internet-exit', contractedMbps: 1000 },
    ]);
    expect(count(plan.devices, (d) => d.role)).toEqual({
      core: 1,
      'internet-exit': 1,
      'backup-core': 1,
      upstream: 1,
      aggregation: 7,
      access: 84,
    });
    expect(count(plan.devices, (d) => d.snmpProfile ?? 'unmanaged')).toEqual({ 'huizhou-v3': 92, 'huizhou-v2c': 2, unmanaged: 1 });
    expect(count(plan.links, (l) => `${l.tier} ${l.kind} ${l.status}`)).toEqual({
      'city-internet internet-exit built': 1,
      'city-county uplink built': 7,
      'city-county backup built': 7,
      'county-township uplink built': 81,
      'county-township uplink planned': 3,
      'county-township backup built': 22,
    });
    expect(
      sites('township')
        .filter((s) => s.status === 'planned')
        .map((s) => s.code),
    ).toEqual(['441323453', '441323454', '441324453']);
  });

  it('is exactly what the generator writes, so nobody edited it by hand', async () => {
    const source = JSON.parse(await readFile(path.join(huizhouDir, 'source', 'huizhou-divisions.json'), 'utf8')) as Divisions;
    for (const [file, text] of Object.entries(renderHuizhouPlan(source))) {
      expect(await readFile(path.join(huizhouDir, file), 'utf8'), file).toBe(text);
    }
    expect(await readFile(PLAN_SCHEMA_PATH, 'utf8')).toBe(planSchemaText());
  });
});

describe('the mini fixtures', () => {
  it.each(['mini', 'mini-changed'])('%s is a valid plan of 6 sites', async (name) => {
    const plan = await loadPlanOrThrow(path.join(fixtures, 'plans', name));
    expect(count(plan.sites, (s) => s.tier)).toEqual({ city: 1, county: 2, township: 3 });
  });
});

/** One row per directory of tests/fixtures/broken-plans: the single issue its one defect must produce. */
const broken: Record<string, Pick<PlanIssue, 'code' | 'file' | 'path'> & { line?: number }> = {
  'bad-yaml': { code: 'yaml', file: 'links.yaml', path: '', line: 29 },
  'dangling-device': { code: 'missing', file: 'links.yaml', path: 'links[6].b.device' },
  'dangling-interface': { code: 'missing', file: 'links.yaml', path: 'links[6].b.interface', line: 50 },
  'duplicate-code': { code: 'duplicate', file: 'sites.yaml', path: 'sites[5].code', line: 8 },
  'interface-in-use': { code: 'interface-in-use', file: 'links.yaml', path: 'links[6].a.interface' },
  'invalid-choice': { code: 'invalid', file: 'links.yaml', path: 'links[4].tier' },
  'link-tier-mismatch': { code: 'tier-mismatch', file: 'links.yaml', path: 'links[4].tier' },
  'missing-field': { code: 'required', file: 'devices.yaml', path: 'devices[5].site' },
  'missing-file': { code: 'missing-file', file: 'links.yaml', path: '' },
  'numeric-zone-code': { code: 'invalid', file: 'sites.yaml', path: 'sites[3].code' },
  'site-cycle': { code: 'cycle', file: 'sites.yaml', path: 'sites[1].parent' },
  'status-mismatch': { code: 'status-mismatch', file: 'sites.yaml', path: 'sites[5].status' },
  'township-without-uplink': { code: 'no-uplink', file: 'sites.yaml', path: 'sites[4]', line: 7 },
  'unknown-key': { code: 'unknown-key', file: 'devices.yaml', path: 'devices[0].community', line: 10 },
  'unknown-snmp-profile': { code: 'missing', file: 'devices.yaml', path: 'devices[8].snmpProfile' },
  'wrong-tier-parent': { code: 'wrong-tier', file: 'sites.yaml', path: 'sites[3].parent' },
};

describe('loadPlanDir on broken plans', () => {
  it('has a case for every fixture directory', async () => {
    expect((await readdir(path.join(fixtures, 'broken-plans'))).sort()).toEqual(Object.keys(broken).sort());
  });

  it.each(Object.entries(broken))('reports the one defect of %s with its code, file and path', async (kind, expected) => {
    const result = await loadPlanDir(path.join(fixtures, 'broken-plans', kind));
    expect(result.ok ? [] : result.errors).toEqual([expect.objectContaining(expected)]);
    // Every issue in a file that exists carries the line to look at.
    if (!result.ok && expected.code !== 'missing-file') expect(result.errors[0]!.line).toBeGreaterThan(0);
  });

  it('throws PLAN_INVALID naming the directory and carrying every issue', async () => {
    const dir = path.join(fixtures, 'broken-plans', 'site-cycle');
    const err = await loadPlanOrThrow(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({
      code: 'PLAN_INVALID',
      details: { source: dir, issues: [{ code: 'cycle', message: 'cycle: 441302 → 441302001 → 441302' }] },
    });
  });

  it('reports a directory that does not exist', async () => {
    const result = await loadPlanDir(path.join(fixtures, 'no-such-plan'));
    expect(result.ok ? [] : result.errors.map((e) => e.code)).toEqual(['missing-file']);
  });
});

describe('loadPlanDir on hand-edited copies', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });
  async function copyOfMini(): Promise<string> {
    dir = await mkdtemp(path.join(os.tmpdir(), 'plan-'));
    await cp(path.join(fixtures, 'plans', 'mini'), dir, { recursive: true });
    return dir;
  }

  it('suggests renaming a .yml file', async () => {
    const d = await copyOfMini();
    await rename(path.join(d, 'links.yaml'), path.join(d, 'links.yml'));
    const result = await loadPlanDir(d);
    expect(result.ok ? [] : result.errors).toEqual([
      expect.objectContaining({ code: 'missing-file', file: 'links.yaml', hint: 'rename links.yml to links.yaml' }),
    ]);
  });

  it('rejects a key given twice in one mapping instead of keeping the last', async () => {
    const d = await copyOfMini();
    await writeFile(
      path.join(d, 'plan.yaml'),
      'name: mini\nname: again\ncity: "4413"\ntargets: {city-internet: 1, city-county: 1, county-township: 1}\n',
    );
    const result = await loadPlanDir(d);
    expect(result.ok ? [] : result.errors).toEqual([expect.objectContaining({ code: 'yaml', file: 'plan.yaml', line: 2 })]);
  });

  it('reports an empty file', async () => {
    const d = await copyOfMini();
    await writeFile(path.join(d, 'sites.yaml'), '# nothing yet\n');
    const result = await loadPlanDir(d);
    expect(result.ok ? [] : result.errors).toEqual([expect.objectContaining({ code: 'invalid', file: 'sites.yaml', path: '' })]);
  });
});

describe('a plan with large files (parsed on worker threads)', async () => {
  const { generatePlan, renderPlanYaml, seededRandom } = await import('@extranet/topology');
  const { WORKER_PARSE_FROM_BYTES } = await import('./parse-worker');
  const generated = generatePlan({ counties: 40, townships: 8_000 }, seededRandom(3));
  const files = renderPlanYaml(generated.plan, generated.addressPlan, { generator: 'load.test' }) as unknown as Record<string, string>;
  const dirs: string[] = [];
  afterEach(async () => {
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });
  const write = async (changes: Record<string, string> = {}) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'plan-big-'));
    dirs.push(dir);
    for (const [name, text] of Object.entries({ ...files, ...changes })) await writeFile(path.join(dir, name), text);
    return dir;
  };

  it('reads the same plan as the generator made, the big files parsed off the main thread', async () => {
    expect(Buffer.byteLength(files['devices.yaml']!)).toBeGreaterThanOrEqual(WORKER_PARSE_FROM_BYTES);
    expect(Buffer.byteLength(files['links.yaml']!)).toBeGreaterThanOrEqual(WORKER_PARSE_FROM_BYTES);
    const plan = await loadPlanOrThrow(await write());
    expect(plan.sites).toHaveLength(generated.plan.sites.length);
    expect(plan.devices.map((d) => d.hostname)).toEqual(generated.plan.devices.map((d) => d.hostname));
    expect(plan.links).toEqual(generated.plan.links);
  });

  it('a syntax error in a big file is still reported with its line, by the document parser', async () => {
    const lines = files['links.yaml']!.split('\n');
    const at = Math.floor(lines.length / 2);
    lines[at] = `${lines[at]} : : [`;
    const r = await loadPlanDir(await write({ 'links.yaml': lines.join('\n') }));
    expect(r.ok).toBe(false);
    const issue = (r as { errors: PlanIssue[] }).errors.find((e) => e.file === 'links.yaml');
    expect(issue).toMatchObject({ code: 'yaml', line: at + 1 });
  });
});
