/**
 * Search of the map's sites by name (Chinese), pinyin (full or initials, no
 * tones, e.g. "huicheng" or "hcq" for 惠城区) or site code. The pinyin is
 * computed once per site by the caller's converter (pinyin-pro in the app), so
 * this stays pure.
 */

export interface SearchEntry {
  id: string;
  name: string;
  /** Full pinyin, lower case, no spaces or tones. */
  pinyin: string;
  /** First letters of each syllable. */
  initials: string;
}

/** One syllable per character, as pinyin-pro's `pinyin(name, { toneType: 'none', type: 'array' })` answers. */
export type ToPinyin = (name: string) => string[];

export function searchEntry(site: { id: string; name: string }, toPinyin: ToPinyin): SearchEntry {
  const syllables = toPinyin(site.name).map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, ''));
  return { id: site.id, name: site.name, pinyin: syllables.join(''), initials: syllables.map((s) => s[0] ?? '').join('') };
}

/** How well an entry matches a normalised query: lower is better, Infinity is no match. */
export function matchRank(e: SearchEntry, q: string): number {
  const code = e.id.toLowerCase();
  if (code === q) return 0;
  if (e.name === q) return 1;
  if (code.startsWith(q)) return 2;
  if (e.name.startsWith(q)) return 3;
  if (e.name.includes(q)) return 4;
  if (e.pinyin.startsWith(q)) return 5;
  if (e.initials.startsWith(q)) return 6;
  if (e.pinyin.includes(q)) return 7;
  if (q.length > 1 && e.initials.includes(q)) return 8;
  return Infinity;
}

/**
 * The best matches, best first (then shorter name, then code).
 *
 * @example searchSites(entries, 'hcq') // → [惠城区 …]
 */
export function searchSites(entries: readonly SearchEntry[], query: string, limit = 10): SearchEntry[] {
  const q = query.trim().toLowerCase().replace(/\s+/g, '');
  if (!q) return [];
  const hits: Array<{ e: SearchEntry; rank: number }> = [];
  for (const e of entries) {
    const rank = matchRank(e, q);
    if (rank !== Infinity) hits.push({ e, rank });
  }
  hits.sort((a, b) => a.rank - b.rank || a.e.name.length - b.e.name.length || (a.e.id < b.e.id ? -1 : a.e.id > b.e.id ? 1 : 0));
  return hits.slice(0, limit).map((h) => h.e);
}
