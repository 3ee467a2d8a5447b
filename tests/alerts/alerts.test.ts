import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAlertConfig } from '../../backend/src/alerts/config';
import { loadAlertRules } from '../../backend/src/alerts/rules-file';
import { AlertService } from '../../backend/src/alerts/service';
import { readActiveAlerts } from '../../backend/src/alerts/store';
import { repoRoot } from '../../backend/src/config';
import { getJson, manualClock, postJson, stackAuthHeaders, startStack, type Stack } from '../monitor/fixture';
import { startAlertmanager, startWebhookReceiver, type RunningAlertmanager, type WebhookReceiver } from './receivers';

/**
 * Alerts end to end, in real services: the lab's routers polled by the real
 * poller into the real Neo4j, the alert service evaluating after each cycle,
 * Debian's Prometheus Alertmanager and a webhook receiver on loopback.
 *
 * The plan (tests/fixtures/plans/alerts): 惠阳区 441303 hangs on one uplink,
 * L-4413-441303, with two townships below it. A lab fault takes that uplink
 * down and the two township routers stop answering (as they would behind it).
 */
const PLAN = path.join(repoRoot, 'tests', 'fixtures', 'plans', 'alerts');
const UPLINK = 'L-4413-441303';
const CUT_OFF = ['441303', '441303101', '441303102'];

let s: Stack;
let am: RunningAlertmanager;
let hook: WebhookReceiver;
let service: AlertService;

beforeAll(async () => {
  [am, hook] = await Promise.all([startAlertmanager(), startWebhookReceiver()]);
  const { rules, source } = await loadAlertRules(PLAN);
  // Alertmanager judges startsAt/endsAt by its own (real) clock. The stack's clock steps 10 s per
  // cycle, faster than real time on a quick machine; it starts a minute back so that it never runs
  // ahead of Alertmanager's — an alert ended "now" must be in Alertmanager's past, not its future.
  const clock = manualClock(Math.floor(Date.now() / 1000) * 1000 - 60_000);
  const config = loadAlertConfig({ ALERTMANAGER_URL: am.url, ALERT_WEBHOOK_URL: hook.url, ALERT_RETRY_BASE_MS: '20' });
  s = await startStack({
    plan: PLAN,
    clock,
    alerts: (store) => (service = new AlertService({ store, rules, source, config, clock: clock.now, maxAgeMs: 180_000 })),
  });
  service.attach(s.poller);
});
afterAll(async () => {
  await s?.close();
  await Promise.all([am?.stop(), hook?.stop()]);
});

/** One poll cycle 10 s later, and the evaluation and deliveries it started. */
async function cycle(): Promise<void> {
  s.clock.advance(10_000);
  await s.poller.pollOnce();
  await service.idle();
}

type Alert = { key: string; state: string; suppressedBy: string[]; cutOff: Array<{ code: string; name: string }>; ack: any };
const firingNotSuppressed = (items: Alert[]) => items.filter((a) => a.state === 'firing' && a.suppressedBy.length === 0);
const webhookFiring = () => hook.bodies.filter((b: any) => b.status === 'firing') as any[];

describe('alerts on a county uplink failure', () => {
  it('a healthy network fires nothing and Alertmanager holds nothing', async () => {
    await cycle();
    await cycle();
    const { status, body } = await getJson(`${s.base}/api/alerts`);
    expect(status).toBe(200);
    expect(firingNotSuppressed(body.items)).toEqual([]);
    expect(body.evaluatedAt).not.toBeNull();
    expect(await am.alerts()).toEqual([]);
    expect(hook.bodies).toEqual([]);
  });

  it('the uplink fails: one alert naming the sites it cut off; the townships suppressed; Alertmanager gets exactly that one', async () => {
    s.lab.setFault('hz-441303-agg-01', 'GigabitEthernet0/0/0', 'link-down', true);
    s.lab.setFault('hz-441303101-acc-01', undefined, 'timeout', true);
    s.lab.setFault('hz-441303102-acc-01', undefined, 'timeout', true);
    await cycle();

    const { body } = await getJson(`${s.base}/api/alerts`);
    const notified = firingNotSuppressed(body.items);
    expect(notified.map((a) => a.key)).toEqual([`link-down|link:${UPLINK}`]);
    expect(notified[0]!.cutOff.map((x) => x.code)).toEqual(CUT_OFF);
    expect(notified[0]!.cutOff.map((x) => x.name)).toEqual(['惠阳区', '沙田镇', '新圩镇']);
    // The township routers stopped answering: their alerts exist, suppressed with the cause.
    const devices = body.items.filter((a: Alert) => a.key.startsWith('device-unreachable|'));
    expect(devices.map((a: Alert) => [a.key, a.suppressedBy])).toEqual([
      ['device-unreachable|device:hz-441303101-acc-01', [`link:${UPLINK}`]],
      ['device-unreachable|device:hz-441303102-acc-01', [`link:${UPLINK}`]],
    ]);
    expect(body.suppressedSites).toEqual(CUT_OFF.map((code) => ({ code, name: expect.any(String), causes: [`link:${UPLINK}`] })));

    const held = await am.alerts();
    expect(held).toHaveLength(1);
    expect(held[0]!.labels).toMatchObject({ alertname: 'link-down', link: UPLINK, severity: 'critical', county: '441303' });
    expect(held[0]!.annotations).toMatchObject({ cut_off_count: '3' });
    expect(held[0]!.annotations.cut_off).toContain('441303102 新圩镇');

    expect(webhookFiring().map((b) => b.key)).toEqual([`link-down|link:${UPLINK}`]);
    expect(webhookFiring()[0]).toMatchObject({ source: 'extranet-manager', severity: 'critical', subject: { kind: 'link', id: UPLINK } });

    const deliveries = (await getJson(`${s.base}/api/alerts/deliveries`)).body.items;
    expect(deliveries.find((d: any) => d.destination === 'alertmanager')).toMatchObject({ configured: true, failed: 0 });
    const webhook = deliveries.find((d: any) => d.destination === 'webhook');
    expect(webhook).toMatchObject({ configured: true, sent: 1, failed: 0 });
    expect(JSON.stringify(deliveries)).not.toContain('robot-secret');

    const linkHistory = (await getJson(`${s.base}/api/links/${UPLINK}/alerts`)).body;
    expect(linkHistory.items.map((e: any) => [e.from, e.to])).toEqual([['inactive', 'firing']]);
    const siteHistory = (await getJson(`${s.base}/api/sites/441303102/alerts`)).body;
    expect(siteHistory.items.map((e: any) => [e.key, e.suppressed]).sort()).toEqual([
      ['device-unreachable|device:hz-441303102-acc-01', true],
      [`link-down|link:${UPLINK}`, false],
    ]);
  });

  it('an acknowledgement shows who, when and why, and outlives the next evaluation', async () => {
    const key = `link-down|link:${UPLINK}`;
    const r = await postJson(`${s.base}/api/alerts/ack`, { key, note: '电信工单 42 / carrier ticket 42' });
    expect(r.status).toBe(200);
    const me = (await getJson(`${s.base}/api/auth/me`)).body.user;
    expect(r.body.ack).toMatchObject({ by: me.username, note: '电信工单 42 / carrier ticket 42' });
    await cycle();
    const again = (await getJson(`${s.base}/api/alerts`)).body.items.find((a: Alert) => a.key === key);
    expect(again.ack).toMatchObject({ by: me.username, at: r.body.ack.at });
    expect((await postJson(`${s.base}/api/alerts/ack`, { key: 'link-down|link:L-nope', note: '' })).body.error.code).toBe('NOT_FOUND');
    const audit = (await getJson(`${s.base}/api/audit?target=${encodeURIComponent(key)}`)).body.items;
    expect(audit[0]).toMatchObject({ actor: me.username, outcome: 'ok' });
  });

  it('an evaluation writes only the alert records that changed; each stored alert says the last evaluation saw it', async () => {
    await cycle(); // the states settle (pending alerts fire)
    // The record: all but the time of the evaluation, the acknowledgement and the measured value (stored apart).
    const record = (a: { updatedAt: number; ack?: unknown; value?: number }) =>
      JSON.stringify({ ...a, updatedAt: 0, ack: null, value: null });
    const before = new Map((await s.store.read((tx) => readActiveAlerts(tx))).alerts.map((a) => [a.key, a]));
    const { alertsWritten: written, alertValuesWritten: values, count } = service.evaluations;
    await cycle();
    expect(service.evaluations.count).toBe(count + 1);
    const after = (await s.store.read((tx) => readActiveAlerts(tx))).alerts;
    const was = (a: { key: string }) => before.get(a.key);
    const changed = after.filter((a) => !was(a) || record(was(a)!) !== record(a));
    const valueOnly = after.filter((a) => was(a) && record(was(a)!) === record(a) && was(a)!.value !== a.value);
    expect(after.length).toBeGreaterThan(changed.length); // the same faults: most alerts are as they were
    expect(service.evaluations.alertsWritten - written).toBe(changed.length); // and only the changed ones were written
    expect(service.evaluations.alertValuesWritten - values).toBe(valueOnly.length);
    // "Last evaluation that saw it": the time of that evaluation for every alert, written or not.
    expect(new Set(after.map((a) => a.updatedAt))).toEqual(new Set([s.clock.now()]));
  });

  it('a silence ends the alert in Alertmanager; expiring it sends it again', async () => {
    const endsAt = new Date(s.clock.now() + 3_600_000).toISOString();
    const created = await postJson(`${s.base}/api/alerts/silences`, {
      matchers: [{ name: 'link', value: 'L-4413-.*', isRegex: true }],
      endsAt,
      comment: '割接 / planned works',
    });
    expect(created.status).toBe(201);
    await service.idle();
    const listed = (await getJson(`${s.base}/api/alerts`)).body.items.find((a: Alert) => a.key === `link-down|link:${UPLINK}`);
    expect(listed.silencedBy).toEqual([created.body.id]);
    expect(await am.alerts()).toEqual([]);
    const res = await fetch(`${s.base}/api/alerts/silences/${created.body.id}`, { method: 'DELETE', headers: stackAuthHeaders() });
    expect(res.status).toBe(200);
    expect((await res.json()).active).toBe(false);
    await service.idle();
    expect((await am.alerts()).map((a) => a.labels.link)).toEqual([UPLINK]);
  });

  it('recovery resolves it: history, Alertmanager and the webhook say so', async () => {
    s.lab.setFault('hz-441303-agg-01', 'GigabitEthernet0/0/0', 'link-down', false);
    s.lab.setFault('hz-441303101-acc-01', undefined, 'timeout', false);
    s.lab.setFault('hz-441303102-acc-01', undefined, 'timeout', false);
    await cycle();
    const { body } = await getJson(`${s.base}/api/alerts`);
    expect(body.items.filter((a: Alert) => a.state === 'firing')).toEqual([]);
    expect(body.suppressedSites).toEqual([]);
    const linkHistory = (await getJson(`${s.base}/api/links/${UPLINK}/alerts`)).body;
    expect(linkHistory.items[0]).toMatchObject({ from: 'firing', to: 'resolved' });
    expect(await am.alerts()).toEqual([]);
    const resolved = hook.bodies.filter((b: any) => b.status === 'resolved') as any[];
    expect(resolved.map((b) => b.key)).toEqual([`link-down|link:${UPLINK}`]);
    expect(resolved[0].endsAt).not.toBeNull();
  });
});
