import type { TopologyNode } from '../../api/types';
import { SITE_STATUSES, type SiteStatus } from '../../coverage/model';
import { h, replace } from '../../dom';
import { t } from '../../i18n/i18n';
import { searchEntry, searchSites, type SearchEntry } from '../../topology/search';
import type { MapFilter, TopologyMap } from './map';

/**
 * The map's tools: search by name, pinyin or code (pinyin-pro, loaded on first
 * use), filters by county-level unit, tier and coverage class, and export of
 * the whole map as SVG or PNG.
 */
export interface MapToolsOptions {
  nodes: readonly TopologyNode[];
  map: () => TopologyMap | undefined;
  /** A search result was chosen. */
  onPick: (code: string) => void;
}

const RESULTS = 8;

export function mapTools(opts: MapToolsOptions): HTMLElement {
  const sites = opts.nodes.filter((n) => n.tier !== 'internet');
  let entries: Promise<SearchEntry[]> | undefined;
  const index = () =>
    (entries ??= import('pinyin-pro').then(({ pinyin }) =>
      sites.map((s) => searchEntry(s, (name) => pinyin(name, { toneType: 'none', type: 'array' }))),
    ));

  const results = h('ul', { class: 'map-search-results', 'data-testid': 'map-search-results', hidden: true });
  let shown: SearchEntry[] = [];
  const pick = (code: string) => {
    results.hidden = true;
    input.value = '';
    opts.onPick(code);
  };
  let seq = 0;
  const update = async () => {
    const mine = ++seq;
    const all = await index();
    if (mine !== seq) return;
    shown = searchSites(all, input.value, RESULTS);
    replace(
      results,
      shown.length
        ? shown.map((e) =>
            h(
              'li',
              {},
              h(
                'button',
                { type: 'button', 'data-site': e.id, onclick: () => pick(e.id) },
                h('span', {}, e.name),
                h('span', { class: 'code' }, e.id),
              ),
            ),
          )
        : h('li', { class: 'none' }, t('topo.searchNone')),
    );
    results.hidden = !input.value.trim();
  };
  const input = h('input', {
    type: 'search',
    class: 'map-search',
    'data-testid': 'map-search',
    placeholder: t('topo.search'),
    'aria-label': t('topo.search'),
    autocomplete: 'off',
    onfocus: () => void index(),
    oninput: () => void update(),
    onkeydown: (e: Event) => {
      const key = (e as KeyboardEvent).key;
      if (key === 'Enter') {
        e.preventDefault();
        void update().then(() => shown[0] && pick(shown[0].id));
      } else if (key === 'Escape') results.hidden = true;
    },
  });

  const filter: MapFilter = {};
  const apply = () => opts.map()?.setFilter(filter);
  const select = (testid: string, label: string, options: Array<[string, string]>, set: (v: string) => void) =>
    h(
      'select',
      {
        class: 'map-filter',
        'data-testid': testid,
        'aria-label': label,
        title: label,
        onchange: (e: Event) => (set((e.target as HTMLSelectElement).value), apply()),
      },
      options.map(([v, text]) => h('option', { value: v }, text)),
    );
  const counties = sites.filter((n) => n.tier === 'county').sort((a, b) => (a.id < b.id ? -1 : 1));
  const download = (blob: Blob, name: string) => {
    const a = h('a', { href: URL.createObjectURL(blob), download: name });
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  };

  return h(
    'div',
    { class: 'map-tools', 'data-testid': 'map-tools' },
    h('div', { class: 'map-search-box' }, input, results),
    select(
      'filter-county',
      t('topo.filterCounty'),
      [['', t('topo.allCounties')], ...counties.map((c): [string, string] => [c.id, c.name])],
      (v) => {
        filter.county = v || undefined;
      },
    ),
    select(
      'filter-tier',
      t('topo.filterTier'),
      [
        ['', t('topo.allTiers')],
        ['county', t('tier.county')],
        ['township', t('tier.township')],
      ],
      (v) => {
        filter.tier = (v || undefined) as MapFilter['tier'];
      },
    ),
    select(
      'filter-status',
      t('topo.filterStatus'),
      [['', t('topo.allStatuses')], ...SITE_STATUSES.map((s): [string, string] => [s, t(`status.${s}`)])],
      (v) => {
        filter.status = (v || undefined) as SiteStatus | undefined;
      },
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'map-export',
        'data-testid': 'export-svg',
        onclick: () => {
          const svg = opts.map()?.exportSvg();
          if (svg) download(new Blob([svg], { type: 'image/svg+xml' }), 'topology.svg');
        },
      },
      t('topo.exportSvg'),
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'map-export',
        'data-testid': 'export-png',
        onclick: () =>
          void opts
            .map()
            ?.exportPng()
            .then((b) => download(b, 'topology.png')),
      },
      t('topo.exportPng'),
    ),
  );
}
