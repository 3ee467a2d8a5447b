import type { Logger } from 'pino';
import { log as rootLog } from '../log';
import type { Store } from '../neo4j/store';
import { loadSnmpProfiles, type SnmpProfile } from '../snmp/profiles';
import type { SnmpTarget } from '../snmp/session';
import { loadPollerConfig, type PollerConfig } from './config';
import { LabError } from '../lab/faults';
import { runningLabTargets, startLabMode, type LabMode } from './lab-mode';
import { createPoller, type Poller, type PollerOptions } from './poller';
import type { Shard } from './shard';
import { loadTargetsFile, mapTargets, mgmtTargets, type TargetResolver } from './targets';

/**
 * The one call `serve` / `extranet poll` need: reads the poller configuration,
 * picks the targets — the devices' management addresses (with a targets
 * file's overrides), or the lab's loopback agents when lab mode is asked for
 * (`lab: true`; never a default) — and creates (and by default starts) the poller.
 */
export interface Monitoring {
  poller: Poller;
  /** Present in lab mode when this process runs the lab: switch faults, mount `labRouter(lab)`. */
  lab: LabMode | undefined;
  /** Lab mode: `own` — this process runs the lab; `running` — it polls the lab another process runs (`joinRunningLab`). */
  labSource: 'own' | 'running' | undefined;
  config: PollerConfig;
  /** Stops the poller, then the lab. */
  stop(): Promise<void>;
}

export interface MonitoringOptions {
  /**
   * Lab mode, asked for (`serve --lab`, `LAB=1`): the stored plan's devices run as simulated
   * routers on 127.0.0.1 and the poller polls them. Default false: the network — each device's
   * mgmtAddress:161, or the `SNMP_TARGETS` file.
   */
  lab?: boolean;
  /** Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Overrides POLL_SHARD (the CLI's `--shard i/N`). */
  shard?: Shard;
  /** Start the scheduling loop. Default true. */
  start?: boolean;
  /** Injected clock (lab and poller). Default Date.now. */
  clock?: () => number;
  /**
   * Lab mode, when the lab's ports are taken: poll the lab already running
   * there (another process's, e.g. `serve`) instead of starting one on free
   * ports. For one-shot polls next to a running `serve`. Default false.
   */
  joinRunningLab?: boolean;
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
  const config = loadPollerConfig(env, { lab: opts.lab ?? false });
  let lab: LabMode | undefined;
  let labSource: Monitoring['labSource'];
  let targets: TargetResolver | ReadonlyMap<string, SnmpTarget>;
  let profiles: ReadonlyMap<string, SnmpProfile>;
  if (config.targets.mode === 'lab') {
    const labOptions = { seed: config.lab.seed, env, log, ...(opts.clock && { clock: opts.clock }) };
    const taken = (e: unknown) => e instanceof LabError && e.code === 'PORT_IN_USE' && config.lab.basePort !== 0;
    lab = await startLabMode(store, { ...labOptions, basePort: config.lab.basePort }).catch(async (e: unknown) => {
      if (!taken(e)) throw e;
      if (opts.joinRunningLab) return undefined;
      // Another lab (e.g. a second `serve`, or `extranet lab`) holds the ports: the poller only
      // needs the target map, so take free ports rather than refusing to start.
      log.warn({ basePort: config.lab.basePort }, `${(e as Error).message}: the lab takes free ports instead`);
      return startLabMode(store, { ...labOptions, basePort: 0 });
    });
    if (lab) {
      ({ targets, profiles } = lab);
      labSource = 'own';
      log.info(
        { agents: lab.targets.size },
        'lab mode (asked for: --lab / LAB=1): polling simulated routers on 127.0.0.1, not the network',
      );
    } else {
      ({ targets, profiles } = await runningLabTargets(store, { basePort: config.lab.basePort, env }));
      labSource = 'running';
      log.info({ basePort: config.lab.basePort }, 'lab mode: polling the lab another process runs on these ports');
    }
  } else {
    const loaded = loadSnmpProfiles(env);
    for (const w of loaded.warnings) log.warn(w);
    profiles = loaded.profiles;
    targets = config.targets.mode === 'mgmt' ? mgmtTargets() : mapTargets(loadTargetsFile(config.targets.path), mgmtTargets());
    log.info(
      { targets: config.targets.mode === 'mgmt' ? 'mgmtAddress:161' : config.targets.path },
      config.targets.mode === 'mgmt'
        ? "polling the network: each device's management address"
        : 'polling the network: the SNMP_TARGETS file, else management addresses',
    );
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
    bufferWindowMs: config.bufferWindowMs,
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
    labSource,
    config,
    async stop() {
      await poller.stop();
      await lab?.stop();
    },
  };
}
