import { select, type Selection } from 'd3';
import type { TopologyNode } from '../../api/types';
import { t } from '../../i18n/i18n';
import { radialLabel } from '../../topology/labels';
import { NODE_RADIUS, type Layer, type Scene } from './map-scene';

/**
 * The node names: a township's runs outwards along its ray (shown from a zoom
 * threshold on, styles.css `.show-township-labels`); the others sit centred
 * under their node. Site names are official and stay Chinese in every language.
 */
export type LabelSelection = Selection<SVGTextElement, TopologyNode, SVGGElement, unknown>;

export function drawNodeLabels(viewport: Layer, scene: Scene): LabelSelection {
  return viewport
    .append('g')
    .attr('class', 'labels')
    .selectAll<SVGTextElement, TopologyNode>('text')
    .data(scene.nodes, (d) => d.id)
    .join('text')
    .attr('class', (d) => `label label-${d.tier}`)
    .attr('data-label', (d) => d.id)
    .text((d) => d.name)
    .each(function (d) {
      const p = scene.pos(d.id);
      const el = select(this);
      if (d.tier === 'township') {
        const l = radialLabel(p.angle, NODE_RADIUS.township! + 3);
        el.attr('transform', `translate(${p.x.toFixed(2)},${p.y.toFixed(2)}) rotate(${l.rotate.toFixed(2)})`)
          .attr('x', l.dx)
          .attr('dy', '0.35em')
          .attr('text-anchor', l.anchor);
      } else {
        el.attr('x', p.x)
          .attr('y', p.y + (NODE_RADIUS[d.tier] ?? 6) + 13)
          .attr('text-anchor', 'middle');
      }
    });
}

/** The internet exit is ours to name, so its label follows the UI language. */
export function retranslateNodeLabels(labels: LabelSelection): void {
  labels.filter((d) => d.tier === 'internet').text(t('tier.internet'));
}
