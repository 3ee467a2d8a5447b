import { describe, expect, it } from 'vitest';
import { matcherError, silencesOf, type Silence } from './silence';

const s = (id: string, matchers: Silence['matchers'], startsAt = 0, endsAt = 100): Silence => ({
  id,
  matchers,
  startsAt,
  endsAt,
  createdBy: 'ops',
  comment: '',
  createdAt: 0,
});

describe('silences', () => {
  const labels = { alertname: 'link-down', county: '441303', link: 'L-4413-441303' };
  it('every matcher must match, within the window', () => {
    const list = [
      s('a', [{ name: 'county', value: '441303' }]),
      s('b', [
        { name: 'county', value: '441303' },
        { name: 'alertname', value: 'device-unreachable' },
      ]),
      s('c', [{ name: 'link', value: 'L-4413-.*', isRegex: true }]),
      s('d', [{ name: 'county', value: '441303', isEqual: false }]),
      s('e', [{ name: 'county', value: '441303' }], 50, 60),
      s('f', [{ name: 'device', value: '' }]),
    ];
    expect(silencesOf(labels, list, 10)).toEqual(['a', 'c', 'f']);
    expect(silencesOf(labels, list, 55)).toEqual(['a', 'c', 'e', 'f']);
    expect(silencesOf(labels, list, 100)).toEqual([]);
  });
  it('regexes are anchored and checked', () => {
    expect(silencesOf(labels, [s('x', [{ name: 'link', value: '4413', isRegex: true }])], 1)).toEqual([]);
    expect(matcherError({ name: 'x', value: '(', isRegex: true })).toMatch(/Invalid/i);
  });
});
