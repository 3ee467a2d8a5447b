import { describe, expect, it } from 'vitest';
import type { DevicePollRecord } from '../monitor/types';
import { CycleBacklog } from './backlog';

const MIN = 60_000;
const cycle = (now: number, polls = 2) => ({ now, records: Array.from({ length: polls }, () => ({}) as DevicePollRecord) });

describe('CycleBacklog', () => {
  it('keeps cycles in order while they fit in the window', () => {
    const b = new CycleBacklog(15 * MIN);
    for (let m = 0; m <= 15; m++) expect(b.push(cycle(m * MIN))).toEqual([]);
    expect(b.stats()).toEqual({ cycles: 16, oldestAt: 0, droppedCycles: 0, droppedPolls: 0 });
    expect(b.peek()!.now).toBe(0);
    b.shift();
    expect(b.peek()!.now).toBe(MIN);
  });

  it('drops the oldest beyond the window and counts them and their polls', () => {
    const b = new CycleBacklog(15 * MIN);
    for (let m = 0; m <= 15; m++) b.push(cycle(m * MIN));
    const dropped = b.push(cycle(17 * MIN, 3));
    expect(dropped.map((c) => c.now)).toEqual([0, MIN]);
    expect(b.stats()).toEqual({ cycles: 15, oldestAt: 2 * MIN, droppedCycles: 2, droppedPolls: 4 });
  });

  it('holds at most maxCycles, whatever their times', () => {
    const b = new CycleBacklog(60 * MIN, 3);
    for (let i = 0; i < 5; i++) b.push(cycle(i));
    expect(b.stats()).toMatchObject({ cycles: 3, oldestAt: 2, droppedCycles: 2 });
  });

  it('a single cycle older than the window is still kept (it is the newest)', () => {
    const b = new CycleBacklog(0);
    expect(b.push(cycle(5))).toEqual([]);
    expect(b.push(cycle(6)).map((c) => c.now)).toEqual([5]);
    expect(b.size).toBe(1);
  });
});
