import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAlertConfig } from '../../backend/src/alerts/config';
import { loadAlertRules } from '../../backend/src/alerts/rules-file';
import { AlertService } from '../../backend/src/alerts/service';
import { repoRoot } from '../../backend/src/config';
import { startStack, type Stack } from '../monitor/fixture';
import { startWebhookReceiver, type WebhookReceiver } from './receivers';

/**
 * Several `serve` processes (shards) over one Neo4j each run an alert service;
 * one of them evaluates and notifies: the one holding the `alerts` lease. Here
 * three services (each with its own holder name, as three processes have) hang
 * on the real poller's cycles over the lab and the real test Neo4j; a webhook
 * receiver on loopback counts the notifications.
 */
const PLAN = path.join(repoRoot, 'tests', 'fixtures', 'plans', 'alerts');

let s: Stack;
let hook: WebhookReceiver;
const services: AlertService[] = [];
const detach: Array<() => void> = [];

beforeAll(async () => {
  hook = await startWebhookReceiver();
  const { rules, source } = await loadAlertRules(PLAN);
  const config = loadAlertConfig({ ALERT_WEBHOOK_URL: hook.url, ALERT_RETRY_BASE_MS: '20' });
  const make = (store: Stack['store']) =>
    new AlertService({ store, rules, source, config, clock: () => s.clock.now(), maxAgeMs: 180_000, leaseMs: 3_000 });
  s = await startStack({ plan: PLAN, alerts: (store) => make(store) });
  services.push(make(s.store), make(s.store), make(s.store));
  for (const x of services) detach.push(x.attach(s.poller));
});
afterAll(async () => {
  detach.forEach((d) => d());
  await s?.close();
  await hook?.stop();
});

async function cycle(): Promise<void> {
  s.clock.advance(10_000);
  await s.poller.pollOnce();
  await Promise.all(services.map((x) => x.idle()));
}
const leaders = () => services.map((x) => x.leading);
const evaluated = async () => Promise.all(services.map(async (x) => (await x.active()).evaluatedAt !== null));

describe('alerting with several processes', () => {
  it('one process evaluates and notifies; the others do not, and nothing is notified twice', async () => {
    await cycle();
    expect(leaders().filter(Boolean)).toHaveLength(1);
    const first = leaders().indexOf(true);
    expect((await evaluated()).map((e, i) => e === (i === first))).toEqual([true, true, true]);

    s.lab.setFault('hz-441303-agg-01', 'GigabitEthernet0/0/0', 'link-down', true);
    await cycle();
    await cycle(); // the link-down rule fires after its `for`
    await cycle();
    await Promise.all(services.map((x) => x.idle()));
    const firing = hook.bodies.filter((b: any) => b.status === 'firing');
    expect(firing.length).toBeGreaterThan(0);
    const keys = firing.map((b: any) => b.key as string);
    expect(keys).toContain('link-down|link:L-4413-441303');
    // Each alert told once, by the one evaluating process — even when a slow cycle let the lease pass
    // to another service (it restores what was told from the store).
    expect(new Set(keys).size).toBe(keys.length);
    expect(leaders().filter(Boolean)).toHaveLength(1);
  });

  it('the evaluating process stops: the next one to finish a cycle takes over from the stored alerts', async () => {
    const first = leaders().indexOf(true);
    detach[first]!();
    await services[first]!.release();
    const before = hook.bodies.length;
    await cycle();
    const next = leaders().indexOf(true);
    expect(next).not.toBe(first);
    expect(leaders().filter(Boolean)).toHaveLength(1);
    // It starts from the alerts stored, so the firing link-down is not notified again as new.
    const stored = await services[next]!.active();
    expect(stored.items.some((a) => a.key.startsWith('link-down|') && a.state === 'firing')).toBe(true);
    expect(hook.bodies.slice(before).filter((b: any) => b.status === 'firing')).toEqual([]);
  });

  it('a process that stops renewing (hung, or Neo4j unreachable from it) loses the lease after its time', async () => {
    const holder = leaders().indexOf(true);
    detach[holder]!(); // it no longer renews, and does not release either
    await new Promise((r) => setTimeout(r, 3_200)); // the lease (3 s here) runs out
    await cycle();
    const others = services.map((x, i) => (i === holder ? false : x.leading));
    expect(others.filter(Boolean)).toHaveLength(1);
  });
});
