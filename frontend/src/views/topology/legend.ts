import { SITE_STATUS_COLOURS, SITE_STATUSES } from '../../coverage/model';
import { h } from '../../dom';
import { t } from '../../i18n/i18n';
import { DOWN_COLOUR, NOT_POLLED_COLOUR, PLANNED_COLOUR, STALE_COLOUR, STALE_DASH, UTILIZATION_STOPS } from '../../topology/colour';

/** The map's key: the utilization gradient and link styles, and the node coverage classes. */
export function legend(): HTMLElement {
  const gradient = `linear-gradient(to right, ${UTILIZATION_STOPS.map(([p, c]) => `${c} ${(p / 150) * 100}%`).join(', ')})`;
  const lineSwatch = (stroke: string, dash: string | null, curved = false) =>
    svgSwatch(curved ? 'M2,10 Q14,0 26,10' : 'M2,6 L26,6', stroke, dash);
  return h(
    'div',
    { class: 'legend', 'data-testid': 'legend' },
    h('div', { class: 'legend-title' }, t('topo.legendLinks')),
    h('div', { class: 'legend-gradient', style: `background:${gradient}` }),
    h('div', { class: 'legend-scale' }, ...UTILIZATION_STOPS.map(([p]) => h('span', {}, p === 150 ? '≥150%' : `${p}%`))),
    h(
      'div',
      { class: 'legend-row' },
      h('span', { class: 'legend-item' }, lineSwatch(NOT_POLLED_COLOUR, null), t('topo.notPolled')),
      h('span', { class: 'legend-item' }, lineSwatch(STALE_COLOUR, STALE_DASH), t('topo.stale')),
      h('span', { class: 'legend-item' }, lineSwatch(DOWN_COLOUR, '7 3'), t('topo.down')),
      h('span', { class: 'legend-item' }, lineSwatch(PLANNED_COLOUR, '5 4'), t('topo.planned')),
      h('span', { class: 'legend-item' }, lineSwatch('#555', null, true), t('topo.backup')),
    ),
    h('div', { class: 'legend-title' }, t('topo.legendNodes')),
    h(
      'div',
      { class: 'legend-row' },
      ...SITE_STATUSES.map((s) =>
        h(
          'span',
          { class: 'legend-item' },
          h('span', { class: `dot dot-${s}`, style: `background:${SITE_STATUS_COLOURS[s]}` }),
          t(`status.${s}`),
        ),
      ),
    ),
  );
}

function svgSwatch(d: string, stroke: string, dash: string | null): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('width', '28');
  svg.setAttribute('height', '12');
  svg.setAttribute('class', 'swatch');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', d);
  path.setAttribute('stroke', stroke);
  path.setAttribute('stroke-width', '2.5');
  path.setAttribute('fill', 'none');
  if (dash) path.setAttribute('stroke-dasharray', dash);
  svg.append(path);
  return svg;
}
