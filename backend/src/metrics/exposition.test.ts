import { describe, expect, it } from 'vitest';
import { escapeLabelValue, formatValue, renderExposition } from './exposition';

describe('Prometheus text format', () => {
  it('writes HELP, TYPE and one line per sample', () => {
    const text = renderExposition([
      {
        name: 'extranet_link_capacity_bps',
        help: 'Capacity',
        type: 'gauge',
        samples: [{ labels: { link: 'L-1', tier: 'city-county' }, value: 1e9 }],
      },
      { name: 'snmp_scrape_errors_total', help: 'Errors', type: 'counter', samples: [{ value: 3 }] },
    ]);
    expect(text).toBe(
      [
        '# HELP extranet_link_capacity_bps Capacity',
        '# TYPE extranet_link_capacity_bps gauge',
        'extranet_link_capacity_bps{link="L-1",tier="city-county"} 1000000000',
        '# HELP snmp_scrape_errors_total Errors',
        '# TYPE snmp_scrape_errors_total counter',
        'snmp_scrape_errors_total 3',
        '',
      ].join('\n'),
    );
  });

  it.each([
    ['plain', 'plain'],
    ['a"b', 'a\\"b'],
    ['a\\b', 'a\\\\b'],
    ['a\nb', 'a\\nb'],
    ['惠城区', '惠城区'],
  ])('escapes the label value %j as %j', (raw, escaped) => {
    expect(escapeLabelValue(raw)).toBe(escaped);
  });

  it.each([
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [0.25, '0.25'],
  ])('formats %d as %s', (v, s) => {
    expect(formatValue(v)).toBe(s);
  });

  it('refuses invalid names (a programming error)', () => {
    expect(() => renderExposition([{ name: 'bad-name', help: '', type: 'gauge', samples: [] }])).toThrow(/invalid metric name/);
    expect(() =>
      renderExposition([{ name: 'ok', help: '', type: 'gauge', samples: [{ labels: { 'bad-label': 'x' }, value: 1 }] }]),
    ).toThrow(/invalid label/);
  });
});
