import type { Device } from '@extranet/topology';
import type { Logger } from 'pino';
import type { ActiveFault, LabFault } from '../lab/faults';
import { LAB_PROFILES, startLab, type Lab, type LabOptions } from '../lab/lab';
import type { Store } from '../neo4j/store';
import { loadSnmpProfiles, type SnmpProfile } from '../snmp/profiles';
import type { SnmpTarget } from '../snmp/session';
import { loadStoredPlan, pollableDevices } from './state-store';

/**
 * Lab mode (`extranet lab`, or `serve` with `SNMP_TARGETS` unset): the stored
 * plan's pollable devices run as simulated routers on loopback ports, and the
 * poller is pointed at them — never at the plan's management addresses.
 *
 * Credentials: the profiles configured in the environment (SNMP_PROFILES_FILE /
 * SNMP_PROFILE_*) when there are any, so lab and poller agree; otherwise each
 * profile name of the plan gets the lab's own credentials (names containing
 * `v2c` the lab community, others the lab's v3 authPriv user) — lab only.
 */
export interface LabMode {
  readonly lab: Lab;
  /** hostname → loopback agent: the poller's `targets`. */
  readonly targets: ReadonlyMap<string, SnmpTarget>;
  /** The poller's `profiles`. */
  readonly profiles: ReadonlyMap<string, SnmpProfile>;
  /** @throws LabError UNKNOWN_DEVICE, UNKNOWN_INTERFACE, FAULT_SCOPE */
  setFault(hostname: string, ifName: string | undefined, fault: LabFault, on: boolean): void;
  faults(): ActiveFault[];
  stop(): Promise<void>;
}

export interface LabModeOptions extends Pick<LabOptions, 'clock' | 'basePort' | 'seed' | 'shortfalls' | 'host'> {
  /** Source of configured profiles. Default process.env. */
  env?: NodeJS.ProcessEnv;
  log?: Logger;
}

/**
 * @example
 * const lab = await startLabMode(store, { basePort: cfg.lab.basePort, seed: cfg.lab.seed });
 * const poller = createPoller({ store, targets: lab.targets, profiles: lab.profiles });
 */
export async function startLabMode(store: Store, opts: LabModeOptions = {}): Promise<LabMode> {
  const plan = await loadStoredPlan(store);
  const devices = pollableDevices(plan);
  const profiles = labProfiles(devices, opts.env ?? process.env);
  const lab = await startLab(devices, {
    links: plan.links,
    profiles: [...profiles.values()],
    ...(opts.clock && { clock: opts.clock }),
    ...(opts.basePort !== undefined && { basePort: opts.basePort }),
    ...(opts.seed !== undefined && { seed: opts.seed }),
    ...(opts.shortfalls !== undefined && { shortfalls: opts.shortfalls }),
    ...(opts.host !== undefined && { host: opts.host }),
    ...(opts.log && { log: opts.log }),
  });
  return {
    lab,
    targets: lab.targets,
    profiles,
    setFault: (h, i, f, on) => lab.setFault(h, i, f, on),
    faults: () => lab.faults(),
    stop: () => lab.stop(),
  };
}

/** The credentials of lab mode: the configured profiles, else the lab's own under each profile name of the plan. */
function labProfiles(devices: readonly Device[], env: NodeJS.ProcessEnv): Map<string, SnmpProfile> {
  const profiles = new Map<string, SnmpProfile>(loadSnmpProfiles(env).profiles);
  if (profiles.size === 0) {
    const [v2c, v3] = LAB_PROFILES as [SnmpProfile, SnmpProfile];
    for (const name of new Set(devices.map((d) => d.snmpProfile!))) profiles.set(name, { ...(/v2c/i.test(name) ? v2c : v3), name });
  }
  return profiles;
}

/**
 * Where a lab that {@link startLabMode} started in another process (a running
 * `serve`) listens, and the credentials it accepts — so a second process
 * (`extranet poll --once`) polls the same simulated routers instead of its own,
 * and its readings continue that lab's counters. The lab puts pollable device
 * i (hostname order) on `basePort + i`.
 */
export async function runningLabTargets(
  store: Store,
  opts: { basePort: number; host?: string; env?: NodeJS.ProcessEnv },
): Promise<{ targets: Map<string, SnmpTarget>; profiles: Map<string, SnmpProfile> }> {
  const devices = pollableDevices(await loadStoredPlan(store));
  const host = opts.host ?? '127.0.0.1';
  return {
    targets: new Map(devices.map((d, i) => [d.hostname, { host, port: opts.basePort + i }])),
    profiles: labProfiles(devices, opts.env ?? process.env),
  };
}
