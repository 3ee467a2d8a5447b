import { describe, expect, it } from 'vitest';
import { judgeLink, linkStateProps, type StoredLinkRow } from './link-judgement';

const NOW = Date.parse('2025-03-04T10:30:00+08:00');
const opts = { now: NOW, maxAgeMs: 180_000, utcOffsetMinutes: 480 };

/** A built 1 Gbps uplink whose ends were both polled at `now` (a: traffic 300/40 Mbps). */
function row(over: { a?: object; b?: object; link?: object; bDevice?: object } = {}): StoredLinkRow {
  const end = { ifHighSpeedMbps: 1000, operStatus: 'up', lastPolled: NOW };
  return {
    link: { id: 'L1', kind: 'uplink', tier: 'city-county', targetMbps: 500, contractedMbps: null, status: 'built', ...over.link },
    a: {
      end: { key: 'hz-core|Gi0/0/1', ifName: 'Gi0/0/1', ...end, inBps: 3e8, outBps: 4e7, ...over.a },
      device: { hostname: 'hz-core', role: 'core', mgmtAddress: '10.0.0.1' },
    },
    b: {
      end: { key: 'hc-agg|Gi0/0/0', ifName: 'Gi0/0/0', ...end, inBps: 4e7, outBps: 3e8, ...over.b },
      device: { hostname: 'hc-agg', role: 'aggregation', mgmtAddress: '10.0.1.1', ...over.bDevice },
    },
    county: '441302',
  };
}

describe('judgeLink', () => {
  it('judges a link up and meeting its target, and samples the traffic of end a when a was polled in this batch', () => {
    const { update, sample } = judgeLink(row(), new Set(['hz-core|Gi0/0/1']), opts);
    expect(update).toMatchObject({
      id: 'L1',
      state: 'up',
      meetsTarget: true,
      capacityMbps: 1000,
      inBps: 3e8,
      outBps: 4e7,
      county: '441302',
      polledAt: NOW,
    });
    expect(sample).toEqual({
      linkId: 'L1',
      hour: Date.parse('2025-03-04T10:00:00+08:00'),
      day: '2025-03-04',
      at: NOW,
      inBps: 3e8,
      outBps: 4e7,
      capacityMbps: 1000,
    });
  });

  it('adds no sample when the end its traffic comes from was polled by another cycle', () => {
    const { update, sample } = judgeLink(row(), new Set(['hc-agg|Gi0/0/0']), opts);
    expect(update.state).toBe('up');
    expect(sample).toBeUndefined();
  });

  it('reads the traffic from end b, mirrored, when end a has no rate, and samples it when b was polled in this batch', () => {
    const { sample } = judgeLink(row({ a: { inBps: null, outBps: null } }), new Set(['hc-agg|Gi0/0/0']), opts);
    expect(sample).toMatchObject({ inBps: 3e8, outBps: 4e7 });
  });

  it('judges a link with a stale end not-polled, and adds no sample', () => {
    const { update, sample } = judgeLink(row({ b: { lastPolled: NOW - 600_000 } }), new Set(['hz-core|Gi0/0/1']), opts);
    expect(update).toMatchObject({ state: 'unknown', reason: 'not-polled' });
    expect(sample).toBeUndefined();
  });

  it('marks the update changed when the state differs from the stored one, not when it is the same', () => {
    const fresh = new Set<string>();
    expect(judgeLink(row(), fresh, opts).update.changed).toBe(true);
    const stored = { operStatus: 'up', meetsTarget: true, reason: null, capacityMbps: 1000 };
    expect(judgeLink(row({ link: stored }), fresh, opts).update.changed).toBe(false);
  });
});

describe('linkStateProps', () => {
  const judged = (stored: object) => {
    const r = row({ link: stored });
    return { update: judgeLink(r, new Set(), opts).update, stored: r.link };
  };

  it('sets the readings every time (the cycle number is set by the query), the judgement only where it differs from the stored one', () => {
    const first = judged({});
    const props = linkStateProps(first.update, first.stored);
    expect(props).toEqual({
      lastInBps: 3e8,
      lastOutBps: 4e7,
      lastInPct: 30,
      lastOutPct: 4,
      polledAt: NOW,
      capacityMbps: 1000,
      operStatus: 'up',
      meetsTarget: true,
      stateChanged: true,
    });
    const same = judged({ capacityMbps: 1000, operStatus: 'up', meetsTarget: true, reason: null, stateChanged: true });
    // Unchanged state: only stateChanged goes back to false (the cycle that changed it was an earlier one).
    expect(linkStateProps(same.update, same.stored)).toEqual({
      lastInBps: 3e8,
      lastOutBps: 4e7,
      lastInPct: 30,
      lastOutPct: 4,
      polledAt: NOW,
      stateChanged: false,
    });
    expect(Object.keys(linkStateProps(same.update, { ...same.stored, stateChanged: false }))).not.toContain('stateChanged');
  });

  it('removes what no longer holds (a null), and sets a new reason', () => {
    const down = judged({ capacityMbps: 1000, operStatus: 'up', meetsTarget: true, reason: null, stateChanged: false });
    const r = row({ link: down.stored, a: { operStatus: 'down', inBps: null, outBps: null } });
    const u = judgeLink(r, new Set(), opts).update;
    const props = linkStateProps(u, r.link);
    expect(props).toMatchObject({ operStatus: 'down', meetsTarget: false, reason: 'down', stateChanged: true });
    const back = linkStateProps(judgeLink(row({ link: { ...r.link, ...props } }), new Set(), opts).update, { ...r.link, ...props });
    expect(back).toMatchObject({ operStatus: 'up', meetsTarget: true, reason: null });
    expect(Object.keys(back)).not.toContain('stateChanged'); // changed again: still true
  });
});
