/**
 * (a) Free-block computation, ours vs NetBox's algorithm, in the same run on
 * the same data: `freeBlocks(parent, children)` in this process, and
 * `IPSet([parent]) - IPSet(children)` + `iter_cidrs()` in python3-netaddr,
 * which times itself. Both results must be the same list of blocks.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freeBlocks, type Prefix } from '../../topology/src/index';
// Internal module, imported only to split our time into "union of children" and "tiling the gaps".
import { coveredIntervals } from '../../topology/src/cidr/intervals';
import { blockKey, makeTree, treeText, type TreeSpec } from './data';
import { since, stats, type Stats } from './report';

export interface FreeBlockResult {
  name: string;
  parent: string;
  children: number;
  nestedOnPurpose: number;
  lengths: string;
  freeBlocks: number;
  /** Milliseconds, ours. */
  ours: Stats;
  /** Of our time: the sorted union of the children (the rest is cutting the gaps into CIDR blocks). */
  oursUnion: Stats;
  /** Milliseconds, netaddr (measured inside python with time.perf_counter). */
  netaddr: Stats;
  /** netaddr median / ours median. */
  speedup: number;
}

export const TREES: { name: string; spec: TreeSpec; reps: { ours: number; netaddr: number } }[] = [
  {
    name: 'IPv4',
    spec: { parent: '10.0.0.0/8', minLength: 24, maxLength: 30, count: 100_000, nestedShare: 0.1, seed: 0x4a1 },
    reps: { ours: 7, netaddr: 5 },
  },
  {
    // netaddr takes ~25 s per repetition here, so 3: the whole bench must stay within minutes.
    name: 'IPv6',
    spec: { parent: '2001:db8::/32', minLength: 48, maxLength: 64, count: 100_000, nestedShare: 0.1, seed: 0x6a1 },
    reps: { ours: 7, netaddr: 3 },
  },
];

/** Which python has netaddr: $PYTHON, then Debian's (python3-netaddr lives there, not in a pyenv), then PATH. */
export function findPython(): { python: string } {
  const candidates = [process.env.PYTHON, '/usr/bin/python3', 'python3'].filter((c): c is string => !!c);
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import netaddr'], { encoding: 'utf8' });
    if (r.status === 0) return { python };
  }
  throw new Error(`no python3 with netaddr found (tried ${candidates.join(', ')}): apt-get install python3-netaddr, or set PYTHON`);
}

interface PeerOutput {
  netaddr: string;
  python: string;
  seconds: number[];
  blocks: string[];
}

/** Runs the peer on a tree file; only its own perf_counter figures are used. */
function runNetaddr(python: string, file: string, reps: number): PeerOutput {
  const script = path.join(import.meta.dirname, 'netaddr_free.py');
  const r = spawnSync(python, [script, file, String(reps), '0'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`netaddr_free.py failed (${r.status}): ${r.error?.message ?? r.stderr}`);
  return JSON.parse(r.stdout) as PeerOutput;
}

/** Fails loudly with the first difference when the two block lists are not identical. */
function checkSame(name: string, ours: Prefix[], peer: string[]): void {
  const mine = ours.map(blockKey);
  const n = Math.max(mine.length, peer.length);
  for (let i = 0; i < n; i++) {
    if (mine[i] !== peer[i]) {
      throw new Error(
        `${name}: free blocks differ at #${i}: ours ${mine[i] ?? '(none)'} vs netaddr ${peer[i] ?? '(none)'} ` +
          `(ours ${mine.length} blocks, netaddr ${peer.length})`,
      );
    }
  }
}

/** Times our side: one untimed warm-up (JIT), then `reps` timed runs; returns the last result for the check. */
function timeOurs(parent: Prefix, children: Prefix[], reps: number): { total: Stats; union: Stats; blocks: Prefix[] } {
  let blocks = freeBlocks(parent, children);
  coveredIntervals(parent, children);
  const total: number[] = [];
  const union: number[] = [];
  for (let i = 0; i < reps; i++) {
    let t0 = performance.now();
    blocks = freeBlocks(parent, children);
    total.push(since(t0));
    t0 = performance.now();
    coveredIntervals(parent, children);
    union.push(since(t0));
  }
  return { total: stats(total), union: stats(union), blocks };
}

export function benchFreeBlocks(log: (line: string) => void): { peer: { python: string; netaddr: string }; results: FreeBlockResult[] } {
  const { python } = findPython();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'extranet-bench-free-'));
  const results: FreeBlockResult[] = [];
  let peer = { python: '', netaddr: '' };
  try {
    for (const { name, spec, reps } of TREES) {
      log(`free blocks ${name}: generating ${spec.count} children of ${spec.parent} (seed ${spec.seed})…`);
      const tree = makeTree(spec);
      const file = path.join(tmp, `${name}.txt`);
      fs.writeFileSync(file, treeText(tree));
      log(`free blocks ${name}: ours, ${reps.ours} runs…`);
      const ours = timeOurs(tree.parent, tree.children, reps.ours);
      log(`free blocks ${name}: netaddr (${python}), ${reps.netaddr} runs…`);
      const out = runNetaddr(python, file, reps.netaddr);
      peer = { python: `${python} (${out.python})`, netaddr: out.netaddr };
      checkSame(name, ours.blocks, out.blocks);
      const netaddr = stats(out.seconds.map((s) => s * 1000));
      results.push({
        name,
        parent: spec.parent,
        children: tree.children.length,
        nestedOnPurpose: tree.nested,
        lengths: `/${spec.minLength}…/${spec.maxLength}`,
        freeBlocks: ours.blocks.length,
        ours: ours.total,
        oursUnion: ours.union,
        netaddr,
        speedup: netaddr.median / ours.total.median,
      });
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return { peer, results };
}
