/**
 * A tiny element builder for the HTML parts of the UI (tables, panels, tiles).
 * Text always goes in as text nodes — never as HTML — so site names, device
 * descriptions and API error messages cannot inject markup.
 */
type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | ((e: Event) => void)>;

/**
 * @example h('td', { class: 'num' }, formatPercent(12.5))
 * @example h('button', { type: 'button', onclick: () => close() }, t('common.close'))
 * `on…` attributes become listeners and `style` is set through the CSSOM, so
 * nothing here needs inline script or inline style under the app's CSP.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Array<Child | Child[]>
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (k === 'style') setStyle(el, String(v));
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' || typeof c === 'number' ? String(c) : c);
  }
  return el;
}

/**
 * Sets `name: value; …` declarations one property at a time through the CSSOM:
 * the Content-Security-Policy refuses style attributes (and `cssText`), not
 * `style.setProperty`. Values must not hold a `;`.
 */
function setStyle(el: HTMLElement, declarations: string): void {
  for (const d of declarations.split(';')) {
    const colon = d.indexOf(':');
    if (colon > 0) el.style.setProperty(d.slice(0, colon).trim(), d.slice(colon + 1).trim());
  }
}

/** Replaces an element's content. */
export function replace(el: Element, ...children: Array<Child | Child[]>): void {
  el.replaceChildren();
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' || typeof c === 'number' ? String(c) : c);
  }
}

/** A utilization bar: `pct` percent filled (clamped to 0–100), coloured by `colour`. */
export function bar(pct: number | null, colour = '#228be6'): HTMLElement {
  const w = pct === null ? 0 : Math.max(0, Math.min(100, pct));
  return h('span', { class: 'bar', role: 'presentation' }, h('span', { class: 'bar-fill', style: `width:${w}%;background:${colour}` }));
}
