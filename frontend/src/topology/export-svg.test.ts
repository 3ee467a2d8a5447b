import { describe, expect, it } from 'vitest';
import { escapeXml, sceneToSvg } from './export-svg';

describe('sceneToSvg', () => {
  const svg = sceneToSvg({
    extent: 470,
    title: '网络拓扑',
    rings: [{ radius: 210 }, { radius: 440 }],
    links: [
      { id: 'L-1', d: 'M0,0L0,-210', stroke: '#1a9641', width: 1.6, dash: null },
      { id: 'L-2', d: 'M0,-210Q10,-300 0,-440', stroke: '#111111', width: 0.8, dash: '7 3' },
    ],
    nodes: [
      { id: '4413', x: 0, y: 0, r: 13, fill: '#2f9e44', stroke: '#34404d', shape: 'circle', title: '惠州市 (4413)' },
      { id: 'INTERNET', x: 50, y: 0, r: 10, fill: '#4dabf7', stroke: '#1864ab', shape: 'diamond', title: 'exit' },
    ],
    labels: [{ id: '4413', x: 0, y: 26, text: 'A&B <惠州>', size: 15, rotate: 0, anchor: 'middle', weight: 700 }],
  });
  const doc = new DOMParserLike(svg);

  it('is one SVG element, square, centred on the city', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="-470 -470 940 940"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(doc.count('<svg')).toBe(1);
  });

  it('has the rings, every link with its look, every node and name, in layers bottom to top', () => {
    expect(doc.count('<circle r=')).toBe(2);
    expect(svg).toContain('<path data-link="L-1" d="M0,0L0,-210" stroke="#1a9641" stroke-width="1.6"/>');
    expect(svg).toContain('data-link="L-2" d="M0,-210Q10,-300 0,-440" stroke="#111111" stroke-width="0.8" stroke-dasharray="7 3"');
    expect(svg).toContain('<circle data-node="4413" cx="0" cy="0" r="13" fill="#2f9e44"');
    expect(svg).toMatch(/<path data-node="INTERNET" d="M50,-13L63,0L50,13L37,0Z"/);
    const order = ['class="rings"', 'class="links"', 'class="nodes"', 'class="labels"'].map((m) => svg.indexOf(m));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('escapes names', () => {
    expect(svg).toContain('>A&amp;B &lt;惠州&gt;</text>');
    expect(escapeXml(`"'`)).toBe('&quot;&apos;');
  });
});

/** Counting occurrences is all these checks need (vitest runs in Node, without a DOM). */
class DOMParserLike {
  constructor(private readonly text: string) {}
  count(s: string): number {
    return this.text.split(s).length - 1;
  }
}
