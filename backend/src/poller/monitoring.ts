import type { Logger } from 'pino';
import { log as rootLog } from '../log';
import type { Store } from '../neo4j/store';
import { loadSnmpProfiles, type SnmpProfile } from '../snmp/profiles';
import type { SnmpTarget } from '../snmp/session';
import { loadPollerConfig, type PollerConfig } from './config';
import { LabError } from '../lab/faults';
import { startLabMode, type LabMode } from './lab-mode';
import { createPoller, type Poller, type PollerOptions } from './poller';
import type { Shard } from './shard';
import { loadTargetsFile, mapTargets, mgmtTargets, type TargetResolver } from './targets';

/**
 * The one call `serve` / `extranet lab` / `extranet poll` need: reads the poller
 * configuration, picks the targets — the lab's loopback agents when
 * `SNMP_TARGETS` is unset (lab mode), else the devices' management addresses
 * (with a targets file's overrides) — and creates (and by default starts) the poller.
 */
export interface Monitoring {
  poller: Poller;
  /** Present in lab mode: switch faults, mount `labRouter(lab)`. */
  lab: LabMode | undefined;
  config: PollerConfig;
  /** Stops the poller, then the lab. */
  stop(): Promise<void>;
}

export interface MonitoringOptions {
  /** Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Overrides POLL_SHARD (the CLI's `--shard i/N`). */
  shard?: Shard;
  /** Start the scheduling loop. Default true. */
  start?: boolean;
  /** Injected clock (lab and poller). Default Date.now. */
  clock?: () => number;
  /** Extra poller options (onCycle…). */
  poller?: Partial<Omit<PollerOptions, 'store' | 'targets' | 'profiles'>>;
  log?: Logger;
}

/**
 * @example
 * const monitoring = await startMonitoring(store, { shard: values.shard ? parseShard(values.shard) : undefined });
 * // … on shutdown: await monitoring.stop();
 * @throws Error for an invalid configuration (every bad variable listed), SnmpProfileError for bad credentials
 */
export async function startMonitoring(store: Store, opts: MonitoringOptions = {}): Promise<Monitoring> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? rootLog;
  const config = loadPollerConfig(env);
  let lab: LabMode | undefined;
  let targets: TargetResolver | ReadonlyMap<string, SnmpTarget>;
  let profiles: ReadonlyMap<string, SnmpProfile>;
  if (config.targets.mode === 'lab') {
    const labOptions = { seed: config.lab.seed, env, log, ...(opts.clock && { clock: opts.clock }) };
    lab = await startLabMode(store, { ...labOptions, basePort: config.lab.basePort }).catch(async (e: unknown) => {
      // Another lab (e.g. a second `serve`, or `extranet lab`) holds the ports: the poller only
      // needs the target map, so take free ports rather than refusing to start.
      if (!(e instanceof LabError && e.code === 'PORT_IN_USE') || config.lab.basePort === 0) throw e;
      log.warn({ basePort: config.lab.basePort }, `${e.message}: the lab takes free ports instead`);
      return startLabMode(store, { ...labOptions, basePort: 0 });
    });
    targets = lab.targets;
    profiles = lab.profiles;
    log.info({ agents: lab.targets.size }, 'lab mode (SNMP_TARGETS unset): polling simulated routers on loopback');
  } else {
    const loaded = loadSnmpProfiles(env);
    for (const w of loaded.warnings) log.warn(w);
    profiles = loaded.profiles;
    targets = config.targets.mode === 'mgmt' ? mgmtTargets() : mapTargets(loadTargetsFile(config.targets.path), mgmtTargets());
  }
  const poller = createPoller({
    store,
    targets,
    profiles,
    intervalMs: config.intervalMs,
    intervalFor: config.intervalFor,
    concurrency: config.concurrency,
    timeoutMs: config.timeoutMs,
    retries: config.retries,
    maxBackoffMs: config.maxBackoffMs,
    shard: opts.shard ?? config.shard,
    history: { retentionDays: config.retentionDays, rollupRetentionDays: config.rollupRetentionDays },
    log,
    ...(opts.clock && { clock: opts.clock }),
    ...opts.poller,
  });
  if (opts.start !== false) poller.start();
  return {
    poller,
    lab,
    config,
    async stop() {
      await poller.stop();
      await lab?.stop();
    },
  };
}
