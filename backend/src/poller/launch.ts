import type { DevicePollRecord } from '../monitor/types';
import { pollDevice, type DeviceRuntime } from './poll-device';
import type { PollerSettings } from './poller-settings';
import type { SchedulerState } from './scheduler-state';
import { nextDue } from './schedule';

/**
 * Starting polls so that a dead router delays no one. A poll runs on its own:
 * the cycle that started it waits for it at most the batching window, and a
 * poll still running then (a router that stopped answering: its requests wait
 * out their timeouts) hands its record to whichever cycle comes after it ends.
 * Devices due meanwhile start on time; a device is never polled twice at once.
 *
 * Slots: at most `concurrency` polls of answering devices run at once, and a
 * poll gives its slot back after one SNMP timeout (it is then waiting on a
 * router that went quiet, one request outstanding). A device that failed its last poll does not take a slot: its poll begins with
 * a one-packet probe (sysUpTime.0, no resend, no GETNEXT fallback — see
 * `pollDevice`), and it is retried on its grid after the exponential back-off
 * of schedule.ts, so a dead router costs one timeout per back-off step.
 */

/** Starts a poll of `rt` (or returns the one in flight); its record goes to `st.finished` when it ends. */
export function launchPoll(s: PollerSettings, st: SchedulerState, rt: DeviceRuntime): Promise<DevicePollRecord> {
  const host = rt.device.hostname;
  const running = st.inFlight.get(host);
  if (running) return running;
  const dueAt = rt.nextDueAt;
  const suspect = rt.failures > 0;
  const poll = (async () => {
    // A slot is given back once the poll has run one SNMP timeout: past that it is waiting on an
    // agent that went quiet (one request outstanding), not using the poller's capacity.
    let release: (() => void) | undefined;
    let slotTimer: NodeJS.Timeout | undefined;
    if (!suspect) {
      await takeSlot(s, st);
      let held = true;
      release = () => {
        if (held) releaseSlot(st);
        held = false;
      };
      slotTimer = setTimeout(release, s.session.timeoutMs ?? 2000);
      slotTimer.unref();
    }
    try {
      const startedAt = s.clock();
      const record = await pollDevice(rt, {
        clock: s.clock,
        target: s.resolve(rt.device),
        profile: s.profiles.get(rt.device.snmpProfile ?? ''),
        session: s.session,
        maxGapMs: 3 * rt.intervalMs,
        log: s.log,
      });
      record.startedAt = startedAt;
      if (dueAt > 0) record.dueAt = dueAt;
      rt.nextDueAt = nextDue(rt.grid, rt.intervalMs, s.clock(), rt.failures, s.maxBackoffMs);
      return record;
    } finally {
      clearTimeout(slotTimer);
      release?.();
    }
  })();
  st.inFlight.set(host, poll);
  void poll.then((record) => {
    st.inFlight.delete(host);
    st.finished.push(record);
    st.onFinished?.();
  });
  return poll;
}

/** Resolves when every poll settled or `ms` of real time passed, whichever is first. */
export async function settledWithin(polls: readonly Promise<unknown>[], ms: number): Promise<void> {
  if (polls.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  const window = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  await Promise.race([Promise.allSettled(polls), window]);
  clearTimeout(timer);
}

/** The records of polls that ended since the last call, in the order they ended. */
export function takeFinished(st: SchedulerState): DevicePollRecord[] {
  return st.finished.splice(0);
}

async function takeSlot(s: PollerSettings, st: SchedulerState): Promise<void> {
  if (st.slotsInUse < Math.max(1, s.concurrency)) {
    st.slotsInUse++;
    return;
  }
  await new Promise<void>((resolve) => st.slotWaiters.push(resolve));
}

/** Hands the slot to the next waiter (the count stays) or frees it. */
function releaseSlot(st: SchedulerState): void {
  const next = st.slotWaiters.shift();
  if (next) next();
  else st.slotsInUse--;
}
