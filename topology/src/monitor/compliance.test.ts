import { describe, expect, it } from 'vitest';
import type { Device, Link } from '../plan/types';
import { linkCompliance, planCompliance, type EndState, type LinkCompliance, type LinkEndsState } from './compliance';

const now = 1_700_000_000_000;
const link = (over: Partial<Link> = {}): Link => ({
  id: 'L1',
  kind: 'uplink',
  tier: 'county-township',
  a: { device: 'county-agg', interface: 'Gi0/1' },
  b: { device: 'town-acc', interface: 'Gi0/0' },
  targetMbps: 100,
  status: 'built',
  ...over,
});
const up = (speed: number | undefined, more: Partial<EndState> = {}): EndState => ({
  ...(speed !== undefined && { ifHighSpeedMbps: speed }),
  operStatus: 'up',
  polledAt: now - 60_000,
  ...more,
});

describe('linkCompliance', () => {
  const cases: Array<[string, Partial<Link>, LinkEndsState | undefined, Partial<LinkCompliance>]> = [
    [
      'meets target when both ends are up and fast enough',
      {},
      { a: up(1000), b: up(1000) },
      { meetsTarget: true, capacityMbps: 1000, capacityBy: 'a', state: 'up' },
    ],
    ['takes the lower end speed', {}, { a: up(1000), b: up(100) }, { meetsTarget: true, capacityMbps: 100, capacityBy: 'b' }],
    [
      'is below target when an end negotiated 10 Mbps',
      {},
      { a: up(1000), b: up(10) },
      { meetsTarget: false, reason: 'below-target', capacityMbps: 10 },
    ],
    [
      'is limited by a lower contract',
      { contractedMbps: 50 },
      { a: up(1000), b: up(1000) },
      { meetsTarget: false, reason: 'below-target', capacityMbps: 50, capacityBy: 'contract' },
    ],
    [
      'ignores a contract above the port speed',
      { contractedMbps: 2000 },
      { a: up(1000), b: up(1000) },
      { meetsTarget: true, capacityMbps: 1000 },
    ],
    [
      'falls back to the contract when no end reports a speed',
      { contractedMbps: 200 },
      { a: up(0), b: up(undefined) },
      { meetsTarget: true, capacityMbps: 200, capacityBy: 'contract' },
    ],
    [
      'is not-polled when nothing reports a speed and no contract',
      {},
      { a: up(0), b: up(undefined) },
      { meetsTarget: false, reason: 'not-polled', state: 'up' },
    ],
    [
      'is not-built when planned',
      { status: 'planned' },
      { a: up(1000), b: up(1000) },
      { meetsTarget: false, reason: 'not-built', state: 'not-built' },
    ],
    ['is not-polled without data', {}, undefined, { meetsTarget: false, reason: 'not-polled', state: 'unknown' }],
    [
      'is not-polled when an end is stale',
      {},
      { a: up(1000), b: up(1000, { polledAt: now - 3_600_000 }) },
      { meetsTarget: false, reason: 'not-polled' },
    ],
    [
      'is not-polled when a fresh end lacks ifOperStatus',
      {},
      { a: up(1000), b: { ifHighSpeedMbps: 1000, polledAt: now } },
      { meetsTarget: false, reason: 'not-polled' },
    ],
    [
      'is down when an end is down',
      {},
      { a: up(1000), b: up(1000, { operStatus: 'down' }) },
      { meetsTarget: false, reason: 'down', state: 'down' },
    ],
    [
      'is down on lowerLayerDown even when the other end is stale',
      {},
      { a: up(1000, { operStatus: 'lowerLayerDown' }) },
      { meetsTarget: false, reason: 'down' },
    ],
    [
      'ignores a stale "down"',
      {},
      { a: up(1000), b: up(1000, { operStatus: 'down', polledAt: 0 }) },
      { meetsTarget: false, reason: 'not-polled' },
    ],
  ];
  it.each(cases)('%s', (_name, over, ends, expected) => {
    const r = linkCompliance(link(over), ends, { now });
    expect(r).toMatchObject(expected);
    expect(r.reason === undefined).toBe(r.meetsTarget);
  });

  it('judges an internet exit on its managed end alone', () => {
    const exit = link({ kind: 'internet-exit', tier: 'city-internet', targetMbps: 1000 });
    const r = linkCompliance(exit, { a: up(10_000, { inBps: 2e9, outBps: 5e8 }) }, { now, unmanaged: { b: true } });
    expect(r).toMatchObject({ meetsTarget: true, capacityMbps: 10_000, inBps: 2e9, outPct: 5 });
    expect(r.inPct).toBeCloseTo(20);
  });

  it('reports utilisation at the a end, mirroring b when a has no rates', () => {
    const r = linkCompliance(link(), { a: up(100), b: up(100, { inBps: 40e6, outBps: 10e6 }) }, { now });
    expect(r).toMatchObject({ inBps: 10e6, outBps: 40e6, inPct: 10, outPct: 40 });
  });

  it('honours maxAgeMs', () => {
    const ends = { a: up(1000, { polledAt: now - 120_000 }), b: up(1000, { polledAt: now - 120_000 }) };
    expect(linkCompliance(link(), ends, { now, maxAgeMs: 60_000 }).reason).toBe('not-polled');
    expect(linkCompliance(link(), ends, { now, maxAgeMs: 180_000 }).meetsTarget).toBe(true);
  });
});

describe('planCompliance', () => {
  it('treats devices without a management address as unmanaged', () => {
    const devices: Device[] = [
      { hostname: 'city-exit', site: '4413', role: 'internet-exit', mgmtAddress: '10.0.0.1', interfaces: [] },
      { hostname: 'isp', site: '4413', role: 'upstream', interfaces: [] },
    ];
    const exit = link({
      id: 'X',
      kind: 'internet-exit',
      a: { device: 'city-exit', interface: 'Te0/0' },
      b: { device: 'isp', interface: 'x' },
      targetMbps: 1000,
    });
    const [r] = planCompliance({ devices, links: [exit] }, new Map([['X', { a: up(1000) }]]), { now });
    expect(r).toMatchObject({ linkId: 'X', meetsTarget: true });
  });

  it('judges again with the devices it is given, the same links or not (what is unmanaged is kept per plan)', () => {
    const links = [link({ id: 'L', a: { device: 'p', interface: 'x' }, b: { device: 'q', interface: 'y' } })];
    const both: Device[] = ['p', 'q'].map((h) => ({
      hostname: h,
      site: '4413',
      role: 'aggregation',
      mgmtAddress: '10.0.0.1',
      interfaces: [],
    }));
    const states = new Map([['L', { a: up(1000) }]]);
    expect(planCompliance({ devices: both, links }, states, { now })[0]).toMatchObject({ reason: 'not-polled' }); // b managed, never polled
    const { mgmtAddress: _none, ...q } = both[1]!;
    const qUnmanaged: Device[] = [both[0]!, q];
    expect(planCompliance({ devices: qUnmanaged, links }, states, { now })[0]).toMatchObject({ meetsTarget: true });
    expect(planCompliance({ devices: both, links }, states, { now })[0]).toMatchObject({ reason: 'not-polled' });
  });
});
