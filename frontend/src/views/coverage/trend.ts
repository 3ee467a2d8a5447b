import { axisBottom, axisLeft, line, scaleLinear, scaleTime, select, timeFormat } from 'd3';
import type { CoverageSnapshot } from '../../../../topology/src/monitor/coverage-snapshot';
import { t } from '../../i18n/i18n';

/**
 * Coverage over time (D3): one point per daily snapshot, in percent of the
 * sites — overall meeting the work plan's requirements and fully compliant,
 * and the county-level units' and townships' share meeting their target.
 * Each point carries its day and value (`data-day`, `data-value`) so what is
 * drawn can be checked against `GET /api/coverage/history`.
 */
export interface TrendSeries {
  key: string;
  label: string;
  colour: string;
  value: (d: CoverageSnapshot) => number | null;
}

const share = (n: number, total: number) => (total === 0 ? null : (n / total) * 100);

export function trendSeries(): TrendSeries[] {
  return [
    {
      key: 'requirements',
      label: t('cov.requirements'),
      colour: '#1c7ed6',
      value: (d) => share(d.overall.meetingRequirements, d.overall.sites),
    },
    { key: 'fully', label: t('cov.fullyCompliant'), colour: '#2f9e44', value: (d) => share(d.overall.fullyCompliant, d.overall.sites) },
    {
      key: 'county-target',
      label: `${t('tier.county')} ${t('cov.meetingTarget')}`,
      colour: '#f08c00',
      value: (d) => share(d.tiers.county.meetingTarget, d.tiers.county.total),
    },
    {
      key: 'township-target',
      label: `${t('tier.township')} ${t('cov.meetingTarget')}`,
      colour: '#ae3ec9',
      value: (d) => share(d.tiers.township.meetingTarget, d.tiers.township.total),
    },
  ];
}

const dayDate = (day: string) => new Date(`${day}T00:00:00`);

export function trendChart(days: readonly CoverageSnapshot[], width = 720, height = 220): SVGSVGElement {
  const margin = { top: 12, right: 16, bottom: 24, left: 40 };
  const w = width - margin.left - margin.right;
  const hgt = height - margin.top - margin.bottom;
  const first = dayDate(days[0]?.day ?? '2000-01-01');
  const last = dayDate(days[days.length - 1]?.day ?? '2000-01-01');
  // One day alone still gets a span, so its point is not on the axis.
  const x = scaleTime()
    .domain([new Date(first.getTime() - 43_200_000), new Date(Math.max(last.getTime(), first.getTime()) + 43_200_000)])
    .range([0, w]);
  const y = scaleLinear().domain([0, 100]).range([hgt, 0]);
  const svg = select(document.createElementNS('http://www.w3.org/2000/svg', 'svg'))
    .attr('class', 'trend-chart')
    .attr('width', width)
    .attr('height', height)
    .attr('viewBox', `0 0 ${width} ${height}`);
  const g = svg.append('g').attr('transform', `translate(${margin.left},${margin.top})`);
  g.append('g')
    .attr('class', 'axis')
    .attr('transform', `translate(0,${hgt})`)
    .call(
      axisBottom(x)
        .ticks(Math.min(8, Math.max(2, days.length)))
        .tickFormat((d) => timeFormat('%m-%d')(d as Date)),
    );
  g.append('g')
    .attr('class', 'axis')
    .call(
      axisLeft(y)
        .ticks(5)
        .tickFormat((d) => `${d.valueOf()}%`),
    );
  for (const s of trendSeries()) {
    const points = days.flatMap((d) => {
      const v = s.value(d);
      return v === null ? [] : [{ day: d.day, at: dayDate(d.day), v }];
    });
    const path = line<(typeof points)[number]>()
      .x((p) => x(p.at))
      .y((p) => y(p.v));
    const sg = g.append('g').attr('class', `trend-series trend-${s.key}`).attr('data-series', s.key);
    sg.append('path').attr('fill', 'none').attr('stroke', s.colour).attr('stroke-width', 1.8).attr('d', path(points));
    sg.selectAll('circle')
      .data(points)
      .join('circle')
      .attr('cx', (p) => x(p.at))
      .attr('cy', (p) => y(p.v))
      .attr('r', days.length > 60 ? 1.2 : 2.6)
      .attr('fill', s.colour)
      .attr('data-day', (p) => p.day)
      .attr('data-value', (p) => p.v.toFixed(2))
      .append('title')
      .text((p) => `${p.day} ${s.label} ${p.v.toFixed(1)}%`);
  }
  const key = g.append('g').attr('class', 'chart-key').attr('transform', 'translate(6,4)');
  trendSeries().forEach((s, i) => {
    const row = key.append('g').attr('transform', `translate(${i * 150},0)`);
    row.append('rect').attr('width', 10).attr('height', 3).attr('y', 3).attr('fill', s.colour);
    row.append('text').attr('x', 13).attr('y', 8).text(s.label);
  });
  return svg.node()!;
}
