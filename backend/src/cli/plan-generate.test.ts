import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PLAN_SIZES, diffPlans, generatePlan, isEmptyDiff, seededRandom } from '@extranet/topology';
import { loadAddressPlan } from '../ipam/address-plan';
import { loadPlanDir } from '../plan/load';
import { planGenerate } from './plan';

const dirs: string[] = [];
const tmp = async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'plan-generate-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('extranet plan generate', () => {
  it('writes a plan directory that loads and validates as the generated plan, address plan included', async () => {
    const dir = await tmp();
    const lines: string[] = [];
    const code = await planGenerate(
      { counties: '12', townships: '150', seed: '3', out: dir },
      (l) => lines.push(l),
      (l) => lines.push(l),
    );
    expect(code).toBe(0);
    expect(lines.join('\n')).toMatch(/12 county-level units, 150 townships .* 166 devices/);
    const loaded = await loadPlanDir(dir);
    if (!loaded.ok) expect(loaded.errors.slice(0, 5)).toEqual([]);
    const expected = generatePlan({ counties: 12, townships: 150 }, seededRandom(3)).plan;
    expect(loaded.ok && isEmptyDiff(diffPlans(loaded.plan, expected))).toBe(true);
    expect(loaded.ok && loaded.plan.name).toBe(expected.name);
    const ap = await loadAddressPlan(dir, expected);
    expect(ap.ok && ap.value !== undefined).toBe(true);
  });

  it('writes the same bytes for the same seed', async () => {
    const [a, b] = [await tmp(), await tmp()];
    const quiet = () => undefined;
    expect(await planGenerate({ size: 'huizhou-like', seed: '9', out: a }, quiet, quiet)).toBe(0);
    expect(await planGenerate({ size: 'huizhou-like', seed: '9', out: b }, quiet, quiet)).toBe(0);
    for (const file of ['plan.yaml', 'sites.yaml', 'devices.yaml', 'links.yaml', 'address-plan.yaml']) {
      expect(await readFile(path.join(b, file), 'utf8')).toBe(await readFile(path.join(a, file), 'utf8'));
    }
    const loaded = await loadPlanDir(a);
    expect(loaded.ok && loaded.plan.sites.length).toBe(1 + PLAN_SIZES['huizhou-like'].counties + PLAN_SIZES['huizhou-like'].townships);
  });

  it.each([
    [{ size: 'continental', out: '/nonexistent' }, /unknown size continental: one of huizhou-like, province, national/],
    [{ size: 'province', counties: '3', out: '/nonexistent' }, /either --size or --counties/],
    [{ counties: 'ten', townships: '5', out: '/nonexistent' }, /--counties must be a whole number/],
    [{ counties: '3', out: '/nonexistent' }, /--townships must be a whole number/],
    [{ size: 'province', seed: '-1', out: '/nonexistent' }, /--seed must be a whole number/],
    [{ size: 'province' }, /--out DIR is required/],
  ])('refuses %j with exit code 2 and says why', async (opts, message) => {
    const errors: string[] = [];
    expect(
      await planGenerate(
        opts,
        () => undefined,
        (l) => errors.push(l),
      ),
    ).toBe(2);
    expect(errors.join('\n')).toMatch(message);
  });
});
