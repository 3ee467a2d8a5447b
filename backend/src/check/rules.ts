import { contains, freeBlocks, formatPrefix, parsePrefix, rangeKeys, size, type Prefix } from '@extranet/topology';

/**
 * The graph's invariants, checked over plain rows (pure: check-store.ts reads
 * them). A write that was cut off half way (a killed process, a lost
 * connection) would break one of these; Neo4j's transactions are what keep
 * them, and `extranet check` is how an operator sees that they held.
 */

/** One prefix as stored. */
export interface PrefixFact {
  vrf: string;
  cidr: string;
  family: unknown;
  length: unknown;
  startHex: unknown;
  endHex: unknown;
  free: unknown;
  used: unknown;
  size: unknown;
  /** CIDRs of the prefixes it lies IN (one, or none for a root). */
  parents: string[];
}

/** One link as stored: the interface keys of its END relationships, and which of them hang on a device. */
export interface LinkFact {
  id: string;
  ends: { side: unknown; key: unknown; device: unknown }[];
}

export interface GraphFacts {
  prefixes: PrefixFact[];
  links: LinkFact[];
  /** Interface keys no device HAS. */
  orphanInterfaces: string[];
  /** Hostnames of devices AT no site (or at more than one). */
  unplacedDevices: string[];
  /** Request keys no prefix of their domain carries. */
  danglingRequestKeys: { vrf: string; key: string }[];
}

/** A closed set of what can be wrong, with stable codes. */
export type IssueCode =
  | 'PREFIX_INVALID'
  | 'PREFIX_FIELDS'
  | 'PREFIX_OVERLAP'
  | 'PREFIX_PARENT'
  | 'PREFIX_FREE'
  | 'PREFIX_USED'
  | 'LINK_ENDS'
  | 'INTERFACE_ORPHAN'
  | 'DEVICE_UNPLACED'
  | 'REQUEST_KEY_DANGLING';

export interface Issue {
  code: IssueCode;
  /** What it is about: `prefix ipv4 10.0.0.0/8`, `link L1`, … */
  subject: string;
  message: string;
}

export interface CheckReport {
  ok: boolean;
  counts: { prefixes: number; links: number };
  issues: Issue[];
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const asPrefix = (text: string): Prefix | undefined => {
  try {
    return parsePrefix(text);
  } catch {
    return undefined;
  }
};

/** Every invariant over the facts; `ok` when there is no issue. */
export function checkGraph(facts: GraphFacts): CheckReport {
  const issues: Issue[] = [...checkPrefixes(facts.prefixes), ...checkLinks(facts.links)];
  for (const key of facts.orphanInterfaces) {
    issues.push({ code: 'INTERFACE_ORPHAN', subject: `interface ${key}`, message: 'no device HAS this interface' });
  }
  for (const h of facts.unplacedDevices) {
    issues.push({ code: 'DEVICE_UNPLACED', subject: `device ${h}`, message: 'the device is AT no site, or at more than one' });
  }
  for (const k of facts.danglingRequestKeys) {
    issues.push({
      code: 'REQUEST_KEY_DANGLING',
      subject: `request key ${k.vrf} ${k.key}`,
      message: 'the key is claimed but no prefix of its domain carries it (an allocation that did not finish would leave this)',
    });
  }
  return { ok: issues.length === 0, counts: { prefixes: facts.prefixes.length, links: facts.links.length }, issues };
}

interface Parsed {
  fact: PrefixFact;
  prefix: Prefix;
}

/**
 * Prefixes: each a valid normalised CIDR whose stored range keys, family and
 * length match it; no two of one domain overlapping unless one lies (through
 * IN) inside the other; each IN exactly its smallest container; each
 * prefix's stored free list the blocks its children leave, and its used and
 * size counts derived from them.
 */
export function checkPrefixes(facts: readonly PrefixFact[]): Issue[] {
  const issues: Issue[] = [];
  const byVrf = new Map<string, Parsed[]>();
  for (const f of facts) {
    const subject = `prefix ${f.vrf} ${f.cidr}`;
    const p = asPrefix(f.cidr);
    if (!p || formatPrefix(p) !== f.cidr) {
      issues.push({ code: 'PREFIX_INVALID', subject, message: `the stored CIDR is not a normalised prefix` });
      continue;
    }
    const keys = rangeKeys(p);
    if (f.family !== p.family || f.length !== p.length || f.startHex !== keys.startHex || f.endHex !== keys.endHex) {
      issues.push({ code: 'PREFIX_FIELDS', subject, message: 'family, length or range keys do not match the CIDR' });
    }
    byVrf.set(f.vrf, [...(byVrf.get(f.vrf) ?? []), { fact: f, prefix: p }]);
  }
  for (const rows of byVrf.values()) {
    // Address order, the larger first at one start: a stack of open containers gives each its smallest container.
    rows.sort((a, b) => a.prefix.family - b.prefix.family || cmp(a.prefix.start, b.prefix.start) || a.prefix.length - b.prefix.length);
    const stack: Parsed[] = [];
    const children = new Map<Parsed, Prefix[]>();
    for (const r of rows) {
      while (stack.length && !contains(stack.at(-1)!.prefix, r.prefix)) stack.pop();
      const container = stack.at(-1);
      const subject = `prefix ${r.fact.vrf} ${r.fact.cidr}`;
      const stored = r.fact.parents;
      const expected = container?.fact.cidr;
      if (stored.length > 1) {
        issues.push({ code: 'PREFIX_PARENT', subject, message: `lies IN ${stored.length} prefixes (${stored.join(', ')}); one at most` });
      } else if (stored[0] !== expected) {
        const storedParent = stored[0] === undefined ? undefined : rows.find((x) => x.fact.cidr === stored[0]);
        // Stored IN an ancestor of its smallest container (or as a root): it sits beside a prefix that holds it.
        const beside = container && (!storedParent || contains(storedParent.prefix, container.prefix));
        issues.push(
          beside
            ? {
                code: 'PREFIX_OVERLAP',
                subject,
                message: `overlaps ${container.fact.cidr} without lying in it (stored IN ${stored[0] ?? 'nothing: a root'})`,
              }
            : {
                code: 'PREFIX_PARENT',
                subject,
                message: `lies IN ${stored[0] ?? 'nothing'}; its smallest container is ${expected ?? 'none'}`,
              },
        );
      }
      if (container) children.set(container, [...(children.get(container) ?? []), r.prefix]);
      stack.push(r);
    }
    for (const r of rows) issues.push(...checkCounters(r, children.get(r) ?? []));
  }
  return issues;
}

function checkCounters(r: Parsed, children: readonly Prefix[]): Issue[] {
  const subject = `prefix ${r.fact.vrf} ${r.fact.cidr}`;
  const want = freeBlocks(r.prefix, children).map(formatPrefix);
  const stored = Array.isArray(r.fact.free) ? (r.fact.free as unknown[]).map(String) : undefined;
  const out: Issue[] = [];
  if (!stored || !sameList(stored, want)) {
    out.push({
      code: 'PREFIX_FREE',
      subject,
      message: `stored free list [${(stored ?? []).slice(0, 4).join(', ')}${(stored?.length ?? 0) > 4 ? ', …' : ''}] is not what its ${children.length} children leave [${want.slice(0, 4).join(', ')}${want.length > 4 ? ', …' : ''}]`,
    });
  }
  const total = size(r.prefix);
  const used = total - want.reduce((n, b) => n + size(parsePrefix(b)), 0n);
  if (String(r.fact.size) !== total.toString() || String(r.fact.used) !== used.toString()) {
    out.push({
      code: 'PREFIX_USED',
      subject,
      message: `stored used ${String(r.fact.used)} of ${String(r.fact.size)}; its children use ${used} of ${total}`,
    });
  }
  return out;
}

/** Links: exactly two ends, sides a and b, each an interface some device HAS. */
export function checkLinks(links: readonly LinkFact[]): Issue[] {
  const issues: Issue[] = [];
  for (const l of links) {
    const subject = `link ${l.id}`;
    const sides = l.ends.map((e) => e.side).sort();
    if (l.ends.length !== 2 || sides[0] !== 'a' || sides[1] !== 'b') {
      issues.push({
        code: 'LINK_ENDS',
        subject,
        message: `has ${l.ends.length} end(s) (sides ${sides.join(', ') || 'none'}); a link has exactly two, a and b`,
      });
      continue;
    }
    for (const e of l.ends) {
      if (typeof e.device !== 'string') {
        issues.push({ code: 'LINK_ENDS', subject, message: `end ${String(e.side)} (${String(e.key)}) is an interface no device HAS` });
      }
    }
  }
  return issues;
}

const cmp = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
