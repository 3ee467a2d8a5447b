import { compare, contains, parsePrefix, size, type Prefix } from '../cidr/prefix';
import { freeBlocks } from '../cidr/free';
import { DomainError, type ErrorCode } from '../errors';
import type { AddressPlan } from './address-plan';
import type { PrefixImportRow } from './csv';

/**
 * Plans a bulk import of prefixes into the stored tree, in memory, in
 * O(n log n) for n stored and new prefixes: one sort and one sweep build the
 * tree both will form (every prefix IN its smallest container), then each new
 * row is checked with the rules of recording one prefix (`assignPrefix`):
 * it lies inside a container of its domain, that container is neither
 * deprecated nor reserved, its length fits the pool's policy, and it is put
 * above stored prefixes only as a `container` (which then holds them).
 * Rows are taken shortest first, then by CSV line — so the first error is the
 * one importing the rows one by one in that order would meet. A row already
 * stored (or repeated in the CSV) is skipped.
 */

/** A stored prefix, as much as the plan needs of it. */
export interface StoredPrefix {
  vrf: string;
  cidr: string;
  status: string;
  role: string;
  pool: string;
  description: string;
}

/** A new prefix, ready to write: under `parent` (a stored or new prefix), with its free list. */
export interface PlannedPrefix {
  row: PrefixImportRow;
  parent: string;
  role: string;
  pool: string;
  /** Its free list: itself minus the prefixes it holds (stored ones it takes over and new ones). */
  free: Prefix[];
}

export interface ImportPlan {
  /** The new prefixes, shortest first: every container before what it holds. */
  created: PlannedPrefix[];
  /** Rows already stored, or repeated. */
  skipped: number;
  /** Stored prefixes that move under a new container. */
  moved: { vrf: string; cidr: string; parent: string }[];
  /** Stored prefixes that get new children, with the blocks those cover (to take from their free lists). */
  filled: { vrf: string; cidr: string; blocks: Prefix[] }[];
}

export interface ImportPlanOptions {
  plan?: AddressPlan | undefined;
  /** The length policy of a pool (`checkPolicy`); throws LENGTH_OUTSIDE_POLICY. */
  checkLength: (pool: string, family: 4 | 6, length: number, role: string | undefined) => void;
}

interface Node {
  prefix: Prefix;
  end: bigint;
  stored?: StoredPrefix;
  row?: PrefixImportRow;
  parent?: Node;
  children: Node[];
  /** New rows: the stored prefixes right below it (no stored prefix between). */
  storedBelow: Node[];
  /** Known once the row is checked (stored prefixes: theirs). */
  role: string;
  pool: string;
}

const keyOf = (vrf: string, cidr: string) => `${vrf} ${cidr}`;
const cidrOf = (n: Node) => n.stored?.cidr ?? n.row!.cidr;
const statusOf = (n: Node) => n.stored?.status ?? n.row!.status;

function rowError(
  row: PrefixImportRow,
  code: ErrorCode,
  message: string,
  opts: { hint?: string; details?: Record<string, unknown> } = {},
): DomainError {
  return new DomainError(code, `CSV line ${row.line} (${row.cidr}): ${message}`, { field: `csv:${row.line}`, ...opts });
}

export function planPrefixImport(stored: readonly StoredPrefix[], rows: readonly PrefixImportRow[], opts: ImportPlanOptions): ImportPlan {
  const storedKeys = new Set(stored.map((s) => keyOf(s.vrf, s.cidr)));
  const seen = new Set<string>();
  const ordered = [...rows].sort((a, b) => a.prefix.length - b.prefix.length || a.line - b.line);
  const fresh: PrefixImportRow[] = [];
  for (const r of ordered) {
    const k = keyOf(r.vrf, r.cidr);
    if (storedKeys.has(k) || seen.has(k)) continue;
    seen.add(k);
    fresh.push(r);
  }

  // One group per domain and family: the stored prefixes there and the new ones.
  const groups = new Map<string, Node[]>();
  const group = (vrf: string, family: number) => {
    const g = `${vrf} ${family}`;
    let nodes = groups.get(g);
    if (!nodes) groups.set(g, (nodes = []));
    return nodes;
  };
  const node = (prefix: Prefix, x: Pick<Node, 'stored' | 'row'>): Node => ({
    prefix,
    end: prefix.start + size(prefix),
    ...x,
    children: [],
    storedBelow: [],
    role: x.stored?.role ?? '',
    pool: x.stored?.pool ?? '',
  });
  const rowNodes = new Map<PrefixImportRow, Node>();
  for (const r of fresh) {
    const n = node(r.prefix, { row: r });
    rowNodes.set(r, n);
    group(r.vrf, r.prefix.family).push(n);
  }
  for (const s of stored) {
    const p = parsePrefix(s.cidr);
    groups.get(`${s.vrf} ${p.family}`)?.push(node(p, { stored: s }));
  }

  // The sweep: in address order (supernets first), the open containers form a stack.
  for (const nodes of groups.values()) {
    nodes.sort((a, b) => compare(a.prefix, b.prefix));
    const open: Node[] = [];
    for (const n of nodes) {
      while (open.length && !contains(open.at(-1)!.prefix, n.prefix)) open.pop();
      const parent = open.at(-1);
      if (parent) {
        n.parent = parent;
        parent.children.push(n);
      }
      open.push(n);
    }
    // A stored prefix under new ones is "right below" each new one up to the next stored prefix.
    for (const n of nodes) {
      if (!n.stored) continue;
      for (let up = n.parent; up && !up.stored; up = up.parent) up.storedBelow.push(n);
    }
  }

  const created: PlannedPrefix[] = [];
  const moved: ImportPlan['moved'] = [];
  const filled = new Map<Node, Prefix[]>();
  for (const r of fresh) {
    const n = rowNodes.get(r)!;
    const c = n.parent;
    if (!c) {
      const roots = opts.plan?.rootBlocks.filter((b) => b.domain === r.vrf && b.prefix.family === r.prefix.family).map((b) => b.cidr) ?? [];
      throw rowError(r, 'PREFIX_OUTSIDE_CONTAINER', `${r.cidr} lies outside every prefix of domain ${r.vrf}`, {
        hint: roots.length
          ? `the IPv${r.prefix.family} roots of ${r.vrf} are ${roots.join(', ')}`
          : `domain ${r.vrf} has no IPv${r.prefix.family} root: run "extranet ipam provision" or check the domain`,
      });
    }
    const status = statusOf(c);
    if (status === 'deprecated') throw rowError(r, 'BAD_REQUEST', `${cidrOf(c)} is deprecated`);
    if (status === 'reserved') {
      throw rowError(
        r,
        'PREFIX_OVERLAP',
        `${r.cidr} lies inside reserved ${cidrOf(c)} (${(c.stored?.description ?? c.row!.description) || 'reserved'})`,
        {
          hint: 'release the reservation first if this use is intended',
          details: { overlaps: [cidrOf(c)] },
        },
      );
    }
    try {
      opts.checkLength(c.pool, r.prefix.family, r.prefix.length, r.role);
    } catch (e) {
      if (e instanceof DomainError)
        throw rowError(r, e.code, e.message, { ...(e.hint && { hint: e.hint }), ...(e.details && { details: e.details }) });
      throw e;
    }
    if (n.storedBelow.length && r.status !== 'container') {
      const first = n.storedBelow[0]!.stored!;
      throw rowError(r, 'PREFIX_OVERLAP', `${r.cidr} overlaps ${first.cidr} (${first.status}) in ${r.vrf}`, {
        hint: 'choose a free block (GET /api/ipam/free), or record it as a container above the existing prefixes',
        details: { overlaps: n.storedBelow.map((s) => s.stored!.cidr) },
      });
    }
    n.pool = c.pool;
    n.role = r.role ?? c.role;
    created.push({
      row: r,
      parent: cidrOf(c),
      role: n.role,
      pool: n.pool,
      free: freeBlocks(
        r.prefix,
        n.children.map((x) => x.prefix),
      ),
    });
    if (c.stored) {
      const blocks = filled.get(c);
      if (blocks) blocks.push(r.prefix);
      else filled.set(c, [r.prefix]);
    }
    for (const x of n.children) if (x.stored) moved.push({ vrf: r.vrf, cidr: x.stored.cidr, parent: r.cidr });
  }
  return {
    created,
    skipped: rows.length - fresh.length,
    moved,
    filled: [...filled].map(([c, blocks]) => ({ vrf: c.stored!.vrf, cidr: c.stored!.cidr, blocks })),
  };
}
