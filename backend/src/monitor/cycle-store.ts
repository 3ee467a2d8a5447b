import type { ManagedTransaction } from 'neo4j-driver';
import { calendarDay, isManagedDevice, linkCompliance, type LinkCompliance } from '@extranet/topology';
import { endStateOf, INTERFACE_STATE_FIELDS, linkOf, type InterfaceStateProps, type LinkRowProps } from './end-state';
import { ANSWERED, type DevicePollRecord, type InterfaceResult, type LinkUpdate } from './types';

/**
 * Cypher of a poll cycle, all in the caller's ONE write transaction:
 * 1. device statuses → `(:Device)`;
 * 2. interface states and the counters kept for the next rate → `(:Interface)`;
 * 3. every link with an end on a polled device is judged again (pure
 *    `linkCompliance` on the stored end states, so an end polled by another
 *    shard counts too) → `(:Link)`;
 * 4. one sample per link whose traffic came from an end polled in this batch is
 *    appended to its hour bucket: `(:Link)-[:HAS_BUCKET]->(:UtilBucket {linkId,
 *    hour, day, at[], inBps[], outBps[], capacityMbps[]})` — parallel arrays,
 *    one node per link-hour, so a day of 1-minute samples is 24 nodes, not 1440.
 * Each step is one UNWIND over the batch. Units: ms, bps, Mbps (0 = unknown in arrays).
 */

export interface CycleWriteOptions {
  /** Judgement time, ms. */
  now: number;
  /** An end state older than this is stale ("not-polled"), ms. */
  maxAgeMs: number;
  /** Day boundary of the `day` bucket property, minutes east of UTC. Default 480. */
  utcOffsetMinutes?: number;
}

export interface CycleWriteResult {
  links: LinkUpdate[];
  samplesWritten: number;
}

const HOUR_MS = 3_600_000;

export async function writeCycle(tx: ManagedTransaction, devices: readonly DevicePollRecord[], opts: CycleWriteOptions): Promise<CycleWriteResult> {
  if (devices.length === 0) return { links: [], samplesWritten: 0 };
  await tx.run('UNWIND $devices AS d MATCH (n:Device {hostname: d.hostname}) SET n += d.props', {
    devices: devices.map((d) => ({ hostname: d.hostname, props: deviceProps(d) })),
  });
  const interfaces = devices.flatMap((d) => d.interfaces);
  if (interfaces.length > 0) {
    await tx.run('UNWIND $ifs AS x MATCH (i:Interface {key: x.key}) SET i += x.props', {
      ifs: interfaces.map((i) => ({ key: i.key, props: interfaceProps(i) })),
    });
  }
  const fresh = new Set(interfaces.filter((i) => i.inBps !== undefined).map((i) => i.key));

  const rows = await tx.run(
    `MATCH (d:Device)-[:HAS]->(:Interface)<-[:END]-(l:Link) WHERE d.hostname IN $hosts
     WITH DISTINCT l
     MATCH (l)-[:END {side: 'a'}]->(ia:Interface)<-[:HAS]-(da:Device)
     MATCH (l)-[:END {side: 'b'}]->(ib:Interface)<-[:HAS]-(db:Device)-[:AT]->(sb:Site)
     OPTIONAL MATCH (sb)-[:UNDER*0..4]->(c:Site {tier: 'county'})
     WITH l, ia, da, ib, db, collect(c.code)[0] AS county
     RETURN l {.id, .kind, .tier, .targetMbps, .contractedMbps, .status, .operStatus, .meetsTarget, .reason, .capacityMbps} AS l,
            ia {.key, .ifName, ${INTERFACE_STATE_FIELDS}} AS ia, da {.hostname, .role, .mgmtAddress} AS da,
            ib {.key, .ifName, ${INTERFACE_STATE_FIELDS}} AS ib, db {.hostname, .role, .mgmtAddress} AS db, county`,
    { hosts: devices.map((d) => d.hostname) },
  );

  const links: LinkUpdate[] = [];
  const samples: Array<Record<string, unknown>> = [];
  const offset = opts.utcOffsetMinutes ?? 480;
  for (const r of rows.records) {
    const l = r.get('l') as LinkRowProps & { operStatus?: string; meetsTarget?: boolean; reason?: string; capacityMbps?: number };
    type End = InterfaceStateProps & { key: string; ifName: string };
    type Dev = { hostname: string; role: string; mgmtAddress: string | null };
    const [ia, ib] = [r.get('ia') as End, r.get('ib') as End];
    const [da, db] = [r.get('da') as Dev, r.get('db') as Dev];
    const managed = (d: Dev) => isManagedDevice({ role: d.role as never, ...(d.mgmtAddress != null && { mgmtAddress: d.mgmtAddress }) });
    const link = linkOf(l, { device: da.hostname, interface: ia.ifName }, { device: db.hostname, interface: ib.ifName });
    const ends = { a: endStateOf(ia), b: endStateOf(ib) };
    const c = linkCompliance(
      link,
      { ...(ends.a && { a: ends.a }), ...(ends.b && { b: ends.b }) },
      { now: opts.now, maxAgeMs: opts.maxAgeMs, unmanaged: { a: !managed(da), b: !managed(db) } },
    );
    const polled = [ends.a?.polledAt, ends.b?.polledAt].filter((x): x is number => x !== undefined);
    const update = toUpdate(c, l, (r.get('county') as string | null) ?? null, polled.length ? Math.max(...polled) : null);
    links.push(update);

    // The sample belongs to the cycle that polled the end its traffic is read from (a, else b mirrored).
    const source = c.inBps === undefined ? undefined : ia.inBps != null && isFresh(ends.a, opts) ? ia : ib;
    if (source !== undefined && fresh.has(source.key) && c.inBps !== undefined && c.outBps !== undefined) {
      const at = source.lastPolled as number;
      samples.push({
        linkId: l.id,
        hour: Math.floor(at / HOUR_MS) * HOUR_MS,
        day: calendarDay(at, offset),
        at,
        inBps: c.inBps,
        outBps: c.outBps,
        capacityMbps: c.capacityMbps ?? 0,
      });
    }
  }

  if (links.length > 0) {
    await tx.run('UNWIND $links AS x MATCH (l:Link {id: x.id}) SET l += x.props', {
      links: links.map((u) => ({
        id: u.id,
        props: {
          lastInBps: u.inBps, lastOutBps: u.outBps, lastInPct: u.inPct, lastOutPct: u.outPct, capacityMbps: u.capacityMbps,
          operStatus: u.state, meetsTarget: u.meetsTarget, reason: u.reason, reasonDetail: u.detail, polledAt: u.polledAt,
        },
      })),
    });
  }
  if (samples.length > 0) {
    await tx.run(
      `UNWIND $samples AS s
       MATCH (l:Link {id: s.linkId})
       MERGE (b:UtilBucket {linkId: s.linkId, hour: s.hour})
         ON CREATE SET b.day = s.day, b.at = [s.at], b.inBps = [s.inBps], b.outBps = [s.outBps], b.capacityMbps = [s.capacityMbps]
         ON MATCH SET b.at = b.at + s.at, b.inBps = b.inBps + s.inBps, b.outBps = b.outBps + s.outBps,
                      b.capacityMbps = b.capacityMbps + s.capacityMbps
       MERGE (l)-[:HAS_BUCKET]->(b)`,
      { samples },
    );
  }
  return { links, samplesWritten: samples.length };
}

function isFresh(e: { polledAt?: number } | undefined, opts: CycleWriteOptions): boolean {
  return e?.polledAt !== undefined && opts.now - e.polledAt <= opts.maxAgeMs;
}

function toUpdate(
  c: LinkCompliance,
  before: LinkRowProps & { operStatus?: string; meetsTarget?: boolean; reason?: string; capacityMbps?: number },
  county: string | null,
  polledAt: number | null,
): LinkUpdate {
  const u: LinkUpdate = {
    id: c.linkId,
    kind: before.kind,
    tier: before.tier,
    county,
    state: c.state,
    meetsTarget: c.meetsTarget,
    reason: c.reason ?? null,
    detail: c.detail ?? null,
    targetMbps: c.targetMbps,
    capacityMbps: c.capacityMbps ?? null,
    inBps: c.inBps ?? null,
    outBps: c.outBps ?? null,
    inPct: c.inPct ?? null,
    outPct: c.outPct ?? null,
    polledAt,
    changed: false,
  };
  u.changed =
    (before.operStatus ?? null) !== u.state ||
    (before.meetsTarget ?? null) !== u.meetsTarget ||
    (before.reason ?? null) !== u.reason ||
    (before.capacityMbps ?? null) !== u.capacityMbps;
  return u;
}

/** Device properties written after a poll; `+=` leaves absent keys alone (lastSuccessAt survives failures). */
function deviceProps(d: DevicePollRecord): Record<string, unknown> {
  const answered = ANSWERED.has(d.status);
  return {
    pollStatus: d.status,
    pollFailures: d.failures,
    lastPollAt: d.at,
    pollDurationMs: d.durationMs,
    pollRequests: d.requests,
    pollVarbinds: d.varbinds,
    ...(answered && { lastSuccessAt: d.at }),
    ...(d.error && { lastErrorAt: d.at, lastErrorStatus: d.status, lastError: d.error.message, lastErrorHint: d.error.hint ?? null }),
  };
}

/** Interface properties: state for the API, and the raw counters (decimal strings: Neo4j integers are 64-bit signed). */
function interfaceProps(i: InterfaceResult): Record<string, unknown> {
  const c = i.counters;
  return {
    ifIndex: i.ifIndex,
    matchedBy: i.matchedBy,
    ifHighSpeedMbps: i.ifHighSpeedMbps,
    operStatus: i.operStatus,
    lastPolled: c.at,
    inBps: i.inBps ?? null,
    outBps: i.outBps ?? null,
    rateRejected: i.rejected ?? null,
    inErrorsPerSec: i.inErrorsPerSec ?? null,
    outErrorsPerSec: i.outErrorsPerSec ?? null,
    inDiscardsPerSec: i.inDiscardsPerSec ?? null,
    ctrAt: c.at,
    ctrIfIndex: c.ifIndex,
    ctrUptimeCs: c.uptimeCs.toString(),
    ctrDiscontinuityCs: c.discontinuityCs.toString(),
    ctrIn: c.inOctets.toString(),
    ctrOut: c.outOctets.toString(),
    ctrWidth: c.width,
    ctrSpeedMbps: c.speedMbps,
    ctrInErrors: c.inErrors?.toString() ?? null,
    ctrOutErrors: c.outErrors?.toString() ?? null,
    ctrInDiscards: c.inDiscards?.toString() ?? null,
  };
}
