/**
 * Deterministic test data for the free-block benchmark: a parent prefix and
 * 100,000 distinct child prefixes inside it, from a seeded PRNG so every run
 * (and both sides of a run) sees exactly the same tree.
 */
import { seededRandom } from '../../backend/src/lab/rng';
import { formatPrefix, parsePrefix, type Prefix } from '../../topology/src/index';

/** The lab's seeded mulberry32, as 32-bit integers: the same seed gives the same stream. */
export function prng(seed: number): () => number {
  const next = seededRandom(seed);
  return () => next() * 4294967296; // exact: the float is the integer / 2^32
}

export interface TreeSpec {
  /** e.g. '10.0.0.0/8'. */
  parent: string;
  /** Shortest and longest child length, inclusive. */
  minLength: number;
  maxLength: number;
  count: number;
  /** Share of children deliberately placed inside an earlier child (nested prefixes, as in a real IPAM). */
  nestedShare: number;
  seed: number;
}

export interface Tree {
  spec: TreeSpec;
  parent: Prefix;
  children: Prefix[];
  /** How many children were placed inside an earlier one on purpose. */
  nested: number;
}

/** A random unsigned integer below 2^bits (bits ≤ 64), from 32-bit draws. */
function randomBits(next: () => number, bits: number): bigint {
  let v = 0n;
  for (let left = bits; left > 0; left -= 32) {
    const take = Math.min(32, left);
    v = (v << BigInt(take)) | BigInt(next() >>> (32 - take));
  }
  return v;
}

/**
 * Builds `count` distinct children, lengths uniform in `minLength…maxLength`,
 * each at a random aligned offset of the parent — or, for `nestedShare` of
 * them, at a random aligned offset inside an earlier, shorter child. Random
 * placement also nests some children by chance; duplicates are redrawn.
 */
export function makeTree(spec: TreeSpec): Tree {
  const parent = parsePrefix(spec.parent);
  const bits = parent.family === 4 ? 32 : 128;
  const next = prng(spec.seed);
  const seen = new Set<string>();
  const children: Prefix[] = [];
  let nested = 0;
  const span = spec.maxLength - spec.minLength + 1;
  while (children.length < spec.count) {
    const length = spec.minLength + (next() % span);
    let within = parent;
    const host = children[next() % Math.max(children.length, 1)];
    const nest = host !== undefined && host.length < length && next() / 2 ** 32 < spec.nestedShare;
    if (nest) within = host;
    const offset = randomBits(next, length - within.length) << BigInt(bits - length);
    const child: Prefix = { family: parent.family, start: within.start + offset, length };
    const key = `${child.start}/${length}`;
    if (seen.has(key)) continue;
    seen.add(key);
    children.push(child);
    if (nest) nested++;
  }
  return { spec, parent, children, nested };
}

/** The tree as text for the peer: parent on the first line, then one child CIDR per line. */
export function treeText(tree: Tree): string {
  return `${formatPrefix(tree.parent)}\n${tree.children.map(formatPrefix).join('\n')}\n`;
}

/** A free block as `hex-start/length`: a formatting-neutral key both sides can print exactly. */
export function blockKey(p: Prefix): string {
  return `${p.start.toString(16)}/${p.length}`;
}
