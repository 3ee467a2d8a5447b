/**
 * The map as a standalone SVG document, for export: every site, link and name
 * in layout coordinates (a viewer zooms it), coloured as on screen. Pure: the
 * map hands over what it draws, this writes the markup.
 */

export interface SvgScene {
  /** Half the side of the square drawn, layout px, centred on the city. */
  extent: number;
  title: string;
  rings: Array<{ radius: number }>;
  links: Array<{ id: string; d: string; stroke: string; width: number; dash: string | null }>;
  nodes: Array<{ id: string; x: number; y: number; r: number; fill: string; stroke: string; shape: 'circle' | 'diamond'; title: string }>;
  labels: Array<{
    id: string;
    x: number;
    y: number;
    text: string;
    size: number;
    rotate: number;
    anchor: 'start' | 'middle' | 'end';
    weight: number;
  }>;
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const n = (v: number) => String(Math.round(v * 100) / 100);

export function sceneToSvg(s: SvgScene): string {
  const e = s.extent;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${n(-e)} ${n(-e)} ${n(2 * e)} ${n(2 * e)}" width="${n(2 * e)}" height="${n(2 * e)}" font-family="Noto Sans CJK SC, sans-serif">`,
    `<title>${escapeXml(s.title)}</title>`,
    `<rect x="${n(-e)}" y="${n(-e)}" width="${n(2 * e)}" height="${n(2 * e)}" fill="#fbfcfd"/>`,
    '<g class="rings" fill="none" stroke="#e3e8ee" stroke-dasharray="2 4">',
    ...s.rings.map((r) => `<circle r="${n(r.radius)}"/>`),
    '</g>',
    '<g class="links" fill="none" stroke-linecap="round">',
    ...s.links.map(
      (l) =>
        `<path data-link="${escapeXml(l.id)}" d="${l.d}" stroke="${l.stroke}" stroke-width="${n(l.width)}"${l.dash ? ` stroke-dasharray="${l.dash}"` : ''}/>`,
    ),
    '</g>',
    '<g class="nodes" stroke-width="0.6">',
    ...s.nodes.map((d) => {
      const title = `<title>${escapeXml(d.title)}</title>`;
      if (d.shape === 'diamond') {
        const r = d.r * 1.3;
        return `<path data-node="${escapeXml(d.id)}" d="M${n(d.x)},${n(d.y - r)}L${n(d.x + r)},${n(d.y)}L${n(d.x)},${n(d.y + r)}L${n(d.x - r)},${n(d.y)}Z" fill="${d.fill}" stroke="${d.stroke}">${title}</path>`;
      }
      return `<circle data-node="${escapeXml(d.id)}" cx="${n(d.x)}" cy="${n(d.y)}" r="${n(d.r)}" fill="${d.fill}" stroke="${d.stroke}">${title}</circle>`;
    }),
    '</g>',
    '<g class="labels" fill="#25313d" stroke="#fbfcfd" stroke-linejoin="round" paint-order="stroke">',
    ...s.labels.map(
      (l) =>
        `<text data-label="${escapeXml(l.id)}" transform="translate(${n(l.x)},${n(l.y)}) rotate(${n(l.rotate)})" font-size="${n(l.size)}" font-weight="${l.weight}" stroke-width="${n(l.size / 4)}" text-anchor="${l.anchor}" dy="0.35em">${escapeXml(l.text)}</text>`,
    ),
    '</g>',
    '</svg>',
  ];
  return out.join('\n');
}
