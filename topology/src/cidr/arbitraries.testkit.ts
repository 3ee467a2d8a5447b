/**
 * Test support (imported by the *.test.ts files only): fast-check generators
 * for prefixes and parent/children trees, the run parameters, and `errorOf`.
 *
 * Reproduce a failure with the seed it prints: `FC_SEED=1234 npx vitest run topology/src/cidr`.
 * `FC_RUNS` scales the number of runs (default 1 = the numbers in the tests).
 */
import fc from 'fast-check';
import { addressBits, type Family, type IpAddress } from './address';
import { DomainError } from '../errors';
import { size, type Prefix } from './prefix';

// Read without Node's types: topology/ compiles with `types: []`.
const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
const envSeed = env.FC_SEED;
const runScale = Number(env.FC_RUNS ?? 1);

/** The seed for this test run: `FC_SEED` if set, else a fresh one (printed on failure). */
export const seed: number = envSeed !== undefined && envSeed !== '' ? Number(envSeed) : Math.floor(Math.random() * 2 ** 31);

/** fast-check parameters: `numRuns` (scaled by `FC_RUNS`) and the run's seed. */
export function runs<T>(numRuns: number): fc.Parameters<T> {
  return { numRuns: Math.max(1, Math.round(numRuns * runScale)), seed };
}

/** `count` values of `arb`, deterministic for the run's seed (for batch oracles). */
export function sample<T>(arb: fc.Arbitrary<T>, count: number): T[] {
  return fc.sample(arb, { numRuns: Math.max(1, Math.round(count * runScale)), seed });
}

/** A random family, 4 or 6. */
export const family: fc.Arbitrary<Family> = fc.constantFrom<Family>(4, 6);

/** An address, biased to zero groups (to exercise `::` placement) and to IPv4-mapped IPv6. */
export const address: fc.Arbitrary<IpAddress> = fc.oneof(
  fc.bigInt({ min: 0n, max: 2n ** 32n - 1n }).map((value): IpAddress => ({ family: 4, value })),
  fc
    .array(fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 0xffffn })), { minLength: 8, maxLength: 8 })
    .map((groups): IpAddress => ({ family: 6, value: groups.reduce((acc, g) => (acc << 16n) | g, 0n) })),
  fc.bigInt({ min: 0n, max: 2n ** 32n - 1n }).map((v4): IpAddress => ({ family: 6, value: (0xffffn << 32n) | v4 })),
);

/** Clears the host bits of `start` for a prefix of `length`. */
function network(family: Family, start: bigint, length: number): Prefix {
  const hostBits = BigInt(addressBits(family) - length);
  return { family, start: (start >> hostBits) << hostBits, length };
}

/** Any prefix of `family`, every length equally likely. */
export function anyPrefix(f: Family): fc.Arbitrary<Prefix> {
  const bits = addressBits(f);
  return fc
    .tuple(fc.integer({ min: 0, max: bits }), fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n }))
    .map(([length, start]) => network(f, start, length));
}

/** A prefix inside `parent`, at most `depth` bits longer. */
export function inside(parent: Prefix, depth: number): fc.Arbitrary<Prefix> {
  const maxLength = Math.min(addressBits(parent.family), parent.length + depth);
  return fc
    .tuple(fc.integer({ min: parent.length, max: maxLength }), fc.bigInt({ min: 0n, max: size(parent) - 1n }))
    .map(([length, offset]) => network(parent.family, parent.start + offset, length));
}

/** Two prefixes of one family, the second often inside the first; sometimes of the other family. */
export const pair: fc.Arbitrary<[Prefix, Prefix]> = family
  .chain(anyPrefix)
  .chain((a) => fc.tuple(fc.constant(a), fc.oneof(inside(a, 6), anyPrefix(a.family), anyPrefix(a.family === 4 ? 6 : 4))));

/** A parent/children case: children mostly near the parent (so they nest and touch), some deep, some outside. */
export interface Tree {
  parent: Prefix;
  children: Prefix[];
}

/** A parent of either family and up to `maxChildren` children, unsorted, with nesting and duplicates. */
export function tree(maxChildren = 24, f: fc.Arbitrary<Family> = family): fc.Arbitrary<Tree> {
  return f.chain(anyPrefix).chain((parent) => {
    const child = fc.oneof(
      { weight: 8, arbitrary: inside(parent, 10) },
      { weight: 2, arbitrary: inside(parent, 128) },
      { weight: 1, arbitrary: anyPrefix(parent.family) },
    );
    const children = fc
      .array(child, { maxLength: maxChildren })
      .chain((list) => (list.length === 0 ? fc.constant(list) : fc.shuffledSubarray(list).map((dupes) => [...list, ...dupes])));
    return fc.record({ parent: fc.constant(parent), children });
  });
}

/**
 * A parent with few slots for brute force: the requested length is at most
 * 8 bits below the parent (≤ 256 candidate slots), children at most 10 bits below.
 */
export interface SlotCase extends Tree {
  length: number;
  count: number;
}

/** A {@link SlotCase} of either family. */
export const slotCase: fc.Arbitrary<SlotCase> = family.chain(anyPrefix).chain((parent) =>
  fc.record({
    parent: fc.constant(parent),
    children: fc.array(inside(parent, 10), { maxLength: 12 }),
    length: fc.integer({ min: parent.length, max: Math.min(addressBits(parent.family), parent.length + 8) }),
    count: fc.integer({ min: 1, max: 6 }),
  }),
);

/** The DomainError `f` throws (fails the test when it throws nothing or something else). */
export function errorOf(f: () => unknown): DomainError {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}
