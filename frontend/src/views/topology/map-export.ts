import { sceneToSvg, type SvgScene } from '../../topology/export-svg';
import { linkPath } from '../../topology/geometry';
import { radialLabel } from '../../topology/labels';
import type { DrawState } from './map-draw';
import type { Scene } from './map-scene';

/**
 * The whole map as SVG, every site, link and name the filters show, in layout
 * px: names and strokes sized to the room around them so a viewer can zoom in
 * on any part (a national map is large: tens of thousands of elements).
 */
export function mapSvg(scene: Scene, state: DrawState, title: string): string {
  const nodes = scene.nodes.filter((n) => state.shown(n));
  const ids = new Set(nodes.map((n) => n.id));
  const room = (tier: string) => (tier === 'township' ? scene.spacing.township : tier === 'county' ? scene.spacing.county : 40);
  const svg: SvgScene = {
    extent: scene.extent + 40,
    title,
    rings: scene.layout.rings.map((r) => ({ radius: r.radius })),
    links: scene.links
      .filter((l) => ids.has(l.a.id) && ids.has(l.b.id))
      .map((l) => {
        const look = state.looks.get(l.id);
        const fine = Math.min(room(l.a.tier), room(l.b.tier));
        return {
          id: l.id,
          d: linkPath(l.kind, l.a, l.b),
          stroke: look?.stroke ?? '#ced4da',
          width: Math.min(l.width / 2, fine * 0.3),
          dash: look?.dash ?? null,
        };
      }),
    nodes: nodes.map((n) => ({
      id: n.id,
      x: n.x,
      y: n.y,
      r: n.r,
      fill: state.fill(n, state.status.get(n.id)),
      stroke: n.tier === 'internet' ? '#1864ab' : '#34404d',
      shape: n.tier === 'internet' ? 'diamond' : 'circle',
      title: `${n.name} (${n.id})`,
    })),
    labels: nodes.map((n) => {
      const text = n.tier === 'internet' ? state.texts.internet : n.name;
      if (n.tier === 'township') {
        const l = radialLabel(n.angle, n.r + 1.5);
        const size = Math.min(9, scene.spacing.township * 0.8);
        const p = { x: n.x + Math.cos((l.rotate * Math.PI) / 180) * l.dx, y: n.y + Math.sin((l.rotate * Math.PI) / 180) * l.dx };
        return { id: n.id, x: p.x, y: p.y, text, size, rotate: l.rotate, anchor: l.anchor, weight: 400 };
      }
      const size = n.tier === 'county' ? Math.min(12.5, scene.spacing.county * 0.5) : n.tier === 'city' ? 15 : 12;
      return { id: n.id, x: n.x, y: n.y + n.r + size, text, size, rotate: 0, anchor: 'middle' as const, weight: 600 };
    }),
  };
  return sceneToSvg(svg);
}
