import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAlertConfig } from '../../backend/src/alerts/config';
import { loadAlertRules } from '../../backend/src/alerts/rules-file';
import { AlertService } from '../../backend/src/alerts/service';
import { repoRoot } from '../../backend/src/config';
import { startLabMode, type LabMode } from '../../backend/src/poller/lab-mode';
import { createPoller, type Poller } from '../../backend/src/poller/poller';
import { manualClock } from '../monitor/fixture';
import { startUiStack, type UiStack } from './stack';

/**
 * The alerts page in headless Chromium: the lab takes 惠阳区's only uplink
 * down, the page shows one firing alert naming the sites it cut off, an
 * operator acknowledges it with a note and the page shows who; a viewer gets
 * no acknowledge or silence buttons.
 */
const PLAN = path.join(repoRoot, 'tests', 'fixtures', 'plans', 'alerts');
const KEY = 'link-down|link:L-4413-441303';
let s: UiStack;
let lab: LabMode;
let poller: Poller;
let service: AlertService;
const clock = manualClock(Math.floor(Date.now() / 1000) * 1000);

beforeAll(async () => {
  const { rules, source } = await loadAlertRules(PLAN);
  s = await startUiStack({
    plan: PLAN,
    backend: async (store) => {
      lab = await startLabMode(store, { basePort: 0, shortfalls: [], env: {}, clock: clock.now });
      poller = createPoller({ store, targets: lab.targets, profiles: lab.profiles, clock: clock.now, timeoutMs: 1000, retries: 1 });
      service = new AlertService({ store, rules, source, config: loadAlertConfig({}), clock: clock.now, maxAgeMs: 180_000 });
      service.attach(poller);
      return { poller, lab, alerts: service };
    },
  });
  lab.setFault('hz-441303-agg-01', 'GigabitEthernet0/0/0', 'link-down', true);
  for (let i = 0; i < 2; i++) {
    clock.advance(10_000);
    await poller.pollOnce();
  }
  await service.idle();
});
afterAll(async () => {
  await s?.close();
});

describe('the alerts page', () => {
  it('an operator acknowledges the uplink alert and the page shows who', async () => {
    const p = await s.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await s.loginAs('operator', p);
    await p.goto(`${s.base}/#/alerts`);
    const row = p.locator(`tr[data-alert="${KEY}"]`);
    await row.waitFor({ timeout: 90_000 });
    expect(await row.getAttribute('data-state')).toBe('firing');
    expect(await row.locator('[data-testid=alert-cutoff]').textContent()).toContain('新圩镇');
    expect(await p.locator('[data-testid=alerts-suppressed-sites] li').count()).toBe(3);
    expect(await p.locator('.tabs [data-view=alerts]').textContent()).toBe('告警');

    await row.locator('[data-testid=alert-ack]').click();
    await row.locator('[data-testid=alert-ack-note]').fill('已报障 / ticket 7');
    await row.locator('[data-testid=alert-ack-submit]').click();
    const who = p.locator(`tr[data-alert="${KEY}"] [data-testid=alert-ack-by]`);
    await expect.poll(() => who.textContent(), { timeout: 30_000 }).toContain(s.auth.users.operator.username);
    expect(await who.textContent()).toContain('已报障 / ticket 7');
    await p.close();
  });

  it('a viewer sees the alert without the acknowledge and silence buttons', async () => {
    const p = await s.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'en' });
    await s.loginAs('viewer', p);
    await p.goto(`${s.base}/#/alerts`);
    const row = p.locator(`tr[data-alert="${KEY}"]`);
    await row.waitFor({ timeout: 90_000 });
    expect(await row.locator('[data-testid=alert-ack], [data-testid=alert-silence]').count()).toBe(0);
    // The operations view carries the same active alerts above its busiest links.
    await p.goto(`${s.base}/#/ops`);
    const opsRow = p.locator(`[data-slot=alerts] tr[data-alert="${KEY}"]`);
    await opsRow.waitFor({ timeout: 30_000 });
    expect(await opsRow.getAttribute('data-state')).toBe('firing');
    await p.close();
  });
});
