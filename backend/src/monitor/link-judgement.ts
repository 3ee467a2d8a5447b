import { calendarDay, isManagedDevice, linkCompliance, readingAge, type LinkCompliance } from '@extranet/topology';
import { endStateOf, linkOf, type InterfaceStateProps, type LinkRowProps } from './end-state';
import type { BucketSample } from './history-store';
import type { LinkUpdate } from './types';

/**
 * The pure middle of a poll cycle (cycle-store.ts `writeCycle`, step 3b): a link read back with both
 * ends' stored state is judged again, gives the sample its history gets, and the properties its
 * `(:Link)` is written with.
 */

export interface CycleWriteOptions {
  /** Judgement time, ms. */
  now: number;
  /** An end state older than this is stale ("not-polled"), ms. */
  maxAgeMs: number;
  /** Day boundary of the `day` bucket property, minutes east of UTC. Default 480. */
  utcOffsetMinutes?: number;
  /** The poll interval, ms, for the staleness of readings (`readingAge`). Default maxAgeMs / 3. */
  intervalMs?: number;
}

const HOUR_MS = 3_600_000;

export type StoredLink = LinkRowProps & {
  operStatus?: string | null;
  meetsTarget?: boolean | null;
  reason?: string | null;
  capacityMbps?: number | null;
  reasonDetail?: string | null;
  staleSince?: number | null;
  stateChanged?: boolean | null;
};
export type StoredEnd = InterfaceStateProps & { key: string; ifName: string };
export type StoredDevice = { hostname: string; role: string; mgmtAddress: string | null; failingSince?: number | null };

/** A link with an end on a polled device, as stored (after steps 1–2): both ends' interfaces and devices, and the county of end b. */
export interface StoredLinkRow {
  link: StoredLink;
  a: { end: StoredEnd; device: StoredDevice };
  b: { end: StoredEnd; device: StoredDevice };
  county: string | null;
}

/**
 * Step 3b (pure): a link judged again on its stored end states (`linkCompliance`,
 * so an end polled by another shard counts too), and the sample this cycle adds
 * to its history — only when the end its traffic is read from (a, else b
 * mirrored) was polled with a rate in this batch (`fresh` interface keys).
 */
export function judgeLink(
  row: StoredLinkRow,
  fresh: ReadonlySet<string>,
  opts: CycleWriteOptions,
): { update: LinkUpdate; sample?: BucketSample } {
  const { link: l, a, b } = row;
  const managed = (d: StoredDevice) =>
    isManagedDevice({ role: d.role as never, ...(d.mgmtAddress != null && { mgmtAddress: d.mgmtAddress }) });
  const link = linkOf(l, { device: a.device.hostname, interface: a.end.ifName }, { device: b.device.hostname, interface: b.end.ifName });
  const ends = { a: endStateOf(a.end), b: endStateOf(b.end) };
  const c = linkCompliance(
    link,
    { ...(ends.a && { a: ends.a }), ...(ends.b && { b: ends.b }) },
    { now: opts.now, maxAgeMs: opts.maxAgeMs, unmanaged: { a: !managed(a.device), b: !managed(b.device) } },
  );
  const polled = [ends.a?.polledAt, ends.b?.polledAt].filter((x): x is number => x !== undefined);
  const update = toUpdate(c, l, row.county, polled.length ? Math.max(...polled) : null);
  update.staleSince = linkStaleSince(
    [
      { device: a.device, polledAt: ends.a?.polledAt },
      { device: b.device, polledAt: ends.b?.polledAt },
    ].filter((e) => managed(e.device) && e.polledAt !== undefined),
    opts,
  );

  // The sample belongs to the cycle that polled the end its traffic is read from (a, else b mirrored).
  const source = c.inBps === undefined ? undefined : a.end.inBps != null && isFresh(ends.a, opts) ? a.end : b.end;
  if (source === undefined || !fresh.has(source.key) || c.inBps === undefined || c.outBps === undefined) return { update };
  const at = source.lastPolled as number;
  return {
    update,
    sample: {
      linkId: l.id,
      hour: Math.floor(at / HOUR_MS) * HOUR_MS,
      day: calendarDay(at, opts.utcOffsetMinutes ?? 480),
      at,
      inBps: c.inBps,
      outBps: c.outBps,
      capacityMbps: c.capacityMbps ?? 0,
    },
  };
}

/** What step 3c sets on one link (cycle-store.ts `writeLinkStates`) besides its cycle's number; a null removes the property. */
export function linkStateProps(u: LinkUpdate, stored: StoredLink): Record<string, unknown> {
  const props: Record<string, unknown> = {
    lastInBps: u.inBps,
    lastOutBps: u.outBps,
    lastInPct: u.inPct,
    lastOutPct: u.outPct,
    polledAt: u.polledAt,
  };
  const judgement: Array<[keyof StoredLink, unknown]> = [
    ['capacityMbps', u.capacityMbps],
    ['operStatus', u.state],
    ['meetsTarget', u.meetsTarget],
    ['reason', u.reason],
    ['reasonDetail', u.detail],
    ['staleSince', u.staleSince ?? null],
    ['stateChanged', u.changed],
  ];
  for (const [key, value] of judgement) if ((stored[key] ?? null) !== (value ?? null)) props[key] = value ?? null;
  return props;
}

/** The link's reading is stale when every managed end with a reading is (the latest of their times), else null. */
function linkStaleSince(
  ends: ReadonlyArray<{ device: StoredDevice; polledAt?: number | undefined }>,
  opts: CycleWriteOptions,
): number | null {
  if (ends.length === 0) return null;
  const intervalMs = opts.intervalMs ?? opts.maxAgeMs / 3;
  const ages = ends.map((e) =>
    readingAge({ readAt: e.polledAt ?? null, failingSince: e.device.failingSince ?? null, now: opts.now, intervalMs }),
  );
  return ages.every((x) => x.stale) ? Math.max(...ages.map((x) => x.since!)) : null;
}

function isFresh(e: { polledAt?: number } | undefined, opts: CycleWriteOptions): boolean {
  return e?.polledAt !== undefined && opts.now - e.polledAt <= opts.maxAgeMs;
}

function toUpdate(c: LinkCompliance, before: StoredLink, county: string | null, polledAt: number | null): LinkUpdate {
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
