import type { Page } from 'playwright-core';
import type { MapProbe } from '../../frontend/src/views/topology/map';

/**
 * The canvas map as a test sees it: through the `mapProbe` its host element
 * carries (what is drawn, where, in which state) and real mouse clicks at a
 * site's or link's projected position on screen.
 */
type Probe = { [K in keyof MapProbe]: ReturnType<MapProbe[K]> };

export const MAP = '[data-testid=map]';

/** Waits until the map has drawn (and the view has its data). */
export async function mapReady(page: Page): Promise<void> {
  await page.waitForSelector(`${MAP}[data-state=ready][data-ready=true]`);
}

export function mapSites(page: Page): Promise<Probe['sites']> {
  return page.evaluate(() => (document.querySelector('[data-testid=map]') as unknown as { mapProbe: MapProbe }).mapProbe.sites());
}

export function mapLinks(page: Page): Promise<Probe['links']> {
  return page.evaluate(() => (document.querySelector('[data-testid=map]') as unknown as { mapProbe: MapProbe }).mapProbe.links());
}

export function mapLabels(page: Page): Promise<Probe['labels']> {
  return page.evaluate(() => (document.querySelector('[data-testid=map]') as unknown as { mapProbe: MapProbe }).mapProbe.labels());
}

export function mapSelected(page: Page): Promise<Probe['selected']> {
  return page.evaluate(() => (document.querySelector('[data-testid=map]') as unknown as { mapProbe: MapProbe }).mapProbe.selected());
}

/** The text of a drawn name (a site's code, or `tier:city|county|township`). */
export async function labelText(page: Page, id: string): Promise<string | undefined> {
  return (await mapLabels(page)).find((l) => l.id === id)?.text;
}

/** How many sites are drawn in a coverage class. */
export async function countStatus(page: Page, status: string): Promise<number> {
  return (await mapSites(page)).filter((s) => s.drawn && s.status === status).length;
}

/** Waits until a site is drawn in a coverage class. */
export async function waitForStatus(page: Page, site: string, status: string): Promise<void> {
  await page.waitForFunction(
    ([id, st]) =>
      (document.querySelector('[data-testid=map]') as unknown as { mapProbe?: MapProbe }).mapProbe
        ?.sites()
        .some((s) => s.id === id && s.status === st),
    [site, status] as const,
  );
}

/** Clicks a site where it is drawn, after checking that is what a click there hits. */
export async function clickSite(page: Page, id: string): Promise<void> {
  const site = (await mapSites(page)).find((s) => s.id === id);
  if (!site?.drawn) throw new Error(`site ${id} is not drawn`);
  const hit = await page.evaluate(
    ([x, y]) => (document.querySelector('[data-testid=map]') as unknown as { mapProbe: MapProbe }).mapProbe.hit(x, y),
    [site.x, site.y] as const,
  );
  if (!hit || !('site' in hit) || hit.site !== id) throw new Error(`a click at ${id} would hit ${JSON.stringify(hit)}`);
  await page.mouse.click(site.x, site.y);
}

/** Clicks a link on its drawn line, after checking that is what a click there hits. */
export async function clickLink(page: Page, id: string): Promise<void> {
  const at = await page.evaluate(
    (l) => (document.querySelector('[data-testid=map]') as unknown as { mapProbe: MapProbe }).mapProbe.linkPoint(l),
    id,
  );
  if (!at) throw new Error(`link ${id} is not on the map`);
  const hit = await page.evaluate(
    ([x, y]) => (document.querySelector('[data-testid=map]') as unknown as { mapProbe: MapProbe }).mapProbe.hit(x, y),
    [at.x, at.y] as const,
  );
  if (!hit || !('link' in hit) || hit.link !== id) throw new Error(`a click on ${id} would hit ${JSON.stringify(hit)}`);
  await page.mouse.click(at.x, at.y);
}
