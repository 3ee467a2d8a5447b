import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../backend/src/config';
import { createApp } from '../../backend/src/http/app';
import { startLabMode } from '../../backend/src/poller/lab-mode';
import { createPoller } from '../../backend/src/poller/poller';
import { requireAddressPlan } from '../../backend/src/ipam/address-plan';
import { provision } from '../../backend/src/ipam/provision';
import { consoleProblems, TOPOLOGY_SCREENSHOT } from './browser';
import { clickSite, countStatus, labelText, mapLabels, mapLinks, mapReady, mapSelected, mapSites, MAP } from './map-probe';
import { startUiStack, type UiStack } from './stack';

/**
 * The web UI in a real headless Chromium against the real app: the frontend
 * built by Vite, the Huizhou plan imported and provisioned in the test Neo4j,
 * served by `createApp` with socket.io attached as `extranet serve` does, but
 * with a poller that never polls — so the monitoring API answers and nothing
 * has been measured yet. A second page sees `/api/coverage` answer 404 (an
 * older backend) and must fall back to the plan.
 */
const HUIZHOU = path.join(repoRoot, 'plans', 'huizhou');
let s: UiStack;
let base: string;
let browser: Browser;
let page: Page;
let messages: ConsoleMessage[];
let pageErrors: Error[];

beforeAll(async () => {
  s = await startUiStack({
    plan: HUIZHOU,
    backend: async (store) => {
      const addressPlan = await requireAddressPlan(HUIZHOU);
      await provision(store, addressPlan, { actor: 'ui-test', reason: 'UI test: provision the plan by policy' });
      return { addressPlan, poller: createPoller({ store, targets: new Map(), profiles: new Map() }) }; // never started: no measurements
    },
    page: { viewport: { width: 1440, height: 900 }, locale: 'zh-CN' },
  });
  ({ base, browser, page, messages, pageErrors } = s);
});

afterAll(async () => {
  await s?.close();
});

const text = (selector: string) => page.locator(selector).first().textContent();
const COUNTIES = ['惠城区', '惠阳区', '博罗县', '惠东县', '龙门县', '大亚湾经济技术开发区', '仲恺高新技术产业开发区'];

describe('the web UI', () => {
  it('draws the topology: 92 sites and the internet exit, every link, Chinese by default', async () => {
    await page.goto(`${base}/`);
    await mapReady(page);
    expect(await page.locator(MAP).getAttribute('data-sites')).toBe('92');
    const sites = await mapSites(page);
    expect(sites.filter((x) => x.tier !== 'internet' && x.drawn)).toHaveLength(92);
    expect(sites.filter((x) => x.tier === 'internet' && x.drawn)).toHaveLength(1);
    const topology = (await (await fetch(`${base}/api/topology`, { headers: s.auth.header('viewer') })).json()) as {
      links: Array<{ id: string; status: string }>;
    };
    expect((await mapLinks(page)).filter((l) => l.drawn)).toHaveLength(topology.links.length);

    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await text('[data-testid=app-title]')).toBe('电子政务外网管理');
    expect(await page.title()).toBe('网络拓扑 · 电子政务外网管理');
    expect(await labelText(page, 'tier:city')).toBe('市');
    expect(await labelText(page, 'tier:county')).toBe('县区');
    expect(await labelText(page, 'tier:township')).toBe('乡镇街道');
    expect(await labelText(page, '441302')).toBe('惠城区');
    // Names that would overlap are left out, never drawn over each other: at this zoom every county-level name fits.
    expect((await mapLabels(page)).filter((l) => COUNTIES.includes(l.text))).toHaveLength(7);

    // Monitoring is there but has measured nothing: planned sites and links look planned, the rest
    // "no data" (or no backup, which the topology alone tells) — never "below target" nor coloured by utilization.
    await page.waitForSelector('[data-testid=live][data-status=live]');
    expect(await text('[data-testid=live]')).toBe('实时');
    expect(await countStatus(page, 'planned')).toBe(3);
    expect(await countStatus(page, 'below-target')).toBe(0);
    expect(await countStatus(page, 'not-polled')).toBeGreaterThan(0);
    expect(await countStatus(page, 'no-backup')).toBeGreaterThan(0);
    const planned = topology.links.filter((l) => l.status === 'planned').length;
    const looks = await mapLinks(page);
    expect(looks.filter((l) => l.look === 'planned')).toHaveLength(planned);
    expect(looks.filter((l) => l.look === 'not-polled')).toHaveLength(topology.links.length - planned);

    await page.screenshot({ path: TOPOLOGY_SCREENSHOT });
  });

  it('opens the panel of 惠城区 with its devices, links and prefixes', async () => {
    await clickSite(page, '441302');
    await page.waitForSelector('[data-testid=devices] [data-device="hz-441302-agg-01"]');
    expect(await text('[data-testid=panel-title]')).toBe('惠城区');
    expect(page.url()).toContain('#/topology?site=441302');
    expect(await mapSelected(page)).toEqual({ site: '441302' });
    const prefixes = (await text('[data-testid=prefixes]')) ?? '';
    expect(prefixes).toMatch(/\/17/);
    expect(prefixes).toMatch(/\/24/);
    await page.waitForSelector('[data-poll="hz-441302-agg-01"] [data-status=not-polled]');
    await page.screenshot({ path: '/tmp/ui-panel.png' });
  });

  it('finds a site by pinyin, flies to it and opens its panel; filters hide; the map exports as SVG and PNG', async () => {
    const before = await page.evaluate(() =>
      (document.querySelector('[data-testid=map]') as unknown as { mapProbe: { zoom(): number } }).mapProbe.zoom(),
    );
    await page.fill('[data-testid=map-search]', 'hcq'); // 惠城区 by its initials
    await page.waitForSelector('[data-testid=map-search-results] [data-site="441302"]');
    const township = (await mapSites(page)).find((x) => x.id === '441322001')!; // a township of 博罗县
    await page.fill('[data-testid=map-search]', township.name);
    await page.press('[data-testid=map-search]', 'Enter');
    await page.waitForFunction((name) => document.querySelector('[data-testid=panel-title]')?.textContent === name, township.name);
    expect(page.url()).toContain('site=441322001');
    expect(await mapSelected(page)).toEqual({ site: '441322001' });
    await page.waitForTimeout(700); // the flight
    const after = (await mapSites(page)).find((x) => x.id === '441322001')!;
    const zoomed = await page.evaluate(() =>
      (document.querySelector('[data-testid=map]') as unknown as { mapProbe: { zoom(): number } }).mapProbe.zoom(),
    );
    expect(zoomed).toBeGreaterThanOrEqual(before);
    const panelLeft = (await page.locator('[data-testid=panel]').boundingBox())!.x;
    expect(after.x).toBeGreaterThan(0);
    expect(after.x).toBeLessThan(panelLeft); // in the free part of the map, not under the panel
    expect(await labelText(page, '441322001')).toBe(township.name); // zoomed in: its name is drawn

    // Filters: one county-level unit; then only county-level units.
    await page.click('.panel-close');
    await page.waitForSelector('[data-testid=panel]', { state: 'hidden' });
    await page.selectOption('[data-testid=filter-county]', '441302');
    await page.waitForFunction(() => {
      const p = (document.querySelector('[data-testid=map]') as unknown as { mapProbe: { sites(): Array<{ id: string; drawn: boolean }> } })
        .mapProbe;
      return !p.sites().some((x) => x.id === '441322001' && x.drawn);
    });
    await page.click('[data-testid=map] ~ .map-fit');
    await page.waitForTimeout(100);
    const inCounty = (await mapSites(page)).filter((x) => x.drawn && x.tier !== 'city' && x.tier !== 'internet');
    expect(inCounty.length).toBeGreaterThan(1);
    expect(inCounty.every((x) => x.id.startsWith('441302'))).toBe(true);
    await page.selectOption('[data-testid=filter-county]', '');
    await page.selectOption('[data-testid=filter-tier]', 'county');
    await page.waitForFunction(() => {
      const p = (
        document.querySelector('[data-testid=map]') as unknown as { mapProbe: { sites(): Array<{ tier: string; drawn: boolean }> } }
      ).mapProbe;
      return p.sites().filter((x) => x.drawn && x.tier === 'township').length === 0;
    });
    expect((await mapSites(page)).filter((x) => x.drawn && x.tier === 'county')).toHaveLength(7);
    await page.selectOption('[data-testid=filter-tier]', '');

    // Export: the whole map as SVG (every site a node) and as PNG.
    const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-svg]')]);
    const svg = await streamText(await svgDownload.createReadStream());
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<circle data-node=/g)).toHaveLength(92);
    expect(svg).toContain('>惠城区</text>');
    const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-png]')]);
    const png = Buffer.from(await streamText(await pngDownload.createReadStream(), 'latin1'), 'latin1');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(4800); // 2400 css px at 2× density

    // Back as the next test expects it: the whole map, 惠城区's panel open.
    await page.click('[data-testid=map] ~ .map-fit');
    await page.waitForTimeout(100);
    await clickSite(page, '441302');
    await page.waitForSelector('[data-testid=devices] [data-device="hz-441302-agg-01"]');
  });

  it('switches to English and back', async () => {
    await page.click('[data-testid=lang-switch]');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await text('[data-testid=app-title]')).toBe('Extranet manager');
    expect(await page.title()).toBe('Network topology · Extranet manager');
    await mapReady(page);
    expect(await labelText(page, 'tier:county')).toBe('County-level');
    expect(await labelText(page, 'tier:township')).toBe('Townships');
    expect(await text('[data-view=coverage]')).toBe('Coverage');
    await page.waitForSelector('[data-testid=devices]');
    expect(await page.locator('.panel h3').allTextContents()).toEqual(expect.arrayContaining(['Devices', 'Links', 'Addresses']));
    expect(await labelText(page, '441302')).toBe('惠城区'); // official names stay Chinese
    await page.click('[data-testid=lang-switch]');
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    await mapReady(page);
    expect(await labelText(page, 'tier:county')).toBe('县区');
  });

  it('shows coverage: tier tiles, the internet exit, 7 county-level rows, the gap lists', async () => {
    await page.click('[data-view=coverage]');
    await page.waitForSelector('[data-testid=county-table] tbody tr');
    expect(await page.locator('[data-testid=plan-only]').count()).toBe(0);
    const rows = page.locator('[data-testid=county-table] tbody tr');
    expect(await rows.count()).toBe(7);
    expect(await rows.locator('td:first-child a').allTextContents()).toEqual(COUNTIES);
    expect(await text('[data-tier=township] .tile-total')).toBe('总数 84');
    expect(await text('[data-tier=county] .tile-total')).toBe('总数 7');
    expect(await text('[data-testid=exit]')).toContain('X-4413-INET');
    expect(await text('[data-gap=unconnected] .count')).toBe('3');
    expect(await text('[data-gap=below-target] .count')).toBe('0'); // nothing measured: not "below target" …
    expect(Number(await text('[data-gap=not-polled] .count'))).toBeGreaterThan(80); // … but "no data"
    expect(Number(await text('[data-gap=spof] .count'))).toBeGreaterThan(0);
    await page.screenshot({ path: '/tmp/ui-coverage.png', fullPage: true });
  });

  it('lists the root blocks, drills into one, and looks addresses up', async () => {
    await page.click('[data-view=ipam]');
    await page.waitForSelector('table.roots tbody tr');
    expect(await page.locator('table.roots tbody tr').count()).toBe(8);
    await page.click('table.roots a:text-is("10.64.0.0/11")');
    await page.waitForSelector('[data-testid=children] tbody tr');
    expect(await page.locator('[data-testid=children] tbody tr').count()).toBe(9); // 8 site blocks and the reserved /24
    expect(await page.locator('[data-testid=children]').textContent()).toContain('惠城区');

    await page.fill('.lookup-input', '10.44.255.11');
    await page.click('.lookup-form button');
    await page.waitForSelector('[data-match="10.44.255.11/32"]');
    expect(await text('[data-match="10.44.255.11/32"]')).toContain('hz-441302-agg-01 (惠城区)');

    await page.fill('.lookup-input', '10.1.2');
    await page.click('.lookup-form button');
    await page.waitForSelector('[data-testid=lookup-result] [data-error-code=CIDR_INVALID]');
    await page.screenshot({ path: '/tmp/ui-ipam.png' });
  });

  it('shows the simulated-network banner on every page in lab mode only, and nothing closes it', async () => {
    await page.goto(`${base}/#/topology`);
    await mapReady(page);
    expect(((await (await fetch(`${base}/api/health`)).json()) as { lab: boolean }).lab).toBe(false);
    expect(await page.locator('[data-testid=lab-banner]').count()).toBe(0); // this stack polls no lab

    // The same plan served in lab mode, wired as `serve --lab` wires it: a real lab of the plan's routers.
    const lab = await startLabMode(s.store, { basePort: 0, env: {} });
    const server = http.createServer(
      createApp({ store: s.store, trust: s.auth.trust, lab, staticDir: path.join(repoRoot, 'frontend', 'dist') }),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const labBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const p = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    p.on('pageerror', (e) => pageErrors.push(e));
    const banner = p.locator('[data-testid=lab-banner]');
    const BOTH = '模拟网络 · 演示数据 / Simulated network — demo data';
    try {
      const login = await p.request.post(`${labBase}/api/auth/login`, { data: s.auth.users.viewer, headers: { origin: labBase } });
      expect(login.status()).toBe(200);
      for (const view of ['topology', 'coverage', 'ipam']) {
        await p.goto(`${labBase}/#/${view}`);
        await p.reload(); // a fresh start on this view, not a hash change
        await p.waitForSelector(`main[data-view=${view}]`);
        await banner.waitFor();
        expect(await banner.count(), view).toBe(1);
        expect(await banner.textContent(), view).toBe(BOTH);
        const box = (await banner.boundingBox())!;
        expect(box, view).toMatchObject({ x: 0, y: 0, width: 1280 }); // across the top, above the header
        expect(box.height, view).toBeGreaterThanOrEqual(24);
        expect(await banner.locator('button, a, [role=button]').count(), view).toBe(0);
      }
      // Moving between views and switching the language keep it: both languages, zh-CN first; the tooltip follows the UI.
      await p.click('[data-view=topology]');
      await p.waitForSelector('main[data-view=topology]');
      expect(await banner.getAttribute('title')).toMatch(/^实验室模式/);
      await p.click('[data-testid=lang-switch]');
      await p.waitForFunction(() => document.documentElement.lang === 'en');
      expect(await banner.count()).toBe(1);
      expect(await banner.textContent()).toBe(BOTH);
      expect(await banner.getAttribute('title')).toMatch(/^Lab mode/);
      expect(await banner.isVisible()).toBe(true);
    } finally {
      await p.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await lab.stop();
    }
  });

  it('logged no errors (but the 400 of the malformed address looked up on purpose)', () => {
    expect(pageErrors.map((e) => e.message)).toEqual([]);
    expect(consoleProblems(messages, [{ url: `${base}/api/ipam/lookup?address=10.1.2`, status: 400 }])).toEqual([]);
  });
});

describe('the web UI without the monitoring API (GET /api/coverage answers 404)', () => {
  let degraded: Page;
  const seen: ConsoleMessage[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    degraded = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await s.loginAs('viewer', degraded);
    degraded.on('console', (m) => seen.push(m));
    degraded.on('pageerror', (e) => pageErrors.push(e));
    degraded.on('request', (r) => requests.push(r.url()));
    await degraded.route('**/api/coverage', (route) =>
      route.fulfill({
        status: 404,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'NOT_FOUND', message: 'no route GET /api/coverage' } }),
      }),
    );
  });

  it('colours the map from the plan and opens no live connection', async () => {
    await degraded.goto(`${base}/#/topology`);
    await mapReady(degraded);
    await degraded.waitForSelector('[data-testid=live][data-status=plan-only]');
    expect(await degraded.locator('[data-testid=live]').textContent()).toBe('仅规划数据');
    expect(await countStatus(degraded, 'planned')).toBe(3);
    expect(await countStatus(degraded, 'below-target')).toBe(2); // contracted 50 Mbps for a 100 Mbps target
    expect(requests.filter((u) => u.includes('/socket.io/'))).toEqual([]);
  });

  it('counts coverage from the plan, marked as such', async () => {
    await degraded.click('[data-view=coverage]');
    await degraded.waitForSelector('[data-testid=county-table] tbody tr');
    expect(await degraded.locator('[data-testid=plan-only]').count()).toBe(1);
    expect(await degraded.locator('[data-testid=county-table] tbody tr').count()).toBe(7);
    expect(await degraded.locator('[data-gap=unconnected] .count').textContent()).toBe('3');
    expect(await degraded.locator('[data-gap=below-target] .count').textContent()).toBe('2');
    expect(await degraded.locator('[data-gap=not-polled]').count()).toBe(0);
  });

  it('logged nothing but that 404', () => {
    expect(pageErrors.map((e) => e.message)).toEqual([]);
    expect(consoleProblems(seen, [{ url: `${base}/api/coverage`, status: 404 }])).toEqual([]);
  });
});

describe('the web UI without live push (no socket.io endpoint)', () => {
  it('tries once, then re-reads coverage over HTTP and says so', async () => {
    const p = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await s.loginAs('viewer', p);
    const seen: ConsoleMessage[] = [];
    const sockets: string[] = [];
    p.on('console', (m) => seen.push(m));
    p.on('pageerror', (e) => pageErrors.push(e));
    await p.route('**/socket.io/**', (route) => {
      sockets.push(route.request().url());
      return route.fulfill({ status: 404, contentType: 'text/plain', body: 'Not Found' });
    });
    await p.goto(`${base}/#/topology`);
    await p.waitForSelector('[data-testid=live][data-status=rest]');
    expect(await p.locator('[data-testid=live]').textContent()).toBe('定时刷新');
    // The header's indicator can say so before the map's view has its plan and draws its note.
    await p.waitForSelector('[data-testid=map-note][data-mode=rest]');
    expect(await p.locator('[data-testid=map-note]').textContent()).toContain('实时推送不可用');
    await mapReady(p);
    expect(await countStatus(p, 'planned')).toBe(3);
    expect(sockets).toHaveLength(1);
    expect(consoleProblems(seen, [{ url: `${base}/socket.io/`, status: 404 }])).toEqual([]);
    await p.close();
  });
});

/** A download's content as text. */
async function streamText(stream: NodeJS.ReadableStream, encoding: BufferEncoding = 'utf8'): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString(encoding);
}
