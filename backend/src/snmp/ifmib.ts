import type { RowTime } from '@extranet/topology';
import { SnmpError } from './errors';
import type { SnmpSession, WalkResult } from './session';
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
  /**
   * When the agent read each counter: the sysUpTime.0 carried by the reply that
   * brought the counter's row, and that reply's receipt time. Rows of one
   * interface may come in different replies (an agent that caps a response
   * ends some columns a row earlier), so each counter has its own.
   */
  stamps: CounterStamps;
}

/** The agent's time of one row: sysUpTime.0 of the same reply (cs) and its local receipt time (ms). */
export type ReplyStamp = RowTime;

/** {@link ReplyStamp} per counter of an interface. */
export type CounterStamps = Record<'inOctets' | 'outOctets' | 'inErrors' | 'outErrors' | 'inDiscards', ReplyStamp>;

export interface InterfacesReading {
  /** sysUpTime in centiseconds of the first reply of the read (each counter's own time is in `stamps`). */
  uptimeCs: bigint;
  /** When the first reply arrived, in ms since the epoch (the injected clock's). */
  receivedAt: number;
  /** Replies of the read (each carried sysUpTime.0). */
  replies: number;
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

/** sysUpTime, the object: its one instance sysUpTime.0 is what a GETNEXT of it (or a GETBULK non-repeater) returns. */
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
 * The sysUpTime.0 of every reply of a walk, checked: an agent without it (or
 * answering another OID) cannot time its counters, and that is an error.
 */
function replyStamps(walk: WalkResult, target: string): ReplyStamp[] {
  return walk.replies.map(({ stamp, at }) => {
    if (stamp?.oid !== SYS_UPTIME || stamp.type !== 'timeticks') {
      throw new SnmpError('no-such-object', target, `sysUpTime.0 not implemented (the agent answered ${stamp?.oid ?? 'nothing'})`, {
        reason: stamp?.type ?? 'no-such-object',
      });
    }
    return { uptimeCs: asBigInt(stamp) ?? 0n, at };
  });
}

/** Row `index` of `column` was carried by which reply: its stamp, or `fallback` when the column lacks the row. */
function stampOf(walk: WalkResult, stamps: readonly ReplyStamp[], column: string, index: string, fallback: ReplyStamp): ReplyStamp {
  const k = walk.replyOf.get(column)?.get(index);
  return k === undefined ? fallback : (stamps[k] ?? fallback);
}

/**
 * Reads sysUpTime and the IF-MIB interface table of one agent.
 *
 * One multi-column GETBULK walk with sysUpTime.0 as a non-repeater of EVERY
 * request (so the whole read is ⌈rows × columns / response size⌉ requests, one
 * varbind more each). Each counter is timed by the sysUpTime of the reply that
 * carried it: a reply that comes late, or a request resent after a timeout,
 * moves the counter and its time together, so the rate stays exact.
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
  const walkOptions = options.maxRepetitions === undefined ? {} : { maxRepetitions: options.maxRepetitions };
  const { wanted } = options;
  const target = `${session.target.host}:${session.target.port}`;
  let namesRead = wanted === undefined || options.allNames === true;
  const main = await session.walk(
    { stamp: SYS_UPTIME_OBJECT, columns: namesRead ? [...COUNTER_COLUMNS, ...NAME_COLUMNS] : COUNTER_COLUMNS },
    { ...walkOptions, clock },
  );
  const mainStamps = replyStamps(main, target);
  const first = mainStamps[0];
  if (first === undefined) throw new SnmpError('protocol', target, 'the agent sent no reply with sysUpTime.0');
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
  let legacy: { walk: WalkResult; stamps: ReplyStamp[] } | undefined;
  if (needsLegacy) {
    const walk = await session.walk({ stamp: SYS_UPTIME_OBJECT, columns: LEGACY_COLUMNS }, { ...walkOptions, clock });
    legacy = { walk, stamps: replyStamps(walk, target) };
    for (const [oid, rows] of walk.columns) cols.set(oid, rows);
  }
  const mainStamp = (column: string, index: string) => stampOf(main, mainStamps, column, index, first);
  const legacyStamp = (column: string, index: string) =>
    legacy === undefined ? first : stampOf(legacy.walk, legacy.stamps, column, index, first);

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
      stamps: {
        inOctets: wide ? mainStamp(IF_MIB.ifHCInOctets, index) : legacyStamp(IF_MIB.ifInOctets, index),
        outOctets: wide ? mainStamp(IF_MIB.ifHCOutOctets, index) : legacyStamp(IF_MIB.ifOutOctets, index),
        inErrors: mainStamp(IF_MIB.ifInErrors, index),
        outErrors: mainStamp(IF_MIB.ifOutErrors, index),
        inDiscards: mainStamp(IF_MIB.ifInDiscards, index),
      },
    });
  }
  return {
    uptimeCs: first.uptimeCs,
    receivedAt: first.at,
    replies: main.replies.length + (legacy?.walk.replies.length ?? 0),
    durationMs: clock() - started,
    interfaces,
    namesRead,
    needsAllNames,
  };
}
