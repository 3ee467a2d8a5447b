import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nearestRank, type CoverageSnapshot } from '@extranet/topology';
import { repoRoot } from '../../backend/src/config';
import { takeSnapshotIfDue } from '../../backend/src/coverage-history/service';
import { writeSnapshot } from '../../backend/src/coverage-history/store';
import { startLabMode, type LabMode } from '../../backend/src/poller/lab-mode';
import { createPoller, type Poller } from '../../backend/src/poller/poller';
import { consoleProblems } from './browser';
import { startUiStack, type UiStack } from './stack';

/**
 * The coverage dashboard's honesty, trend and CSV, and the operations view, in
 * headless Chromium against the real stack (the lab's routers on loopback, one
 * manual clock): a fresh start shows "no data", never "below target"; the trend
 * and the CSV files say what `/api/coverage/history` and `/api/coverage` say;
 * the busiest links and a link's chart follow the poll cycles.
 */
const MINI = path.join(repoRoot, 'tests', 'fixtures', 'plans', 'mini');
const MINUTE = 60_000;
let now = Date.parse('2025-03-04T02:00:00Z');
const clock = () => now;

let s: UiStack;
let lab: LabMode;
let poller: Poller;
let page: Page;

beforeAll(async () => {
  s = await startUiStack({
    plan: MINI,
    backend: async (store) => {
      lab = await startLabMode(store, { basePort: 0, shortfalls: [], env: {}, clock });
      poller = createPoller({ store, targets: lab.targets, profiles: lab.profiles, clock, timeoutMs: 500, retries: 0 });
      return { poller, lab };
    },
  });
  page = s.page;
});
afterAll(async () => {
  await s?.close();
});

const apiJson = async (p: string) => (await page.request.get(`${s.base}${p}`)).json();

/** RFC 4180 rows of a CSV file (quoted cells, doubled quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

async function downloadCsv(table: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-csv=${table}]`)]);
  return readFile(await download.path(), 'utf8');
}

describe('coverage dashboard', () => {
  it('at a fresh start (no cycle has ended) shows "no data", not "below target", and no trend yet', async () => {
    await page.goto(`${s.base}/#/coverage`);
    const noData = page.locator('[data-testid=no-data]');
    await noData.waitFor();
    const api = await apiJson('/api/coverage');
    expect(api.overall.noData).toBeGreaterThan(0);
    expect(await noData.getAttribute('data-count')).toBe(String(api.overall.noData));
    expect(await noData.textContent()).toContain(String(api.overall.noData));
    expect(await page.locator('[data-gap=below-target] .count').textContent()).toBe('0');
    expect(Number(await page.locator('[data-gap=not-polled] .count').textContent())).toBe(api.overall.noData);
    await page.locator('[data-testid=trend-empty]').waitFor();
  });

  it('draws the trend from the daily snapshots, point for point as the API gives them', async () => {
    for (let k = 0; k < 2; k++) {
      now += MINUTE;
      await poller.pollOnce(); // the second cycle has rates (counter deltas) for the busiest links
    }
    expect((await takeSnapshotIfDue(s.store, { clock, maxAgeMs: poller.maxAgeMs, retentionDays: 400 })).taken).toBe('2025-03-04');
    const today: CoverageSnapshot = (await apiJson('/api/coverage/history')).days[0];
    // An earlier day with other figures, so the trend has a slope to show.
    const worse = structuredClone(today);
    Object.assign(worse, { day: '2025-03-03', at: '2025-03-03T02:00:00.000Z' });
    worse.overall.meetingRequirements = Math.max(0, today.overall.meetingRequirements - 2);
    worse.tiers.township.meetingTarget = Math.max(0, today.tiers.township.meetingTarget - 1);
    await s.store.write((tx) => writeSnapshot(tx, worse));

    await page.reload(); // the snapshots are read when the dashboard mounts
    await page.locator('.trend-chart').waitFor();
    const days: CoverageSnapshot[] = (await apiJson('/api/coverage/history')).days;
    expect(days.map((d) => d.day)).toEqual(['2025-03-03', '2025-03-04']);
    const points = (series: string) =>
      page
        .locator(`[data-series=${series}] circle`)
        .evaluateAll((cs) => cs.map((c) => [c.getAttribute('data-day'), c.getAttribute('data-value')]));
    const pct = (n: number, total: number) => ((n / total) * 100).toFixed(2);
    expect(await points('requirements')).toEqual(days.map((d) => [d.day, pct(d.overall.meetingRequirements, d.overall.sites)]));
    expect(await points('township-target')).toEqual(days.map((d) => [d.day, pct(d.tiers.township.meetingTarget, d.tiers.township.total)]));
    expect(await page.locator('[data-testid=no-data]').getAttribute('data-count')).toBe('0');
  });

  it('exports the trend and the county table as CSV (UTF-8 with BOM) equal to the API', async () => {
    const days: CoverageSnapshot[] = (await apiJson('/api/coverage/history')).days;
    const trend = await downloadCsv('trend');
    expect(trend.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(trend.slice(1));
    expect(rows).toHaveLength(days.length + 1);
    for (const [i, d] of days.entries()) {
      const r = rows[i + 1]!;
      expect([r[0], ...r.slice(1, 3).map(Number), Number(r[4]), Number(r[6])]).toEqual([
        d.day,
        d.overall.sites,
        d.overall.fullyCompliant,
        d.overall.meetingRequirements,
        d.overall.noData,
      ]);
      // Per tier: total, connected, meeting target, no data, with backup, fully compliant.
      const tiers = (['city', 'county', 'township'] as const).flatMap((t) => {
        const c = d.tiers[t];
        return [c.total, c.connected, c.meetingTarget, c.noData, c.withBackup, c.fullyCompliant];
      });
      expect(r.slice(7).map(Number)).toEqual(tiers);
    }

    const cov = await apiJson('/api/coverage');
    const counties = parseCsv((await downloadCsv('counties')).slice(1));
    expect(counties.slice(1).map((r) => [r[0], r[1], ...r.slice(5).map(Number)])).toEqual(
      cov.counties.map((c: { code: string; name: string; townships: Record<string, number> }) => [
        c.code,
        c.name,
        c.townships.total!,
        c.townships.connected!,
        c.townships.meetingTarget!,
        c.townships.noData!,
        c.townships.withBackup!,
        c.townships.fullyCompliant!,
      ]),
    );
    expect(await page.locator('[data-testid=print]').count()).toBe(1);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('[data-testid=trend]').isVisible()).toBe(false); // print: headline and county table only
    expect(await page.locator('[data-testid=county-table]').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
  });
});

describe('operations view', () => {
  it('lists the busiest links of the latest cycle and charts one with in, out and the 95th percentile, live', async () => {
    await page.goto(`${s.base}/#/ops`);
    await page.locator('[data-testid=alerts-slot]').waitFor({ state: 'attached' });
    const rows = page.locator('[data-testid=busiest] tbody tr');
    await rows.first().waitFor();
    const pcts = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-pct'))));
    expect(pcts.length).toBeGreaterThan(0);
    expect(pcts.length).toBeLessThanOrEqual(10);
    expect([...pcts].sort((a, b) => b - a)).toEqual(pcts);

    const top = (await rows.first().getAttribute('data-link'))!;
    const host = page.locator(`.ops-chart-host[data-link="${top}"]`);
    await host.waitFor();
    // The view asks for the window ending a minute after the latest cycle (the end is exclusive).
    const to = new Date(now + MINUTE).toISOString();
    const from = new Date(now + MINUTE - 86_400_000).toISOString();
    const res = await page.request.get(
      `${s.base}/api/links/${top}/utilization?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
    );
    const util = await res.json();
    if (res.status() !== 200) console.log('utilization', res.status(), JSON.stringify(util));
    expect(res.status()).toBe(200);
    expect(util.samples.length).toBeGreaterThan(0);
    expect(await host.getAttribute('data-samples')).toBe(String(util.samples.length));
    expect(await host.locator('path.series-in').count()).toBe(1);
    expect(await host.locator('line.p95-in').count()).toBe(1);
    expect(await host.locator('line.p95-out').count()).toBe(1);
    const p95In = nearestRank(
      util.samples.map((x: { inPct: number }) => x.inPct),
      95,
    )!;
    expect(Number(await host.locator('line.p95-in').getAttribute('data-value'))).toBeCloseTo(p95In, 2);

    const n = util.samples.length;
    now += MINUTE;
    await poller.pollOnce();
    await page.locator(`.ops-chart-host[data-link="${top}"][data-samples="${n + 1}"]`).waitFor();

    await page.click('[data-range="7d"]');
    await page.locator(`.ops-chart-host[data-link="${top}"][data-range="7d"]`).waitFor();
    expect(consoleProblems(s.messages)).toEqual([]);
    expect(s.pageErrors).toEqual([]);
  });
});
