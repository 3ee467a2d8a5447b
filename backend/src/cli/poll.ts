import { DomainError } from '@extranet/topology';
import { loadConfig } from '../config';
import type { DevicePollRecord } from '../monitor/types';
import { Store } from '../neo4j/store';
import { startMonitoring } from '../poller/monitoring';
import { inShard, parseShard } from '../poller/shard';
import { loadStoredPlan, pollableDevices } from '../poller/state-store';

type Out = (line: string) => void;

/** Exit code when some polled device did not answer ok (cron and check scripts can tell). */
export const SOME_DEVICES_FAILED = 3;

/**
 * `extranet poll --once [--device H]… [--shard i/N] [--lab]`: one poll of every
 * pollable device of the stored plan (or of the named ones, or of a shard),
 * with the same targets, credentials and history writes as `serve` (the lab's
 * simulated routers only when asked for: `--lab` or LAB=1) — a
 * troubleshooting tool ("does this router answer with its profile?") and a
 * poller for cron. One line per device: status, time, requests, interfaces
 * read and rates computed, and the error with its fix when it failed.
 *
 * @returns 0 when every polled device is ok; {@link SOME_DEVICES_FAILED} otherwise
 * @throws DomainError BAD_REQUEST for a device that is not pollable (nothing is polled or written then)
 */
export async function pollOnceCommand(opts: { devices?: readonly string[]; shard?: string; lab?: boolean }, out: Out): Promise<number> {
  const shard = opts.shard === undefined ? undefined : parseShard(opts.shard);
  const config = loadConfig();
  const store = await Store.open(config, (l) => process.stderr.write(`${l}\n`));
  try {
    const pollable = pollableDevices(await loadStoredPlan(store)).map((d) => d.hostname);
    if (pollable.length === 0) {
      throw new DomainError('NOT_FOUND', 'the stored plan has no pollable device', {
        hint: 'import a plan first (extranet plan import DIR); devices need an mgmtAddress and an snmpProfile',
      });
    }
    const unknown = (opts.devices ?? []).filter((h) => !pollable.includes(h));
    if (unknown.length > 0) {
      throw new DomainError('BAD_REQUEST', `not a pollable device of the stored plan: ${unknown.join(', ')}`, {
        field: 'device',
        hint: `pollable devices: ${pollable.slice(0, 8).join(', ')}${pollable.length > 8 ? `, … (${pollable.length})` : ''}`,
      });
    }
    const elsewhere = shard ? (opts.devices ?? []).filter((h) => !inShard(h, shard)) : [];
    if (elsewhere.length > 0) {
      throw new DomainError('BAD_REQUEST', `not in shard ${opts.shard}: ${elsewhere.join(', ')}`, {
        field: 'device',
        hint: 'leave out --shard to poll a device by name',
      });
    }
    const lab = opts.lab === true || config.LAB;
    const monitoring = await startMonitoring(store, { lab, start: false, joinRunningLab: true, ...(shard && { shard }) });
    try {
      const cycle = await monitoring.poller.pollOnce(opts.devices?.length ? { hostnames: opts.devices } : {});
      if (monitoring.labSource === 'own') out('lab mode (--lab / LAB=1): started a lab of simulated routers on 127.0.0.1 for this poll');
      if (monitoring.labSource === 'running') {
        out(`lab mode (--lab / LAB=1): polled the lab already running on 127.0.0.1:${monitoring.config.lab.basePort}+ (a serve's)`);
      }
      for (const d of cycle.devices) out(deviceLine(d));
      const failed = cycle.devices.filter((d) => d.status !== 'ok');
      const links = cycle.links;
      out(
        `${cycle.devices.length} devices polled in ${Math.round(cycle.pollMs)} ms: ${cycle.devices.length - failed.length} ok, ${failed.length} not; ` +
          `${links.length} links judged, ${links.filter((l) => l.meetsTarget).length} meet their target; ` +
          (cycle.storeError ? `NOT written (${cycle.storeError})` : `${cycle.samplesWritten} samples written to the history`),
      );
      return failed.length > 0 || cycle.storeError ? SOME_DEVICES_FAILED : 0;
    } finally {
      await monitoring.stop();
    }
  } finally {
    await store.close();
  }
}

/** `hz-core  ok  12 ms  5 req  4/4 interfaces, 4 rates` or the error and its fix. */
function deviceLine(d: DevicePollRecord): string {
  const head = `${d.hostname.padEnd(24)} ${d.status.padEnd(17)} ${String(Math.round(d.durationMs)).padStart(5)} ms ${String(d.requests).padStart(3)} req`;
  const rates = d.interfaces.filter((i) => i.inBps !== undefined).length;
  const rejected = [...new Set(d.interfaces.flatMap((i) => (i.rejected ? [i.rejected] : [])))];
  const read =
    d.interfaces.length > 0
      ? `  ${d.interfaces.length} interfaces read, ${rates} rates${rejected.length ? ` (no rate: ${rejected.join(', ')})` : ''}`
      : '';
  const error = d.error ? `  ${d.error.message}${d.error.hint ? ` — fix: ${d.error.hint}` : ''}` : '';
  return `${head}${read}${error}`;
}
