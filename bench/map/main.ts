/**
 * The map at scale: `npm run bench -- map [--sizes huizhou,province,national] [--dpr 1]`.
 *
 * For each size, the built frontend opens the topology view in headless
 * Chromium (the UI tests' flags: /usr/bin/chromium, --disable-gpu) at
 * 1440×900 and measures
 *  - time to first render: navigation start → the map's `data-state="ready"`
 *    (fetching the plan, layout, first frame), and → `data-ready` (coloured);
 *  - fps while panning: requestAnimationFrame over 3 s of scripted panning,
 *    zoomed out (fitted) and zoomed in (townships 24 px apart), and while
 *    zooming (every frame a new zoom: the cached layer is redrawn each frame);
 *  - screenshots zoomed out and zoomed in: bench/results/map-<size>-{out,in}.png.
 * Sizes: Huizhou (plans/huizhou), and the synthetic province (2,000 townships)
 * and national (40,000) plans of `extranet plan generate` (seed 1). The plan
 * reads are served from the plan's projection (views.ts), not through Neo4j.
 * Figures go to bench/results/map.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { generatePlan, PLAN_SIZES, seededRandom, type Plan } from '../../topology/src/index';
import { loadPlanOrThrow } from '../../backend/src/plan/load';
import type { MapProbe } from '../../frontend/src/views/topology/map';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../tests/ui/browser';
import { serveMap } from './serve';
import { planViews } from './views';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const RESULTS = path.join(ROOT, 'bench', 'results');
const VIEWPORT = { width: 1440, height: 900 };
const PAN_MS = 3000;

type Size = 'huizhou' | 'province' | 'national';

async function planOf(size: Size): Promise<Plan> {
  if (size === 'huizhou') return loadPlanOrThrow(path.join(ROOT, 'plans', 'huizhou'));
  return generatePlan(PLAN_SIZES[size], seededRandom(1)).plan;
}

interface Motion {
  fps: number;
  worstFrameMs: number;
  redraws: number;
  /** Mean time of a cache redraw, ms. */
  redrawMs: number;
}

/** Frames per second over PAN_MS of a motion run in the page, one step per animation frame. */
async function motion(page: Page, kind: 'pan' | 'zoom'): Promise<Motion> {
  return page.evaluate(
    async ([ms, kind]) => {
      const probe = (document.querySelector('[data-testid=map]') as unknown as { mapProbe: MapProbe }).mapProbe;
      const before = probe.counters();
      const k0 = probe.zoom();
      const times: number[] = [];
      const t0 = performance.now();
      await new Promise<void>((done) => {
        const step = (now: number) => {
          times.push(now);
          const t = (now - t0) / ms;
          if (kind === 'pan') probe.panBy(6 * Math.cos(t * 2 * Math.PI), 6 * Math.sin(t * 2 * Math.PI));
          else probe.view(k0 * (1 + 0.5 * Math.sin(t * 2 * Math.PI)));
          if (now - t0 < ms) requestAnimationFrame(step);
          else done();
        };
        requestAnimationFrame(step);
      });
      const gaps = times.slice(1).map((x, i) => x - times[i]!);
      return {
        fps: Math.round((gaps.length / ((times[times.length - 1]! - times[0]!) / 1000)) * 10) / 10,
        worstFrameMs: Math.round(Math.max(...gaps) * 10) / 10,
        redraws: probe.counters().redraws - before.redraws,
        redrawMs: Math.round((probe.counters().redrawMs - before.redrawMs) / Math.max(1, probe.counters().redraws - before.redraws)),
      };
    },
    [PAN_MS, kind] as const,
  );
}

export default async function main(args: string[]): Promise<void> {
  const opt = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const sizes = (opt('sizes') ?? 'huizhou,province,national').split(',') as Size[];
  const dpr = Number(opt('dpr') ?? 1);
  fs.mkdirSync(RESULTS, { recursive: true });
  console.log('building the frontend…');
  await build({ root: path.join(ROOT, 'frontend'), logLevel: 'warn' });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const results: Record<string, unknown>[] = [];
  try {
    for (const size of sizes) {
      const plan = await planOf(size);
      const views = planViews(plan);
      const server = await serveMap(path.join(ROOT, 'frontend', 'dist'), views);
      const page = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: dpr, locale: 'zh-CN' });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      // tsx compiles this file with esbuild's keepNames: functions handed to the page call its __name helper.
      await page.addInitScript({ content: 'window.__name = (f) => f;' });
      // Record when the map's attributes flip, in the page's clock (0 = navigation start).
      await page.addInitScript(() => {
        const w = window as unknown as { mapTimes: Record<string, number> };
        w.mapTimes = {};
        new MutationObserver(() => {
          const el = document.querySelector<HTMLElement>('[data-testid=map]');
          if (!el) return;
          if (el.dataset.state === 'ready') w.mapTimes.ready ??= performance.now();
          if (el.dataset.ready === 'true') w.mapTimes.coloured ??= performance.now();
        }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state', 'data-ready'] });
      });
      try {
        await page.goto(`${server.base}/#/topology`);
        await page.waitForSelector('[data-testid=map][data-state=ready][data-ready=true]', { timeout: 120_000 });
        const times = await page.evaluate(() => (window as unknown as { mapTimes: Record<string, number> }).mapTimes);
        // When the last of the plan reads had arrived (the rest is parsing, layout and drawing).
        const dataMs = await page.evaluate(() =>
          Math.round(
            Math.max(
              ...performance
                .getEntriesByType('resource')
                .filter((e) => /\/api\/(topology|sites|links)$/.test(e.name))
                .map((e) => (e as PerformanceResourceTiming).responseEnd),
            ),
          ),
        );
        const sites = Number(await page.getAttribute('[data-testid=map]', 'data-sites'));
        await page.waitForTimeout(300);
        await page.screenshot({ path: path.join(RESULTS, `map-${size}-out.png`) });
        const panOut = await motion(page, 'pan');
        const zoomOut = await motion(page, 'zoom');
        const busiest = [...plan.sites].filter((s) => s.tier === 'township').sort((a, b) => (a.code < b.code ? -1 : 1))[
          Math.floor(plan.sites.filter((s) => s.tier === 'township').length / 3)
        ]!;
        await page.evaluate((code) => {
          (document.querySelector('[data-testid=map]') as unknown as { mapProbe: MapProbe }).mapProbe.view('townships', code);
        }, busiest.code);
        await page.waitForTimeout(300);
        await page.screenshot({ path: path.join(RESULTS, `map-${size}-in.png`) });
        const panIn = await motion(page, 'pan');
        const r = {
          size,
          sites,
          links: views.topology.links.length,
          topologyBytes: JSON.stringify(views.topology).length,
          plansReadMs: dataMs,
          firstRenderMs: Math.round(times.ready ?? NaN),
          colouredMs: Math.round(times.coloured ?? NaN),
          panOut,
          panIn,
          zoomOut,
          errors,
        };
        results.push(r);
        console.log(
          `${size.padEnd(9)} ${String(sites).padStart(6)} sites  first render ${r.firstRenderMs} ms (plan read by ${dataMs} ms, coloured ${r.colouredMs} ms)  ` +
            `pan out ${panOut.fps} fps (worst ${panOut.worstFrameMs} ms)  pan in ${panIn.fps} fps (worst ${panIn.worstFrameMs} ms)  ` +
            `zoom ${zoomOut.fps} fps (worst ${zoomOut.worstFrameMs} ms)${errors.length ? `  errors: ${errors.join('; ')}` : ''}`,
        );
      } finally {
        await page.close();
        await server.close();
      }
    }
  } finally {
    await browser.close();
  }
  const out = {
    when: new Date().toISOString(),
    loadAverage: os.loadavg(),
    cpus: os.cpus().length,
    viewport: VIEWPORT,
    dpr,
    chromium: CHROMIUM_PATH,
    results,
  };
  fs.writeFileSync(path.join(RESULTS, 'map.json'), `${JSON.stringify(out, null, 2)}\n`);
  console.log(`figures: ${path.relative(ROOT, path.join(RESULTS, 'map.json'))}; screenshots: bench/results/map-*-{out,in}.png`);
}
