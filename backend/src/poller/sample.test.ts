import { describe, expect, it } from 'vitest';
import type { InterfaceReading, InterfacesReading } from '../snmp/ifmib';
import { sampleDevice, type CounterState } from './sample';

const T = Date.parse('2025-03-04T02:00:00Z');

function reading(at: number, uptimeCs: bigint, rows: Array<[number, Partial<InterfaceReading> & { ifName: string }]>): InterfacesReading {
  const interfaces = new Map<number, InterfaceReading>();
  const t = { uptimeCs, at };
  for (const [ifIndex, r] of rows) {
    interfaces.set(ifIndex, {
      ifDescr: r.ifName,
      ifAlias: '',
      highSpeedMbps: 1000,
      inOctets: 0n,
      outOctets: 0n,
      counterWidth: 64,
      operStatus: 1,
      inErrors: 0n,
      outErrors: 0n,
      inDiscards: 0n,
      discontinuityCs: 0n,
      stamps: { inOctets: t, outOctets: t, inErrors: t, outErrors: t, inDiscards: t },
      ...r,
    });
  }
  return { uptimeCs, receivedAt: at, replies: 1, durationMs: 5, interfaces, namesRead: true, needsAllNames: false };
}

/** 60 s later, 300 Mbps in, 75 Mbps out: octets = bps × 60 / 8. */
const IN_60S = 2_250_000_000n;
const OUT_60S = 562_500_000n;

type Row = Partial<InterfaceReading> & { ifName: string };

function twoPolls(change: (second: Row) => Row = (x) => x, secondUptime = 606_000n, gapMs = 60_000, firstRow: Partial<Row> = {}) {
  const first = reading(T, 600_000n, [[1, { ifName: 'Gi0/0/0', inOctets: 10n ** 12n, outOctets: 10n ** 11n, ...firstRow }]]);
  const s1 = sampleDevice('r1', ['Gi0/0/0'], first, new Map(), { maxGapMs: 180_000 });
  const prev = new Map<string, CounterState>(s1.interfaces.map((i) => [i.ifName, i.counters]));
  const second = reading(T + gapMs, secondUptime, [
    [1, change({ ifName: 'Gi0/0/0', inOctets: 10n ** 12n + IN_60S, outOctets: 10n ** 11n + OUT_60S })],
  ]);
  return { s1, s2: sampleDevice('r1', ['Gi0/0/0'], second, prev, { maxGapMs: 180_000 }) };
}

describe('sampleDevice', () => {
  it('times each counter by its own reply: a late reply of the out column does not skew the out rate', () => {
    // Second poll: the in row came in the first reply (606_000 cs); the out row in a reply the agent
    // answered 1.5 s later, after 1.5 s more traffic (75 Mbps × 61.5 s).
    const first = { uptimeCs: 606_000n, at: T + 60_000 };
    const late = { uptimeCs: 606_150n, at: T + 61_500 };
    const { s2 } = twoPolls((x) => ({
      ...x,
      outOctets: 10n ** 11n + (OUT_60S * 615n) / 600n,
      stamps: { inOctets: first, outOctets: late, inErrors: first, outErrors: first, inDiscards: first },
    }));
    expect(s2.interfaces[0]!.inBps).toBe(300e6);
    expect(s2.interfaces[0]!.outBps).toBe(75e6);
    expect(s2.interfaces[0]!.counters.times?.outOctets).toEqual(late);
  });

  it('gives no rate on the first sample, then bps from the counters over the agent interval', () => {
    const { s1, s2 } = twoPolls();
    expect(s1.interfaces[0]).toMatchObject({
      key: 'r1|Gi0/0/0',
      rejected: 'first-sample',
      ifIndex: 1,
      matchedBy: 'ifName',
      operStatus: 'up',
    });
    expect(s1.interfaces[0]!.inBps).toBeUndefined();
    expect(s2.interfaces[0]).toMatchObject({ inBps: 300e6, outBps: 75e6, reindexed: false });
    expect(s2.interfaces[0]!.rejected).toBeUndefined();
  });

  it.each([
    ['a reboot (sysUpTime went back)', (x: Row) => ({ ...x, inOctets: 5000n, outOctets: 100n }), 1000n, 'reboot'],
    ['a counter reset without reboot', (x: Row) => ({ ...x, inOctets: 5000n }), 606_000n, 'counter-decreased'],
    ['a discontinuity', (x: Row) => ({ ...x, discontinuityCs: 605_000n }), 606_000n, 'discontinuity'],
    ['a jump beyond line rate', (x: Row) => ({ ...x, inOctets: 10n ** 12n + 10n ** 11n }), 606_000n, 'exceeds-speed'],
  ])('discards the interval after %s: no rate, never a spike', (_, change, uptime, reason) => {
    const { s2 } = twoPolls(change, uptime);
    expect(s2.interfaces[0]).toMatchObject({ rejected: reason });
    expect(s2.interfaces[0]!.inBps).toBeUndefined();
    expect(s2.interfaces[0]!.outBps).toBeUndefined();
  });

  it('gives error and discard rates over the same interval; a Counter32 wrap counts once', () => {
    // 120 in 60 s = 2/s; 4,294,967,280 → 14 is 30 across one wrap = 0.5/s; 6 = 0.1/s.
    const { s2 } = twoPolls((x) => ({ ...x, inErrors: 120n, outErrors: 14n, inDiscards: 6n }), 606_000n, 60_000, {
      outErrors: 4_294_967_280n,
    });
    expect(s2.interfaces[0]).toMatchObject({ inErrorsPerSec: 2, inDiscardsPerSec: 0.1 });
    expect(s2.interfaces[0]!.outErrorsPerSec).toBeCloseTo(0.5, 12);
  });

  it('gives no error rates when the octet interval was discarded, or when the previous reading lacks the counters', () => {
    const rebooted = twoPolls((x) => ({ ...x, inOctets: 5000n, outOctets: 100n, inErrors: 3n }), 1000n).s2.interfaces[0]!;
    expect([rebooted.inErrorsPerSec, rebooted.outErrorsPerSec, rebooted.inDiscardsPerSec]).toEqual([undefined, undefined, undefined]);
    const first = reading(T, 600_000n, [[1, { ifName: 'Gi0/0/0' }]]);
    const kept = sampleDevice('r1', ['Gi0/0/0'], first, new Map(), { maxGapMs: 180_000 }).interfaces[0]!.counters;
    const { inErrors: _a, outErrors: _b, inDiscards: _c, ...older } = kept; // state kept by a version without them
    const second = reading(T + 60_000, 606_000n, [[1, { ifName: 'Gi0/0/0', inOctets: 600n, inErrors: 9n }]]);
    const r = sampleDevice('r1', ['Gi0/0/0'], second, new Map([['Gi0/0/0', older]]), { maxGapMs: 180_000 }).interfaces[0]!;
    expect(r.inBps).toBe(80);
    expect(r.inErrorsPerSec).toBeUndefined();
  });

  it('discards an interval longer than maxGapMs (after an outage)', () => {
    const { s2 } = twoPolls((x) => x, 600_000n + 60_000n, 600_000);
    expect(s2.interfaces[0]).toMatchObject({ rejected: 'gap-too-long' });
  });

  it('judges a speed drop mid-interval against the faster speed (no false exceeds-speed)', () => {
    const { s2 } = twoPolls((x) => ({ ...x, highSpeedMbps: 100 }));
    expect(s2.interfaces[0]).toMatchObject({ inBps: 300e6, ifHighSpeedMbps: 100 });
  });

  it('follows an ifIndex renumbering by name and says so', () => {
    const first = reading(T, 600_000n, [
      [1, { ifName: 'a' }],
      [2, { ifName: 'b' }],
    ]);
    const s1 = sampleDevice('r1', ['a', 'b'], first, new Map(), { maxGapMs: 180_000 });
    const prev = new Map(s1.interfaces.map((i) => [i.ifName, i.counters]));
    const second = reading(T + 60_000, 606_000n, [
      [2, { ifName: 'a' }],
      [1, { ifName: 'b' }],
    ]);
    const s2 = sampleDevice('r1', ['a', 'b'], second, prev, { maxGapMs: 180_000 });
    expect(s2.interfaces.map((i) => [i.ifName, i.ifIndex, i.reindexed])).toEqual([
      ['a', 2, true],
      ['b', 1, true],
    ]);
  });

  it('lists plan interfaces the agent lacks, and keeps reading the others', () => {
    const s = sampleDevice('r1', ['Gi0/0/0', 'Gi9/9/9'], reading(T, 1n, [[1, { ifName: 'Gi0/0/0', operStatus: 2 }]]), new Map(), {
      maxGapMs: 180_000,
    });
    expect(s.missing).toEqual(['Gi9/9/9']);
    expect(s.interfaces.map((i) => [i.ifName, i.operStatus])).toEqual([['Gi0/0/0', 'down']]);
  });
});
