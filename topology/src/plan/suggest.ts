/**
 * "Did you mean …?" for near-miss references in hand-edited plans.
 * Plain Levenshtein distance: plans hold at most a few thousand names, so the
 * O(n·m) per pair is cheap next to reading the files.
 */

/**
 * Edit distance between two strings: insertions, deletions, substitutions and
 * swaps of two adjacent characters (optimal string alignment), because a
 * swapped pair of digits (441320 for 441302) is the commonest typo in codes.
 * Compared by Unicode code point, so a Chinese character is one edit.
 *
 * @example editDistance('GigabitEthernet0/0/1', 'GigabitEthernet0/0/0') // 1
 * @example editDistance('441320', '441302') // 1
 */
export function editDistance(a: string, b: string): number {
  const s = Array.from(a);
  const t = Array.from(b);
  let before: number[] = [];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) row[j] = Math.min(row[j]!, before[j - 2]! + 1);
    }
    before = prev;
    prev = row;
  }
  return prev[t.length]!;
}

/**
 * The candidate closest to `wanted`, if it is close enough to be a plausible
 * typo: at most a third of the wanted length (min 1, max 3) edits away, or
 * equal ignoring case. Ties go to the first candidate in sorted order, so the
 * suggestion is deterministic.
 *
 * @example closestMatch('hz-4413-core-1', ['hz-4413-core-01', 'hz-4413-bak-01']) // 'hz-4413-core-01'
 */
export function closestMatch(wanted: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.floor(Array.from(wanted).length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of [...candidates].sort()) {
    const distance = candidate.toLowerCase() === wanted.toLowerCase() ? 0 : editDistance(wanted, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/**
 * A hint for a reference that resolves to nothing: "did you mean X?" when a
 * candidate is close, otherwise undefined (the message already says what is missing).
 */
export function didYouMean(wanted: string, candidates: Iterable<string>): string | undefined {
  const match = closestMatch(wanted, candidates);
  return match === undefined ? undefined : `did you mean ${match}?`;
}
