import { LAB_FAULTS, type LabFault } from '@extranet/topology';

/**
 * The faults the lab can switch on at run time, as a closed set. Each has a
 * scope (a whole device, or interfaces: one by name, all when no name is given)
 * and a kind: a *state* lasts until switched off; an *event* happens once when
 * switched on (switching it off only clears it from {@link ActiveFault} lists).
 */
/** The closed set of faults is declared with the lab's API (topology/src/api/lab.ts). */
export { LAB_FAULTS, type LabFault };

export interface FaultInfo {
  scope: 'device' | 'interface';
  kind: 'state' | 'event';
  /** What the poller sees. */
  effect: string;
}

export const FAULTS: Record<LabFault, FaultInfo> = {
  'link-down': { scope: 'interface', kind: 'state', effect: 'ifOperStatus 2 (down), counters stop, ifLastChange updated' },
  'speed-drop': { scope: 'interface', kind: 'state', effect: 'ifHighSpeed falls to a tenth (1000 → 100 Mbps), ifSpeed with it' },
  'counter-reset': {
    scope: 'device',
    kind: 'event',
    effect: 'reboot: sysUpTime and all counters restart from 0, ifIndex renumbered (rotated by one)',
  },
  discontinuity: {
    scope: 'interface',
    kind: 'event',
    effect: 'ifCounterDiscontinuityTime set to the current sysUpTime, octet counters jump',
  },
  timeout: { scope: 'device', kind: 'state', effect: 'the agent drops every request (the poller times out)' },
  saturation: { scope: 'interface', kind: 'state', effect: 'traffic at 97–100 % of ifHighSpeed, inbound discards' },
  'zero-speed': {
    scope: 'interface',
    kind: 'state',
    effect: 'ifHighSpeed and ifSpeed answered as 0 (speed unknown to the agent); traffic and counters go on',
  },
  'counter-backwards': {
    scope: 'interface',
    kind: 'event',
    effect: 'octet counters step back by 64–128 GiB (half that outbound), no reboot and no discontinuity: sysUpTime goes on',
  },
  'slow-reply': {
    scope: 'device',
    kind: 'state',
    effect: 'about half the requests, chosen at random, are answered 0–2 s late (uniform; the values are read when answered)',
  },
};

/** A fault currently switched on (or an event that happened), as listed by `faults()`. */
export interface ActiveFault {
  hostname: string;
  /** Absent for device faults and for interface faults applied to every interface. */
  ifName?: string;
  fault: LabFault;
  /** When it was switched on, ms since the epoch (the lab's clock). */
  since: number;
}

export type LabErrorCode = 'UNKNOWN_DEVICE' | 'UNKNOWN_INTERFACE' | 'UNKNOWN_FAULT' | 'FAULT_SCOPE' | 'PORT_IN_USE' | 'TOO_MANY_AGENTS';

/** A misuse of the lab: a stable code and a message that suggests the fix. */
export class LabError extends Error {
  readonly code: LabErrorCode;
  constructor(code: LabErrorCode, message: string) {
    super(message);
    this.name = 'LabError';
    this.code = code;
  }
}

/** Narrows a string to a {@link LabFault}, or throws `UNKNOWN_FAULT` naming the allowed ones. */
export function parseFault(name: string): LabFault {
  if ((LAB_FAULTS as readonly string[]).includes(name)) return name as LabFault;
  throw new LabError('UNKNOWN_FAULT', `unknown fault "${name}"; allowed: ${LAB_FAULTS.join(', ')}`);
}
