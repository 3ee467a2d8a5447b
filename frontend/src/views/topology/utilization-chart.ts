import { axisBottom, axisLeft, line, max, scaleLinear, scaleTime, select, timeFormat } from 'd3';
import type { LinkUtilization } from '../../api/types';
import { t } from '../../i18n/i18n';
// By path: the nearest-rank rule of the daily figures, not the whole domain index.
import { nearestRank } from '../../../../topology/src/monitor/percentile';

/**
 * A link's utilization over time: in and out, in percent of the capacity the
 * link had at each sample (bps scaled to Mbps when the capacity was unknown).
 * The y axis fits the data (a quiet link is not a flat line on a 0–100 axis);
 * a dashed line marks 100 % when it is in range. The x axis ends where `range`
 * (the window asked for) ends and starts at its start or at the first sample,
 * whichever is later, so a link watched for an hour fills the chart.
 * With `opts.p95`, the 95th percentile (nearest rank, the billing rule) of the
 * samples drawn is marked per direction as a dashed line, in the chart's unit
 * (`data-value` on each `line.p95`).
 */
export function utilizationChart(
  samples: LinkUtilization['samples'],
  width = 340,
  range?: [Date, Date],
  height = 180,
  opts: { p95?: boolean } = {},
): SVGSVGElement {
  const margin = { top: 10, right: 26, bottom: 24, left: 44 }; // right: room for half of the last time label
  const w = width - margin.left - margin.right;
  const hgt = height - margin.top - margin.bottom;
  const inPct = samples.every((s) => s.inPct !== null && s.outPct !== null);
  const points = samples.map((s) => ({
    at: new Date(s.at),
    in: inPct ? s.inPct! : s.inBps / 1e6,
    out: inPct ? s.outPct! : s.outBps / 1e6,
  }));
  const top = max(points, (p) => Math.max(p.in, p.out)) ?? 0;
  const x = scaleTime()
    .domain([
      new Date(Math.max(range?.[0].getTime() ?? -Infinity, points[0]?.at.getTime() ?? range?.[0].getTime() ?? Date.now())),
      range?.[1] ?? points[points.length - 1]?.at ?? new Date(),
    ])
    .range([0, w]);
  const y = scaleLinear()
    .domain([0, Math.max(top * 1.15, inPct ? 1 : 0.1)])
    .nice()
    .range([hgt, 0]);

  const svg = select(document.createElementNS('http://www.w3.org/2000/svg', 'svg'))
    .attr('class', 'util-chart')
    .attr('width', width)
    .attr('height', height)
    .attr('viewBox', `0 0 ${width} ${height}`);
  const g = svg.append('g').attr('transform', `translate(${margin.left},${margin.top})`);
  g.append('g')
    .attr('class', 'axis')
    .attr('transform', `translate(0,${hgt})`)
    .call(
      axisBottom(x)
        .ticks(5)
        .tickFormat((d) => timeTick(x.domain())(d as Date)),
    );
  g.append('g')
    .attr('class', 'axis')
    .call(
      axisLeft(y)
        .ticks(4)
        .tickFormat((d) => `${d.valueOf()}${inPct ? '%' : ''}`),
    );
  if (!inPct) g.append('text').attr('class', 'axis-unit').attr('x', 2).attr('y', -2).text('Mbps');
  if (inPct && y.domain()[1]! >= 100) {
    g.append('line').attr('class', 'limit').attr('x1', 0).attr('x2', w).attr('y1', y(100)).attr('y2', y(100));
  }
  const series: Array<{ key: 'in' | 'out'; colour: string; label: string }> = [
    { key: 'in', colour: '#1c7ed6', label: t('panel.in') },
    { key: 'out', colour: '#e8590c', label: t('panel.out') },
  ];
  for (const s of series) {
    const path = line<(typeof points)[number]>()
      .x((p) => x(p.at))
      .y((p) => y(p[s.key]));
    g.append('path')
      .attr('class', `series series-${s.key}`)
      .attr('fill', 'none')
      .attr('stroke', s.colour)
      .attr('stroke-width', 1.6)
      .attr('d', path(points));
    // A few samples (a link just taken under watch) read better as dots than as a line that is not there yet.
    if (points.length <= 30) {
      g.append('g')
        .attr('class', `dots dots-${s.key}`)
        .selectAll('circle')
        .data(points)
        .join('circle')
        .attr('cx', (p) => x(p.at))
        .attr('cy', (p) => y(p[s.key]))
        .attr('r', 2.2)
        .attr('fill', s.colour);
    }
  }
  if (opts.p95) {
    for (const s of series) {
      const p95 = nearestRank(
        points.map((p) => p[s.key]),
        95,
      );
      if (p95 === undefined) continue;
      g.append('line')
        .attr('class', `p95 p95-${s.key}`)
        .attr('data-value', p95.toFixed(3))
        .attr('stroke', s.colour)
        .attr('stroke-dasharray', '6 3')
        .attr('x1', 0)
        .attr('x2', w)
        .attr('y1', y(p95))
        .attr('y2', y(p95))
        .append('title')
        .text(`${s.label} P95 ${p95.toFixed(2)}${inPct ? '%' : ' Mbps'}`);
    }
  }
  const key = g
    .append('g')
    .attr('class', 'chart-key')
    .attr('transform', `translate(${w - 90},4)`);
  series.forEach((s, i) => {
    const row = key.append('g').attr('transform', `translate(${i * 46},0)`);
    row.append('rect').attr('width', 10).attr('height', 3).attr('y', 3).attr('fill', s.colour);
    row.append('text').attr('x', 13).attr('y', 8).text(s.label);
  });
  return svg.node()!;
}

/** Tick labels that stay distinct for the span shown: seconds within 10 minutes, dates beyond 2 days. */
export function timeTick([from, to]: Date[]): (d: Date) => string {
  const span = (to?.getTime() ?? 0) - (from?.getTime() ?? 0);
  return timeFormat(span <= 10 * 60_000 ? '%H:%M:%S' : span <= 2 * 86_400_000 ? '%H:%M' : '%m-%d');
}
