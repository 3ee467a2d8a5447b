import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffPlans, type Plan } from '@extranet/topology';
import { loadPlanOrThrow } from './load';
import { SNAPSHOT_SECTIONS, encodeSnapshot, plansToDiff } from './snapshot';

const root = path.resolve(import.meta.dirname, '../../..');
const plans = path.join(root, 'tests', 'fixtures', 'plans');

/** The diff an import computes from a stored snapshot of `before`, reading only the sections that differ. */
async function snapshotDiff(before: Plan, after: Plan) {
  const stored = encodeSnapshot(before);
  const now = encodeSnapshot(after);
  const differing = SNAPSHOT_SECTIONS.filter((k) => k === 'settings' || stored.hashes[k] !== now.hashes[k]);
  const bytes = await stored.bytes();
  const { before: b, after: a } = await plansToDiff(after, Object.fromEntries(differing.map((k) => [k, bytes[k]])));
  return { diff: diffPlans(b, a), differing, same: stored.hash === now.hash };
}

describe('plan snapshots', () => {
  it('give the same hash for the same plan and another for any change', async () => {
    const mini = await loadPlanOrThrow(path.join(plans, 'mini'));
    const again = await loadPlanOrThrow(path.join(plans, 'mini'));
    expect(encodeSnapshot(mini).hash).toBe(encodeSnapshot(again).hash);
    const renamed = { ...mini, sites: mini.sites.map((s, i) => (i === 0 ? { ...s, name: `${s.name}x` } : s)) };
    expect(encodeSnapshot(renamed).hash).not.toBe(encodeSnapshot(mini).hash);
    expect((await snapshotDiff(mini, mini)).same).toBe(true);
  });

  it('diff exactly as the whole plans do, decoding only the sections that changed', async () => {
    const mini = await loadPlanOrThrow(path.join(plans, 'mini'));
    const changed = await loadPlanOrThrow(path.join(plans, 'mini-changed'));
    for (const [before, after] of [
      [mini, changed],
      [changed, mini],
    ] as const) {
      expect((await snapshotDiff(before, after)).diff).toEqual(diffPlans(before, after));
    }
    const renamed = { ...mini, sites: mini.sites.map((s, i) => (i === 1 ? { ...s, name: `${s.name}（新）` } : s)) };
    const oneSite = await snapshotDiff(mini, renamed);
    expect(oneSite.differing).toEqual(['settings', 'sites']);
    expect(oneSite.diff).toEqual(diffPlans(mini, renamed));
    const retitled = { ...mini, name: `${mini.name}（新）` };
    expect((await snapshotDiff(mini, retitled)).diff).toEqual(diffPlans(mini, retitled));
  });
});
