import path from 'node:path';
import type { ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '@extranet/topology';
import { repoRoot } from '../../backend/src/config';
import { loadPlanOrThrow } from '../../backend/src/plan/load';
import { startLabMode, type LabMode } from '../../backend/src/poller/lab-mode';
import { createPoller, type Poller } from '../../backend/src/poller/poller';
import { utilizationColour } from '../../frontend/src/topology/colour';
import type { MapProbe } from '../../frontend/src/views/topology/map';
import { clickLink, mapLinks, mapReady, mapSites, waitForStatus } from './map-probe';
import { consoleProblems } from './browser';
import { startUiStack, type UiStack } from './stack';

/**
 * The map live: the small fixture plan polled from the lab's simulated routers
 * (wired as `extranet serve` wires them: createApp with the poller and the lab,
 * socket.io attached), one manual clock for lab and poller. Each poll cycle
 * pushes `links` and `coverage` to the browser, which recolours links and
 * nodes in place — no new layout.
 */
const MINI = path.join(repoRoot, 'tests', 'fixtures', 'plans', 'mini');
const MINUTE = 60_000;
let now = Date.parse('2025-03-04T02:00:00Z'); // 10:00 in Huizhou, the morning peak
const clock = () => now;

let s: UiStack;
let plan: Plan;
let lab: LabMode;
let poller: Poller;
let base: string;
let page: Page;
let messages: ConsoleMessage[];
let pageErrors: Error[];

beforeAll(async () => {
  plan = await loadPlanOrThrow(MINI);
  s = await startUiStack({
    plan: MINI,
    backend: async (store) => {
      lab = await startLabMode(store, { basePort: 0, shortfalls: [], env: {}, clock });
      poller = createPoller({ store, targets: lab.targets, profiles: lab.profiles, clock, timeoutMs: 500, retries: 0 });
      return { poller, lab };
    },
  });
  ({ base, page, messages, pageErrors } = s);
});

afterAll(async () => {
  await s?.close();
});

/** One poll cycle a minute after the last. */
async function cycle(): Promise<void> {
  now += MINUTE;
  await poller.pollOnce();
}

const look = async (id: string) => (await mapLinks(page)).find((l) => l.id === id)!;
const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
/** Where the layout put every node: live states must never move one. */
const nodePlaces = async () => (await mapSites(page)).map((n) => `${n.id} ${n.layout.x},${n.layout.y}`);
/** Waits until the map draws a link with a look. */
const waitForLook = (id: string, kind: string) =>
  page.waitForFunction(
    ([l, k]) =>
      (document.querySelector('[data-testid=map]') as unknown as { mapProbe: MapProbe }).mapProbe
        .links()
        .some((x) => x.id === l && x.look === k && x.drawn),
    [id, kind] as const,
  );

describe('the live map', () => {
  const built = () => plan.links.filter((l) => l.status === 'built').map((l) => l.id);
  let placesBefore: string[];

  it('subscribes, and shows links as not polled until the first measurements', async () => {
    await page.goto(`${base}/#/topology`);
    await mapReady(page);
    await page.waitForSelector('[data-testid=live][data-status=live]');
    expect((await mapSites(page)).filter((n) => n.drawn)).toHaveLength(plan.sites.length + 1);
    expect((await mapLinks(page)).filter((l) => l.drawn && l.look === 'not-polled')).toHaveLength(built().length);
    placesBefore = await nodePlaces();
  });

  it('colours every built link by its utilization after a cycle, in place', async () => {
    await poller.pollOnce();
    await cycle(); // two polls a minute apart: the first rates
    await page.waitForFunction(
      (n) =>
        (document.querySelector('[data-testid=map]') as unknown as { mapProbe: MapProbe }).mapProbe
          .links()
          .filter((l) => l.look === 'utilization').length === n,
      built().length,
    );
    // The colour is the weathermap colour of the link's busier direction, as the API reports it.
    const u = (await (
      await fetch(`${base}/api/links/L-441302-441302001/utilization?to=${encodeURIComponent(new Date(now + 1000).toISOString())}`, {
        headers: s.auth.header('viewer'),
      })
    ).json()) as { samples: Array<{ inPct: number; outPct: number }> };
    const last = u.samples[u.samples.length - 1]!;
    const expected = rgb(utilizationColour(Math.max(last.inPct, last.outPct)));
    const shown = rgb((await look('L-441302-441302001')).stroke!);
    shown.forEach((c, i) => expect(Math.abs(c - expected[i]!)).toBeLessThanOrEqual(3));
    await waitForStatus(page, '441302', 'compliant'); // the coverage push
    expect(await nodePlaces()).toEqual(placesBefore);
    expect(await page.locator('[data-testid=map-note]').textContent()).toMatch(/更新于/);
  });

  it('turns a saturated link red and a link that went down black dashed; its township unconnected', async () => {
    const saturated = plan.links.find((l) => l.id === 'L-441302-441302001')!;
    const cut = plan.links.find((l) => l.id === 'L-441302-441302002')!;
    lab.setFault(saturated.a.device, saturated.a.interface, 'saturation', true);
    lab.setFault(cut.b.device, cut.b.interface, 'link-down', true);
    await cycle();
    await waitForLook(cut.id, 'down');
    expect((await look(cut.id)).dash).not.toBeNull();
    await page.waitForFunction((id) => {
      const link = (document.querySelector('[data-testid=map]') as unknown as { mapProbe: MapProbe }).mapProbe
        .links()
        .find((l) => l.id === id);
      const hex = link?.stroke ?? '#000000';
      return parseInt(hex.slice(1, 3), 16) > 0xb0 && parseInt(hex.slice(3, 5), 16) < 0x70;
    }, saturated.id);
    await waitForStatus(page, '441302002', 'unconnected');
    expect(await nodePlaces()).toEqual(placesBefore);
  });

  it("charts a link's utilization when it is clicked", async () => {
    await cycle(); // a third sample in the last 24 h (the newest one is at "now", outside the range)
    await clickLink(page, 'L-441302-441302001');
    await page.waitForSelector('[data-testid=utilization] .util-chart path.series-in');
    expect(await page.locator('[data-testid=panel-title]').textContent()).toBe('L-441302-441302001');
    expect(await page.locator('[data-testid=utilization] table').textContent()).toMatch(/Mbps/);
    // Saturated for two minutes: end a drops ~40 packets/s, shown per end beside the chart.
    const a = plan.links.find((l) => l.id === 'L-441302-441302001')!.a;
    await page.waitForSelector('[data-testid=link-errors] table');
    const cells = page.locator(`[data-testid=link-errors] tr[data-device="${a.device}"] td`);
    expect(await cells.first().textContent()).toContain(a.interface);
    const discards = (await cells.nth(3).textContent())!;
    expect(discards).toMatch(/^[\d.]+\/s$/);
    expect(parseFloat(discards)).toBeGreaterThan(30);
    expect(await cells.nth(3).getAttribute('class')).toContain('bad');
    await page.screenshot({ path: '/tmp/ui-live.png' });
  });

  it('logged no errors', () => {
    expect(pageErrors.map((e) => e.message)).toEqual([]);
    expect(consoleProblems(messages)).toEqual([]);
  });
});
