/**
 * Which row of an agent's interface table is the plan's interface?
 *
 * The plan names interfaces by ifName (IF-MIB ifXTable, RFC 2863 §6). ifIndex is
 * only a row number: it may renumber after a reboot (RFC 2863 §3.1.5 allows it
 * unless ifIndex persistence is configured), so it is never the key — every poll
 * resolves names afresh and the caller notices when the index moved.
 *
 * Rules, in order, each by exact (case-sensitive) string equality:
 * 1. `ifName`  — the normal case;
 * 2. `ifAlias` — the operator's description, for agents whose ifName is
 *    unhelpful (some put the plan's name in the description);
 * 3. `ifDescr` — old agents without ifXTable.
 * A rule that matches two or more rows is **ambiguous** and the search stops
 * there (guessing would read the wrong port's counters); a row already taken
 * by another wanted name's ifName is not offered to the fallbacks.
 */

/** The identifying columns of one agent interface row. */
export interface AgentInterfaceRow {
  ifIndex: number;
  ifName: string;
  ifAlias: string;
  ifDescr: string;
}

export type MatchedBy = 'ifName' | 'ifAlias' | 'ifDescr';

export type InterfaceMatch =
  | { ok: true; ifIndex: number; by: MatchedBy }
  | { ok: false; reason: 'missing' }
  | { ok: false; reason: 'ambiguous'; by: MatchedBy; ifIndexes: number[] };

/**
 * Resolve every wanted plan interface name against the agent's rows.
 *
 * @example
 * matchInterfaces(['Gi0/0/1'], [{ ifIndex: 7, ifName: 'Gi0/0/1', ifAlias: '', ifDescr: 'GigabitEthernet0/0/1' }])
 * // → Map { 'Gi0/0/1' => { ok: true, ifIndex: 7, by: 'ifName' } }
 */
export function matchInterfaces(wanted: Iterable<string>, rows: Iterable<AgentInterfaceRow>): Map<string, InterfaceMatch> {
  const list = [...rows];
  const index = (column: MatchedBy) => {
    const m = new Map<string, number[]>();
    for (const r of list) {
      const v = r[column];
      if (v === '') continue;
      const at = m.get(v);
      if (at) at.push(r.ifIndex);
      else m.set(v, [r.ifIndex]);
    }
    return m;
  };
  const byName = index('ifName');
  const names = [...new Set(wanted)];
  const taken = new Set<number>();
  for (const n of names) {
    const hits = byName.get(n);
    if (hits?.length === 1) taken.add(hits[0]!);
  }
  const fallbacks: Array<[MatchedBy, Map<string, number[]>]> = [
    ['ifAlias', index('ifAlias')],
    ['ifDescr', index('ifDescr')],
  ];

  const out = new Map<string, InterfaceMatch>();
  for (const n of names) {
    const direct = byName.get(n);
    if (direct !== undefined) {
      out.set(
        n,
        direct.length === 1
          ? { ok: true, ifIndex: direct[0]!, by: 'ifName' }
          : { ok: false, reason: 'ambiguous', by: 'ifName', ifIndexes: direct },
      );
      continue;
    }
    let result: InterfaceMatch = { ok: false, reason: 'missing' };
    for (const [by, table] of fallbacks) {
      const hits = (table.get(n) ?? []).filter((i) => !taken.has(i));
      if (hits.length === 0) continue;
      result = hits.length === 1 ? { ok: true, ifIndex: hits[0]!, by } : { ok: false, reason: 'ambiguous', by, ifIndexes: hits };
      break;
    }
    out.set(n, result);
  }
  return out;
}
