import type { Selection } from 'd3';
import { t } from '../../i18n/i18n';
import { polar } from '../../topology/layout';
import type { Layer, Scene } from './map-scene';

/**
 * The tier guides: a dashed ring per tier, and the tier names (市, 县区, 乡镇街道)
 * in the gap between two fans of townships — the city's just off the centre,
 * the rings' on their ring.
 */
type RingLabel = { tier: 'city' | 'county' | 'township'; radius: number };
export type RingLabelSelection = Selection<SVGTextElement, RingLabel, SVGGElement, unknown>;

/** Distance of the city's tier label from the centre, layout px. */
const CITY_LABEL_RADIUS = 40;
/** Closer than this (radians) to the label angle, the internet exit would sit on the city's label. */
const EXIT_CLASH_ANGLE = 0.6;

export function drawRings(viewport: Layer, scene: Scene): void {
  viewport
    .append('g')
    .attr('class', 'rings')
    .selectAll('circle')
    .data(scene.layout.rings)
    .join('circle')
    .attr('r', (d) => d.radius)
    .attr('class', 'ring');
}

/** The tier labels, empty until {@link retranslateRingLabels}. */
export function drawRingLabels(viewport: Layer, scene: Scene): RingLabelSelection {
  const { labelAngle } = scene.layout;
  const cityLabel = cityLabelPosition(scene);
  return viewport
    .append('g')
    .attr('class', 'ring-labels')
    .selectAll<SVGTextElement, RingLabel>('text')
    .data([{ tier: 'city' as const, radius: 0 }, ...scene.layout.rings])
    .join('text')
    .attr('class', (d) => `ring-label ring-label-${d.tier}`)
    .attr('data-tier', (d) => d.tier)
    .attr('text-anchor', 'middle')
    .attr('dy', '0.35em')
    .attr('x', (d) => (d.radius ? polar(labelAngle, d.radius) : cityLabel).x)
    .attr('y', (d) => (d.radius ? polar(labelAngle, d.radius) : cityLabel).y);
}

/** The city's tier label goes opposite the internet exit when the exit sits in the same gap. */
function cityLabelPosition(scene: Scene): { x: number; y: number } {
  const { labelAngle } = scene.layout;
  const exitAngle = scene.nodes.filter((n) => n.tier === 'internet').map((n) => scene.pos(n.id).angle)[0];
  const clash =
    exitAngle !== undefined && Math.abs(Math.atan2(Math.sin(exitAngle - labelAngle), Math.cos(exitAngle - labelAngle))) < EXIT_CLASH_ANGLE;
  return polar(labelAngle + (clash ? Math.PI : 0), CITY_LABEL_RADIUS);
}

export function retranslateRingLabels(labels: RingLabelSelection): void {
  labels.text((d) => t(d.tier === 'city' ? 'tier.city' : d.tier === 'county' ? 'tier.county' : 'tier.township'));
}
