import path from 'node:path';
import type { Role } from '@extranet/topology';
import type { ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../backend/src/config';
import { requireAddressPlan } from '../../backend/src/ipam/address-plan';
import { provision } from '../../backend/src/ipam/provision';
import { createPoller } from '../../backend/src/poller/poller';
import { loginSession } from '../helpers/auth';
import { consoleProblems } from './browser';
import { startUiStack, type UiStack } from './stack';

/**
 * The UI knows who you are, in a real headless Chromium against the real app
 * (sessions in the test Neo4j, the API's permission check, CSRF and audit):
 * the login page first, each role sees what it may do and nothing else, an
 * engineer writes the address space from the IPAM page, an admin reads that in
 * the audit, and a session that ends — logout, or revoked by an admin through
 * the API — brings the login page back, keeping the route to return to.
 */
const HUIZHOU = path.join(repoRoot, 'plans', 'huizhou');
const ROOT = '10.64.0.0/11';
let s: UiStack;
let base: string;

/** Each page's console messages and page errors, checked at the end against the failures caused on purpose. */
const seen = new Map<Page, ConsoleMessage[]>();
const pageErrors: Error[] = [];

async function freshPage(): Promise<Page> {
  const p = await s.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const messages: ConsoleMessage[] = [];
  seen.set(p, messages);
  p.on('console', (m) => messages.push(m));
  p.on('pageerror', (e) => pageErrors.push(e));
  return p;
}

/** Fills the login page and submits it. */
async function logIn(p: Page, role: Role, password = s.auth.users[role].password): Promise<void> {
  await p.waitForSelector('[data-testid=login]');
  await p.fill('[data-testid=login-username]', s.auth.users[role].username);
  await p.fill('[data-testid=login-password]', password);
  await p.click('[data-testid=login-submit]');
}

/** The first view a fresh page draws after login reads the plan and starts monitoring: slow on a loaded machine. */
const FIRST_DRAW = { timeout: 90_000 };

const tabs = (p: Page) => p.locator('.tabs [data-view]').allTextContents();

beforeAll(async () => {
  s = await startUiStack({
    plan: HUIZHOU,
    backend: async (store) => {
      const addressPlan = await requireAddressPlan(HUIZHOU);
      await provision(store, addressPlan, { actor: 'ui-test', reason: 'UI test: provision the plan by policy' });
      return { addressPlan, poller: createPoller({ store, targets: new Map(), profiles: new Map() }) };
    },
  });
  base = s.base;
});

afterAll(async () => {
  await s?.close();
});

describe('logging in', () => {
  let viewer: Page;

  it('shows the login page first, in Chinese, with no tabs and no user', async () => {
    viewer = await freshPage();
    await viewer.goto(`${base}/#/ipam?vrf=public&cidr=${encodeURIComponent(ROOT)}`);
    await viewer.waitForSelector('[data-testid=login]');
    expect(await viewer.locator('[data-testid=login] h1').textContent()).toBe('登录');
    expect(await viewer.title()).toBe('登录 · 电子政务外网管理');
    expect(await viewer.locator('.tabs').count()).toBe(0);
    expect(await viewer.locator('[data-testid=user-menu]').count()).toBe(0);
    expect(await viewer.locator('[data-testid=login-reason]').count()).toBe(0);
  });

  it("refuses a wrong password with the API's error", async () => {
    await logIn(viewer, 'viewer', 'not-the-password-at-all');
    const error = viewer.locator('[data-testid=login-error] [data-error-code=UNAUTHENTICATED]');
    await error.waitFor();
    expect(await error.textContent()).toContain('用户名或密码错误');
    expect(await viewer.inputValue('[data-testid=login-password]')).toBe('');
    await viewer.screenshot({ path: '/tmp/ui-login.png' });
    expect(await viewer.locator('[data-testid=login]').count()).toBe(1);
  });

  it('logs in and lands on the route the URL asked for, with the name and role in the header', async () => {
    await logIn(viewer, 'viewer');
    await viewer.waitForSelector('[data-testid=children] tbody tr', FIRST_DRAW);
    expect(viewer.url()).toContain(`#/ipam?vrf=public&cidr=${encodeURIComponent(ROOT)}`);
    expect(await viewer.locator('[data-testid=user-name]').textContent()).toBe('t-viewer');
    expect(await viewer.locator('[data-testid=user-role]').textContent()).toBe('查看');
    expect(await viewer.title()).toBe('地址管理 · 电子政务外网管理');
  });

  it('gives a viewer no write controls at all, and no audit page', async () => {
    expect(await viewer.locator('[data-testid=ipam-write]').count()).toBe(0);
    expect(await viewer.locator('main form').count()).toBe(1); // the address lookup, nothing else
    expect(await viewer.locator('main input').count()).toBe(1);
    expect(await tabs(viewer)).toEqual(['拓扑', '覆盖', '运维', '告警', '地址']);
    const audits: string[] = [];
    viewer.on('request', (r) => r.url().includes('/api/audit') && audits.push(r.url()));
    await viewer.goto(`${base}/#/audit`);
    await viewer.waitForSelector('[data-testid=forbidden]');
    expect(audits).toEqual([]);
  });

  it('switches the role label with the language', async () => {
    await viewer.click('[data-testid=lang-switch]');
    await viewer.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await viewer.locator('[data-testid=user-role]').textContent()).toBe('viewer');
    expect(await viewer.locator('[data-testid=logout]').textContent()).toBe('Log out');
    await viewer.click('[data-testid=lang-switch]');
    await viewer.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  });

  it('logs out to the login page; the session is gone on the server too', async () => {
    await viewer.goto(`${base}/#/coverage`);
    await viewer.waitForSelector('[data-testid=county-table]');
    await viewer.click('[data-testid=logout]');
    await viewer.waitForSelector('[data-testid=login-reason][data-reason=logout]');
    expect(await viewer.locator('.tabs').count()).toBe(0);
    expect((await viewer.request.get(`${base}/api/auth/me`)).status()).toBe(401);
    await viewer.reload();
    await viewer.waitForSelector('[data-testid=login]');
    expect(await viewer.locator('[data-testid=login-reason]').count()).toBe(0);
  });
});

describe('an engineer on the IPAM page', () => {
  let engineer: Page;
  let allocated: string;

  it('is offered allocate, reserve and release', async () => {
    engineer = await freshPage();
    await engineer.goto(`${base}/#/ipam?vrf=public&cidr=${encodeURIComponent(ROOT)}`);
    await logIn(engineer, 'engineer');
    await engineer.waitForSelector('[data-testid=children] tbody tr', FIRST_DRAW);
    expect(await engineer.locator('[data-testid=user-role]').textContent()).toBe('网络工程师');
    for (const form of ['allocate', 'reserve', 'release']) expect(await engineer.locator(`[data-testid=${form}-form]`).count()).toBe(1);
    // The drilled-into prefix is the parent to allocate from.
    expect(await engineer.inputValue('[data-testid=allocate-form] [name=vrf]')).toBe('public');
    expect(await engineer.inputValue('[data-testid=allocate-form] [name=parent]')).toBe(ROOT);
    // Utilization bars are drawn through the CSSOM, which the CSP allows (a style attribute it would refuse).
    expect(await engineer.locator('.prefix-head .bar-fill').evaluate((el) => (el as HTMLElement).style.width)).toMatch(/%$/);
    expect(await tabs(engineer)).toEqual(['拓扑', '覆盖', '运维', '告警', '地址']);
  });

  it('allocates a /17 and sees it listed among the children', async () => {
    const before = await engineer.locator('[data-testid=children] tbody tr').count();
    await engineer.fill('[data-testid=allocate-form] [name=length]', '17');
    await engineer.fill('[data-testid=allocate-form] [name=reason]', '新增县区单位地址块');
    await engineer.click('[data-testid=allocate-submit]');
    const done = engineer.locator('[data-testid=allocate-result] [data-outcome=ok]');
    await done.waitFor();
    allocated = (await done.locator('a').first().textContent())!;
    expect(allocated).toMatch(/^10\.\d+\.\d+\.0\/17$/);
    await engineer.waitForSelector(`[data-testid=children] tr[data-prefix="${allocated}"]`);
    expect(await engineer.locator('[data-testid=children] tbody tr').count()).toBe(before + 1);
  });

  it("shows the API's error code, message and hint when the pool has no room", async () => {
    await engineer.fill('[data-testid=allocate-form] [name=length]', '16');
    await engineer.fill('[data-testid=allocate-form] [name=count]', '100');
    await engineer.click('[data-testid=allocate-submit]');
    const error = engineer.locator('[data-testid=allocate-result] [data-error-code=POOL_EXHAUSTED]');
    await error.waitFor();
    expect(await error.textContent()).toContain(`${ROOT} has no room for 100 × /16`);
    expect(await error.locator('.error-hint').textContent()).toMatch(/^建议：only \d+ × \/16 fit/);
    await engineer.screenshot({ path: '/tmp/ui-ipam-write.png', fullPage: true });
  });

  it('is refused a reservation that overlaps, with the reason', async () => {
    await engineer.fill('[data-testid=reserve-form] [name=cidr]', allocated);
    await engineer.fill('[data-testid=reserve-form] [name=reason]', 'UI test');
    await engineer.click('[data-testid=reserve-submit]');
    const error = engineer.locator('[data-testid=reserve-result] [data-error-code=PREFIX_OVERLAP]');
    await error.waitFor();
    expect(await error.textContent()).toContain(`${allocated} is already recorded in public`);
  });

  it('reserves a block inside the new one and releases it again', async () => {
    const block = allocated.replace(/\/17$/, '/24');
    await engineer.fill('[data-testid=reserve-form] [name=cidr]', block);
    await engineer.fill('[data-testid=reserve-form] [name=description]', '预留给新单位');
    await engineer.click('[data-testid=reserve-submit]');
    await engineer.locator('[data-testid=reserve-result] [data-outcome=ok]').waitFor();
    expect(await engineer.locator('[data-testid=reserve-result]').textContent()).toBe(`已预留：${block}`);

    await engineer.fill('[data-testid=release-form] [name=cidr]', block);
    await engineer.fill('[data-testid=release-form] [name=reason]', 'UI test: not needed after all');
    await engineer.click('[data-testid=release-submit]');
    await engineer.locator('[data-testid=release-result] [data-outcome=ok]').waitFor();
    expect(await engineer.locator('[data-testid=release-result]').textContent()).toBe(`已释放：${block}`);
    expect((await engineer.request.get(`${base}/api/ipam/prefix?vrf=public&cidr=${encodeURIComponent(block)}`)).status()).toBe(404);
  });

  it('is sent to the login page by the next action once an admin revokes the session, and back after logging in', async () => {
    // The release above reloads the prefix page (its breadcrumb fetches each ancestor): let that finish,
    // so the click below is the first request after the revocation.
    await engineer.locator('.ipam-content .crumbs').waitFor();
    const admin = await loginSession(base, s.auth.users.admin);
    const sessions = (await (await fetch(`${base}/api/sessions`, { headers: admin.headers })).json()) as {
      items: Array<{ id: string; username: string }>;
    };
    const mine = sessions.items.filter((x) => x.username === 't-engineer');
    expect(mine.length).toBeGreaterThan(0);
    for (const x of mine) {
      const res = await fetch(`${base}/api/sessions/${x.id}`, { method: 'DELETE', headers: admin.headers });
      expect(res.status).toBe(200);
    }
    await engineer.click('.crumbs a:text-is("全部根地址块")');
    await engineer.waitForSelector('[data-testid=login-reason][data-reason=expired]');
    expect(engineer.url()).toMatch(/#\/ipam$/);
    expect(await engineer.locator('[data-testid=live]').count()).toBe(0);
    await logIn(engineer, 'engineer');
    await engineer.waitForSelector('table.roots tbody tr');
    expect(await engineer.locator('[data-testid=user-name]').textContent()).toBe('t-engineer');
  });

  it('changes the password: too short and a wrong current one are refused in place, without ending the session', async () => {
    await engineer.click('[data-testid=change-password]');
    const dialog = engineer.locator('[data-testid=password-dialog]');
    await dialog.waitFor();
    const next = 'a longer passphrase 长城 2025';
    await dialog.locator('[name=current]').fill(s.auth.users.engineer.password);
    await dialog.locator('[name=next]').fill('short');
    await dialog.locator('[name=repeat]').fill('short');
    await dialog.locator('button[type=submit]').click();
    expect(await dialog.locator('.error').textContent()).toBe('新密码至少 12 个字符');

    await dialog.locator('[name=current]').fill('not the current password');
    await dialog.locator('[name=next]').fill(next);
    await dialog.locator('[name=repeat]').fill(next);
    await dialog.locator('button[type=submit]').click();
    await dialog.locator('[data-error-code=UNAUTHENTICATED]').waitFor();
    expect(await engineer.locator('[data-testid=user-menu]').count()).toBe(1);

    await dialog.locator('[name=current]').fill(s.auth.users.engineer.password);
    await dialog.locator('button[type=submit]').click();
    await dialog.locator('[data-testid=password-changed]').waitFor();
    await dialog.locator('button.primary').click();
    expect(await dialog.count()).toBe(0);

    // The session goes on (its CSRF token too): a write still works.
    await engineer.goto(`${base}/#/ipam?vrf=public&cidr=${encodeURIComponent(allocated)}`);
    await engineer.fill('[data-testid=allocate-form] [name=length]', '24');
    await engineer.click('[data-testid=allocate-submit]');
    await engineer.locator('[data-testid=allocate-result] [data-outcome=ok]').waitFor();

    await engineer.click('[data-testid=logout]');
    await logIn(engineer, 'engineer', next);
    await engineer.waitForSelector('[data-testid=user-menu]');
    s.auth.users.engineer.password = next;
  });
});

describe('an admin', () => {
  let admin: Page;

  it('has the audit tab, and the audit shows the allocation from the IPAM page', async () => {
    admin = await freshPage();
    await admin.goto(`${base}/`);
    await logIn(admin, 'admin');
    await admin.waitForSelector('[data-view=audit]', FIRST_DRAW);
    expect(await tabs(admin)).toEqual(['拓扑', '覆盖', '运维', '告警', '地址', '审计']);
    expect(await admin.locator('[data-testid=user-role]').textContent()).toBe('管理员');
    await admin.click('[data-view=audit]');
    await admin.waitForSelector('[data-testid=audit-table] tbody tr');
    const row = admin.locator(`[data-testid=audit-table] tr[data-action=allocate][data-outcome=ok]`).filter({ hasText: ROOT }).first();
    const cells = await row.locator('td').allTextContents();
    expect(cells[1]).toBe('t-engineer');
    expect(cells[2]).toBe('网络工程师');
    expect(cells[3]).toBe('allocate');
    expect(cells[4]).toBe(`public ${ROOT}`);
    expect(cells[5]).toBe('成功');
    expect(cells[6]).toMatch(/\S/);
    // The refused one is there too, with its code.
    expect(await admin.locator('[data-testid=audit-table] tr[data-action=allocate]').filter({ hasText: 'POOL_EXHAUSTED' }).count()).toBe(1);
  });

  it('filters by actor and action, and exports the same filter as CSV', async () => {
    await admin.fill('[data-testid=audit-filter-actor]', 't-engineer');
    await admin.fill('[data-testid=audit-filter-action]', 'release');
    await admin.click('[data-testid=audit-filter] button[type=submit]');
    await admin.waitForFunction(() => location.hash.includes('action=release'));
    await admin.waitForSelector('[data-testid=audit-table] tbody tr');
    const rows = admin.locator('[data-testid=audit-table] tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-action')).toBe('release');

    const href = (await admin.getAttribute('[data-testid=audit-export]', 'href'))!;
    expect(href).toBe('/api/audit.csv?actor=t-engineer&action=release');
    const csv = await admin.request.get(`${base}${href}`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split(/\r?\n/);
    expect(lines).toHaveLength(2); // header and the one release
    expect(lines[1]).toContain('t-engineer');
    await admin.screenshot({ path: '/tmp/ui-audit.png' });
  });

  it('tells a refused login from too many attempts', async () => {
    const p = await freshPage();
    // Failed attempts for one user name, as a guesser would make them; the limit is per user name.
    for (let i = 0; i < s.auth.trust.config.LOGIN_LIMIT_PER_USER; i++) {
      const res = await p.request.post(`${base}/api/auth/login`, {
        data: { username: 'nobody', password: `guess ${i}` },
        headers: { origin: base },
      });
      expect(res.status()).toBe(401);
    }
    await p.goto(`${base}/`);
    await p.waitForSelector('[data-testid=login]');
    await p.fill('[data-testid=login-username]', 'nobody');
    await p.fill('[data-testid=login-password]', 'one more guess');
    await p.click('[data-testid=login-submit]');
    const error = p.locator('[data-testid=login-error] [data-error-code=TOO_MANY_REQUESTS]');
    await error.waitFor();
    expect(await error.textContent()).toContain('尝试次数过多，请稍后再试');
  });
});

describe('the browser console', () => {
  it('reports what the Content-Security-Policy refuses (so the check below would see an inline style)', async () => {
    const p = await s.browser.newPage();
    const messages: ConsoleMessage[] = [];
    p.on('console', (m) => messages.push(m));
    await p.goto(`${base}/`);
    await p.waitForSelector('[data-testid=login]');
    await p.evaluate(() => document.body.append(Object.assign(document.createElement('div'), { id: 'probe' })));
    await p.evaluate(() => document.getElementById('probe')!.setAttribute('style', 'color: red'));
    await expect.poll(() => consoleProblems(messages).some((x) => x.includes('Content Security Policy'))).toBe(true);
    await p.close();
  });

  it('logged no errors but the refusals caused on purpose (and no refused inline script or style)', () => {
    expect(pageErrors.map((e) => e.message)).toEqual([]);
    const expected = [
      { url: `${base}/api/auth/me`, status: 401 },
      { url: `${base}/api/auth/login`, status: 401 },
      { url: `${base}/api/auth/login`, status: 429 },
      { url: `${base}/api/auth/password`, status: 401 },
      { url: `${base}/api/ipam/allocate`, status: 409 },
      { url: `${base}/api/ipam/reserve`, status: 409 },
      { url: `${base}/api/ipam/prefixes`, status: 401 }, // the first action after the revocation
      // A read of the prefix page's breadcrumb (one per ancestor) that was still under way when the admin
      // revoked the session is refused the same way; on a busy machine it can land after the revocation.
      { url: `${base}/api/ipam/prefix?`, status: 401 },
    ];
    expect([...seen.values()].flatMap((m) => consoleProblems(m, expected))).toEqual([]);
  });
});
