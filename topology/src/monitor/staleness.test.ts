import { describe, expect, it } from 'vitest';
import { readingAge } from './staleness';

const MIN = 60_000;

describe('readingAge', () => {
  it.each([
    ['never read', null, null, 5 * MIN, { stale: false, since: null, ageMs: null }],
    ['just read', 0, null, 10_000, { stale: false, since: null, ageMs: 10_000 }],
    ['a poll late by less than half an interval', 0, null, 89_000, { stale: false, since: null, ageMs: 89_000 }],
    ['no poll for 1.5 intervals (poller stopped)', 0, null, 91_000, { stale: true, since: 90_000, ageMs: 91_000 }],
    ['the next poll failed', 0, MIN, MIN + 1, { stale: true, since: MIN, ageMs: MIN + 1 }],
    ['failing for an hour', 0, MIN, 61 * MIN, { stale: true, since: MIN, ageMs: 61 * MIN }],
    ['a failure before the reading (recovered since)', 2 * MIN, MIN, 2 * MIN + 5000, { stale: false, since: null, ageMs: 5000 }],
  ])('%s', (_, readAt, failingSince, now, expected) => {
    expect(readingAge({ readAt, failingSince, now, intervalMs: MIN })).toEqual(expected);
  });
});
