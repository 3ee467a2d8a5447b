import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, resolveFromRoot } from '../config';
import { startAlerting } from '../alerts/start';
import { auditCli } from '../auth/audit';
import { countUsers, createUser } from '../auth/service';
import { createTrust } from '../auth/trust';
import { randomPassword } from './user';
import { createApp } from '../http/app';
import { loadCoverageHistoryConfig } from '../coverage-history/config';
import { startCoverageSnapshots } from '../coverage-history/service';
import { createReadModels } from '../readmodel/models';
import { attachLive } from '../live/live';
import { log } from '../log';
import { startMonitoring } from '../poller/monitoring';
import { parseShard } from '../poller/shard';
import { Store } from '../neo4j/store';
import { requireAddressPlan } from '../ipam/address-plan';
import { provision } from '../ipam/provision';
import { loadPlanOrThrow } from '../plan/load';
import { countSites, importPlanDir } from '../plan/service';

/**
 * `extranet serve`: opens the store (starting the embedded Neo4j when
 * NEO4J_URI is unset), imports PLAN_DIR when the database holds no sites,
 * polls the network (each device's mgmtAddress:161, or the SNMP_TARGETS
 * file) — or, in lab mode only (`lab: true` from `--lab`, or `LAB=1`), the
 * lab's simulated routers on 127.0.0.1 — serves the API and UI, and stops
 * everything cleanly on SIGINT/SIGTERM.
 */
export async function serve(opts: { shard?: string; lab?: boolean; firstAdmin?: boolean } = {}): Promise<void> {
  const config = loadConfig();
  const lab = opts.lab === true || config.LAB;
  const say = (l: string) => process.stdout.write(`${l}\n`);
  const store = await Store.open(config, say, { waitSeconds: config.NEO4J_WAIT_SECONDS });
  let server: http.Server | undefined;
  let stopMonitoring: (() => Promise<void>) | undefined;
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    say(`${signal}: stopping…`);
    server?.closeAllConnections();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await stopMonitoring?.();
    await store.close();
    say('stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const dir = resolveFromRoot(config.PLAN_DIR);
  const addressPlan = await requireAddressPlan(dir, await loadPlanOrThrow(dir)).catch((e: Error) => {
    say(`address plan: ${e.message} — IPAM policy checks are off`);
    return undefined;
  });
  if ((await countSites(store)) === 0) {
    say(`database is empty: importing the plan in ${dir}…`);
    const r = await importPlanDir(store, dir);
    say(`imported: ${r.diff.sites.added.length} sites, ${r.diff.devices.added.length} devices, ${r.diff.links.added.length} links.`);
    if (addressPlan) {
      const p = await provision(store, addressPlan, { actor: 'extranet serve', reason: 'first start: provision the plan by policy' });
      say(`address space provisioned by policy: ${p.created.length} prefixes.`);
    }
  }

  const monitoring = await startMonitoring(store, { lab, ...(opts.shard && { shard: parseShard(opts.shard) }) });
  if (monitoring.lab) {
    say(
      `LAB MODE — 模拟网络 · 演示数据 / simulated network, demo data: ${monitoring.lab.targets.size} simulated routers on 127.0.0.1 are polled, not the network.`,
    );
  }
  const alerting = await startAlerting(store, dir, monitoring.poller);
  const trust = createTrust(store);
  const firstAdmin = opts.firstAdmin && (await countUsers(store)) === 0 ? randomPassword() : undefined;
  if (firstAdmin) {
    await createUser(store, { username: 'admin', displayName: '管理员', role: 'admin', password: firstAdmin });
    await auditCli(store, { actor: 'extranet serve --first-admin', action: 'user create', target: 'admin', after: { role: 'admin' } });
  }
  // Coverage: recomputed after a cycle (of any shard) at most every 5 s — at national scale cycles end every second or so.
  const models = createReadModels(store, {
    clock: monitoring.poller.clock,
    maxAgeMs: monitoring.poller.maxAgeMs,
    onCycle: (listener) => void monitoring.poller.onCycle(listener),
    minCoverageAgeMs: 5_000,
  });
  server = http.createServer(
    createApp({
      store,
      trust,
      models,
      poller: monitoring.poller,
      alerts: alerting.service,
      ...(addressPlan && { addressPlan }),
      ...(monitoring.lab && { lab: monitoring.lab }),
    }),
  );
  const live = attachLive(server, { store, trust, poller: monitoring.poller });
  const snapshots = startCoverageSnapshots(store, monitoring.poller, loadCoverageHistoryConfig());
  stopMonitoring = async () => {
    snapshots.stop();
    await live.close();
    await monitoring.stop();
    await alerting.stop();
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  log.info({ port }, 'listening');
  say(`\n  电子政务外网管理 / Extranet manager: http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}/\n`);
  if (firstAdmin) {
    say(`  登录 / log in:  admin  /  ${firstAdmin}`);
    say('  (the first admin, made on this empty store; the password is shown this once: change it after logging in,');
    say('   and make personal accounts with "extranet user create NAME --role ROLE")\n');
  }
}
