import { select, type Selection } from 'd3';
import type { TopologyLink } from '../../api/types';
import { t } from '../../i18n/i18n';
import type { LinkLook } from '../../topology/colour';
import { linkPath } from '../../topology/geometry';
import type { Layer, Scene } from './map-scene';

/**
 * The map's links: one visible path per link, restyled by live states, and
 * above them a wider transparent path per link that takes the clicks (styles.css).
 */
export type LinkSelection = Selection<SVGPathElement, TopologyLink, SVGGElement, unknown>;

/** Link width by tier, screen px (strokes do not scale with the zoom). */
const LINK_WIDTH: Record<string, number> = { 'city-internet': 5, 'city-county': 3.2, 'county-township': 1.6 };

/** The visible links, each with a `<title>` (filled by {@link retitleLinks}); backups a little thinner. */
export function drawLinks(viewport: Layer, scene: Scene): LinkSelection {
  const links = viewport
    .append('g')
    .attr('class', 'links')
    .selectAll<SVGPathElement, TopologyLink>('path')
    .data(scene.links, (d) => d.id)
    .join('path')
    .attr('class', (d) => `link link-${d.kind}`)
    .attr('data-link', (d) => d.id)
    .attr('d', (d) => linkPath(d.kind, scene.pos(d.source), scene.pos(d.target)))
    .attr('stroke-width', (d) => (LINK_WIDTH[d.tier] ?? 1.5) * (d.kind === 'backup' ? 0.8 : 1));
  links.append('title');
  return links;
}

/** The click targets over the links; a click opens the link and does not reach the background. */
export function drawLinkHits(viewport: Layer, scene: Scene, onLink: (id: string) => void): void {
  viewport
    .append('g')
    .attr('class', 'link-hits')
    .selectAll<SVGPathElement, TopologyLink>('path')
    .data(scene.links, (d) => d.id)
    .join('path')
    .attr('class', 'link-hit')
    .attr('data-link-hit', (d) => d.id)
    .attr('d', (d) => linkPath(d.kind, scene.pos(d.source), scene.pos(d.target)))
    .on('click', (e: MouseEvent, d) => {
      e.stopPropagation();
      onLink(d.id);
    });
}

/** Restyles links (all, or the given ids) — colour and dash only. */
export function applyLinkLooks(links: LinkSelection, lookOf: (link: TopologyLink) => LinkLook, ids?: readonly string[]): void {
  const only = ids ? new Set(ids) : undefined;
  links
    .filter((d) => !only || only.has(d.id))
    .each(function (d) {
      const look = lookOf(d);
      select(this).attr('stroke', look.stroke).attr('stroke-dasharray', look.dash).attr('data-look', look.kind);
    });
}

/** Tooltips in the UI language: id · kind · tier. */
export function retitleLinks(links: LinkSelection): void {
  links.select('title').text((d) => `${d.id} · ${t(`linkKind.${d.kind}`)} · ${t(`linkTier.${d.tier}`)}`);
}
