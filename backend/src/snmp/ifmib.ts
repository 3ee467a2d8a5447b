import { SnmpError } from './errors';
import type { SnmpSession } from './session';
import { asBigInt, asNumber, asText, type Varbind } from './varbind';

/**
 * IF-MIB interface read (RFC 2863): sysUpTime plus the columns a utilization
 * poller needs, in one multi-column walk. Numeric OIDs only (Debian ships no
 * IF-MIB file, and names would hide what is on the wire).
 */

/** sysUpTime.0 (SNMPv2-MIB), TimeTicks in centiseconds, wraps at 2^32 (~497 days). */
export const SYS_UPTIME = '1.3.6.1.2.1.1.3.0';

const IF_ENTRY = '1.3.6.1.2.1.2.2.1';
const IFX_ENTRY = '1.3.6.1.2.1.31.1.1.1';

/** Column OIDs used here, by IF-MIB name. */
export const IF_MIB = {
  ifDescr: `${IF_ENTRY}.2`,
  ifSpeed: `${IF_ENTRY}.5`,
  ifOperStatus: `${IF_ENTRY}.8`,
  ifInOctets: `${IF_ENTRY}.10`,
  ifInDiscards: `${IF_ENTRY}.13`,
  ifInErrors: `${IF_ENTRY}.14`,
  ifOutOctets: `${IF_ENTRY}.16`,
  ifOutErrors: `${IF_ENTRY}.20`,
  ifName: `${IFX_ENTRY}.1`,
  ifHCInOctets: `${IFX_ENTRY}.6`,
  ifHCOutOctets: `${IFX_ENTRY}.10`,
  ifHighSpeed: `${IFX_ENTRY}.15`,
  ifAlias: `${IFX_ENTRY}.18`,
  ifCounterDiscontinuityTime: `${IFX_ENTRY}.19`,
} as const;

/** RFC 2863 ifOperStatus values. */
export const OPER_STATUS = {
  1: 'up',
  2: 'down',
  3: 'testing',
  4: 'unknown',
  5: 'dormant',
  6: 'notPresent',
  7: 'lowerLayerDown',
} as const;

/** One interface as read. Counters are raw agent values; rates are computed elsewhere. */
export interface InterfaceReading {
  /** ifName, or ifDescr when the agent has no ifName. Links resolve interfaces by this name. */
  ifName: string;
  ifDescr: string;
  /** ifAlias: the operator's description; empty when unset or unsupported. */
  ifAlias: string;
  /** ifHighSpeed in Mbps (10^6 bit/s); from ifSpeed (bit/s) / 10^6, rounded, when ifHighSpeed is absent. */
  highSpeedMbps: number;
  /** Octets received: ifHCInOctets, or ifInOctets when counterWidth is 32. */
  inOctets: bigint;
  /** Octets sent: ifHCOutOctets, or ifOutOctets when counterWidth is 32. */
  outOctets: bigint;
  /** 64 when the octet counters are ifHC*; 32 when they are the wrapping ifIn/OutOctets. */
  counterWidth: 32 | 64;
  /** ifOperStatus: 1 up, 2 down, … see {@link OPER_STATUS}. */
  operStatus: number;
  inErrors: bigint;
  outErrors: bigint;
  inDiscards: bigint;
  /** ifCounterDiscontinuityTime: sysUpTime (centiseconds) of the last counter discontinuity; 0 = none since boot (or unsupported). */
  discontinuityCs: bigint;
}

export interface InterfacesReading {
  /** sysUpTime in centiseconds at the start of the read. */
  uptimeCs: bigint;
  /** When the sysUpTime response arrived, in ms since the epoch (the injected clock's). */
  receivedAt: number;
  /** How long the whole read took, in ms. */
  durationMs: number;
  /** By ifIndex. ifIndex may renumber after a reboot: key long-lived data by ifName. */
  interfaces: Map<number, InterfaceReading>;
  /** ifDescr and ifAlias were read (false: both are '' in every row, see `wanted`). */
  namesRead: boolean;
  /**
   * ifName alone does not resolve the `wanted` names: one of them is no row's
   * ifName, or a row has no ifName (its name falls back to ifDescr). False
   * when no `wanted` was given.
   */
  needsAllNames: boolean;
}

/** sysUpTime, the object: its one instance sysUpTime.0 is what a GETNEXT of it returns. */
const SYS_UPTIME_OBJECT = '1.3.6.1.2.1.1.3';

/** Read on every poll: state, counters, speed and ifName (for matching and to notice renumbering). */
const COUNTER_COLUMNS = [
  IF_MIB.ifOperStatus,
  IF_MIB.ifInDiscards,
  IF_MIB.ifInErrors,
  IF_MIB.ifOutErrors,
  IF_MIB.ifName,
  IF_MIB.ifHCInOctets,
  IF_MIB.ifHCOutOctets,
  IF_MIB.ifHighSpeed,
  IF_MIB.ifCounterDiscontinuityTime,
];

/** The fallback identifiers, read only when ifName does not resolve every wanted interface. */
const NAME_COLUMNS = [IF_MIB.ifDescr, IF_MIB.ifAlias];

/** 32-bit columns, walked only when some interface lacks its 64-bit counters or ifHighSpeed. */
const LEGACY_COLUMNS = [IF_MIB.ifInOctets, IF_MIB.ifOutOctets, IF_MIB.ifSpeed];

/** A column that was not read. */
const NO_ROWS: ReadonlyMap<string, Varbind> = new Map();

/** True when every wanted name is some row's ifName and every row has an ifName. */
function ifNameResolves(wanted: readonly string[], ifName: ReadonlyMap<string, Varbind>, rows: Iterable<string>): boolean {
  const names = new Set<string>();
  for (const vb of ifName.values()) {
    const text = asText(vb);
    if (text) names.add(text);
  }
  for (const index of rows) if (!asText(ifName.get(index))) return false;
  return wanted.every((n) => names.has(n));
}

/**
 * Reads sysUpTime and the IF-MIB interface table of one agent.
 *
 * One multi-column GETBULK walk, with sysUpTime as a non-repeater of its first
 * request (so the whole read is ⌈rows × columns / response size⌉ requests).
 *
 * Identifiers: ifName always. ifDescr and ifAlias (the fallbacks of
 * `matchInterfaces`) are read when no `wanted` names are given, when
 * `allNames` asks for them, or when ifName alone cannot resolve `wanted`
 * (then in a second walk of the same read). The match is therefore the same as
 * with all three columns, at 9 columns instead of 11 for agents whose ifName
 * is the plan's name — the normal case.
 *
 * The octet counters are ifHCIn/OutOctets (Counter64) where the agent has them,
 * per interface; otherwise ifIn/OutOctets (Counter32, `counterWidth: 32` — they
 * wrap in 34 s at 1 Gb/s, so poll such links fast or not at all). An interface
 * with neither is left out.
 *
 * @param options.clock ms since the epoch; default Date.now (inject for tests)
 * @param options.maxRepetitions GETBULK ceiling for this read
 * @param options.wanted the plan's names of the interfaces to be matched
 * @param options.allNames read ifDescr and ifAlias in the main walk (a device whose last read `needsAllNames`)
 * @throws SnmpError (`timeout`, `auth-failure`, …) — the caller stores it as the device's status
 */
export async function readInterfaces(
  session: SnmpSession,
  options: { clock?: () => number; maxRepetitions?: number; wanted?: readonly string[]; allNames?: boolean } = {},
): Promise<InterfacesReading> {
  const clock = options.clock ?? Date.now;
  const started = clock();
  let receivedAt = started;
  const walkOptions = options.maxRepetitions === undefined ? {} : { maxRepetitions: options.maxRepetitions };
  const { wanted } = options;
  let namesRead = wanted === undefined || options.allNames === true;
  const main = await session.walk(
    { next: [SYS_UPTIME_OBJECT], columns: namesRead ? [...COUNTER_COLUMNS, ...NAME_COLUMNS] : COUNTER_COLUMNS },
    { ...walkOptions, onNext: () => (receivedAt = clock()) },
  );
  const uptime = main.next[0];
  if (uptime?.oid !== SYS_UPTIME || uptime.type !== 'timeticks') {
    const { host, port } = session.target;
    throw new SnmpError(
      'no-such-object',
      `${host}:${port}`,
      `sysUpTime.0 not implemented (the agent answered ${uptime?.oid ?? 'nothing'})`,
      {
        reason: uptime?.type ?? 'no-such-object',
      },
    );
  }
  const cols = main.columns;
  const col = (oid: string): ReadonlyMap<string, Varbind> => cols.get(oid) ?? NO_ROWS;

  const rowsSeen = () => new Set<string>([...col(IF_MIB.ifName).keys(), ...col(IF_MIB.ifOperStatus).keys(), ...col(IF_MIB.ifDescr).keys()]);
  const needsAllNames = wanted !== undefined && !ifNameResolves(wanted, col(IF_MIB.ifName), rowsSeen());
  if (needsAllNames && !namesRead) {
    for (const [oid, rows] of await session.bulkColumns(NAME_COLUMNS, walkOptions)) cols.set(oid, rows);
    namesRead = true;
  }

  const indexes = new Set<string>([...col(IF_MIB.ifDescr).keys(), ...col(IF_MIB.ifName).keys()]);
  const needsLegacy = [...indexes].some(
    (i) => !col(IF_MIB.ifHCInOctets).has(i) || !col(IF_MIB.ifHCOutOctets).has(i) || !col(IF_MIB.ifHighSpeed).has(i),
  );
  if (needsLegacy) {
    for (const [oid, rows] of await session.bulkColumns(LEGACY_COLUMNS, walkOptions)) cols.set(oid, rows);
  }

  const interfaces = new Map<number, InterfaceReading>();
  for (const index of indexes) {
    const ifIndex = Number(index);
    if (!Number.isInteger(ifIndex)) continue; // IF-MIB rows have a single integer index
    const hcIn = asBigInt(col(IF_MIB.ifHCInOctets).get(index));
    const hcOut = asBigInt(col(IF_MIB.ifHCOutOctets).get(index));
    const wide = hcIn !== undefined && hcOut !== undefined;
    const inOctets = wide ? hcIn : asBigInt(col(IF_MIB.ifInOctets).get(index));
    const outOctets = wide ? hcOut : asBigInt(col(IF_MIB.ifOutOctets).get(index));
    if (inOctets === undefined || outOctets === undefined) continue;
    const ifDescr = asText(col(IF_MIB.ifDescr).get(index)) ?? '';
    const ifSpeedBps = asNumber(col(IF_MIB.ifSpeed).get(index));
    interfaces.set(ifIndex, {
      ifName: asText(col(IF_MIB.ifName).get(index)) || ifDescr,
      ifDescr,
      ifAlias: asText(col(IF_MIB.ifAlias).get(index)) ?? '',
      highSpeedMbps: asNumber(col(IF_MIB.ifHighSpeed).get(index)) ?? Math.round((ifSpeedBps ?? 0) / 1e6),
      inOctets,
      outOctets,
      counterWidth: wide ? 64 : 32,
      operStatus: asNumber(col(IF_MIB.ifOperStatus).get(index)) ?? 4,
      inErrors: asBigInt(col(IF_MIB.ifInErrors).get(index)) ?? 0n,
      outErrors: asBigInt(col(IF_MIB.ifOutErrors).get(index)) ?? 0n,
      inDiscards: asBigInt(col(IF_MIB.ifInDiscards).get(index)) ?? 0n,
      discontinuityCs: asBigInt(col(IF_MIB.ifCounterDiscontinuityTime).get(index)) ?? 0n,
    });
  }
  return { uptimeCs: asBigInt(uptime) ?? 0n, receivedAt, durationMs: clock() - started, interfaces, namesRead, needsAllNames };
}
