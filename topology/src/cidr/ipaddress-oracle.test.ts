/**
 * Differential tests against Python's `ipaddress` (an independent, strict
 * implementation). One python3 process answers every case of this file: the
 * cases are sampled up front from the run's seed, sent as one JSON batch to
 * oracle.py, and compared here. Reproduce with the seed in the failure: FC_SEED=….
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../errors';
import { formatAddress, parseAddress, type IpAddress } from './address';
import { address, anyPrefix, family, inside, pair, sample, seed, tree, type Tree } from './arbitraries.testkit';
import { freeBlocks } from './free';
import { contains, formatPrefix, overlaps, parsePrefix, type Prefix } from './prefix';

// node:child_process is loaded by a computed name so that topology/ compiles without
// Node's types (its tsconfig has `types: []`: the pure core cannot reach for I/O).
type SpawnSync = (
  command: string,
  args: string[],
  opts: { input: string; encoding: 'utf8'; maxBuffer: number },
) => { status: number | null; stdout: string; stderr: string; error?: Error };
const childProcess = 'node:child_process';
const { spawnSync } = (await import(childProcess)) as { spawnSync: SpawnSync };

// ---- generators of prefix text, valid and broken --------------------------------
const pick = <T>(weighted: [number, fc.Arbitrary<T>][]): fc.Arbitrary<T> =>
  fc.oneof(...weighted.map(([weight, arbitrary]) => ({ weight, arbitrary })));
const v4Part = pick([
  [12, fc.integer({ min: 0, max: 255 }).map(String)],
  [1, fc.integer({ min: 256, max: 999 }).map(String)],
  [1, fc.integer({ min: 0, max: 99 }).map((n) => `0${n}`)], // leading zero: octal to inet_aton
  [1, fc.integer({ min: 0, max: 255 }).map((n) => `0x${n.toString(16)}`)],
  [1, fc.constantFrom('', '1a', '+1', '-1', '0000', '٣')],
]);
const v4Text = pick([
  [10, fc.array(v4Part, { minLength: 4, maxLength: 4 })],
  [1, fc.array(v4Part, { minLength: 1, maxLength: 6 })],
]).map((parts) => parts.join('.'));
const hexGroup = pick([
  [4, fc.constant('0')],
  [8, fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16))],
  [1, fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16).toUpperCase().padStart(4, '0'))],
  [1, fc.constantFrom('', '00000', '12345', 'g', ' 1')],
]);
const v6Text = fc
  .record({
    groups: fc.array(hexGroup, { maxLength: 9 }),
    gapAt: pick<number | null>([
      [1, fc.constant(null)],
      [1, fc.nat()],
    ]),
    tail: pick<string | null>([
      [5, fc.constant(null)],
      [1, v4Text],
    ]),
  })
  .map(({ groups, gapAt, tail }) => {
    const all = tail === null ? groups : [...groups, tail];
    if (gapAt === null) return all.join(':');
    const k = gapAt % (all.length + 1);
    return `${all.slice(0, k).join(':')}::${all.slice(k).join(':')}`;
  });
const lengthText = (max: number): fc.Arbitrary<string> =>
  pick([
    [10, fc.integer({ min: 0, max }).map((n) => `/${n}`)],
    [1, fc.integer({ min: max + 1, max: 300 }).map((n) => `/${n}`)],
    [1, fc.constantFrom('', '/', '/08', '/00', '/-1', '/+8', '/ 8', '/8/8', '/255.255.0.0', '/1e1')],
  ]);
const prefixText = pick([
  [3, fc.tuple(v4Text, lengthText(32)).map(([a, l]) => a + l)],
  [3, fc.tuple(v6Text, lengthText(128)).map(([a, l]) => a + l)],
  [2, family.chain(anyPrefix).map(formatPrefix)],
  [1, fc.tuple(address, fc.nat(128)).map(([a, l]) => `${formatAddress(a)}/${l % (a.family === 4 ? 33 : 129)}`)],
]);

/** Inputs Python accepts on purpose and we reject on purpose (see address.ts / prefix.ts). */
function deliberateDeviation(text: string): string | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return 'no /length (Python reads a host)';
  const length = text.slice(slash + 1);
  if (/^0[0-9]/.test(length)) return 'length with leading zero';
  if (length.includes('.')) return 'netmask instead of length';
  if (text.includes('%')) return 'zone ID';
  return undefined;
}

// ---- the batch ---------------------------------------------------------------------
type Case = { op: string; [key: string]: unknown };
const texts = sample(prefixText, 1500);
const addresses = sample(address, 800);
const pairs = sample(pair, 800);
const probes = sample(
  family.chain(anyPrefix).chain((n) =>
    fc.tuple(
      fc.constant(n),
      pick<IpAddress>([
        [1, inside(n, 128).map((x) => ({ family: x.family, value: x.start }))],
        [1, address],
      ]),
    ),
  ),
  500,
);
const trees = sample(tree(10), 150);

const sections = {
  parse: texts.flatMap((text) => [
    { op: 'parse', text, strict: true },
    { op: 'parse', text, strict: false },
  ]),
  formatAddress: addresses.map((a) => ({ op: 'formatAddress', family: a.family, value: a.value.toString() })),
  relate: pairs.map(([a, b]) => ({ op: 'relate', a: formatPrefix(a), b: formatPrefix(b) })),
  containsAddress: probes.map(([n, a]) => ({ op: 'containsAddress', net: formatPrefix(n), address: formatAddress(a) })),
  exclude: trees.map(({ parent, children }: Tree) => ({
    op: 'exclude',
    parent: formatPrefix(parent),
    children: children.map(formatPrefix),
  })),
} satisfies Record<string, Case[]>;
const cases: Case[] = Object.values(sections).flat();
let results: Record<string, unknown>[] = [];
/** Python's answers for one section, in the order of its cases. */
function answersFor(name: keyof typeof sections): Record<string, unknown>[] {
  const names = Object.keys(sections) as (keyof typeof sections)[];
  const start = names.slice(0, names.indexOf(name)).reduce((sum, n) => sum + sections[n].length, 0);
  return results.slice(start, start + sections[name].length);
}

beforeAll(() => {
  const here = (import.meta as { url: string }).url; // file:///…/ipaddress-oracle.test.ts
  const script = decodeURIComponent(here.replace(/^file:\/\//, '').replace(/[^/]*$/, 'oracle.py'));
  const run = spawnSync('python3', [script], { input: JSON.stringify({ cases }), encoding: 'utf8', maxBuffer: 256 << 20 });
  if (run.status !== 0) throw new Error(`python3 oracle.py failed: ${run.error?.message ?? run.stderr}`);
  results = (JSON.parse(run.stdout) as { results: Record<string, unknown>[] }).results;
  expect(results).toHaveLength(cases.length);
}, 300_000); // FC_RUNS=10 sends ten times the cases

/** Collects disagreements and fails once, with the seed and the first few cases. */
function agree<T>(
  inputs: T[],
  answers: Record<string, unknown>[],
  check: (input: T, answer: Record<string, unknown>) => string | undefined,
): void {
  const problems = inputs.flatMap((input, i) => {
    const problem = check(input, answers[i] as Record<string, unknown>);
    return problem === undefined ? [] : [problem];
  });
  expect(problems.slice(0, 5), `seed ${seed}: ${problems.length} of ${inputs.length} disagree`).toEqual([]);
}

const outcome = (f: () => Prefix): Prefix | DomainError => {
  try {
    return f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
};
const isMapped = (family: number, value: bigint): boolean => family === 6 && value >> 32n === 0xffffn;

describe("against Python's ipaddress (one batch)", () => {
  it('parses like ip_network(strict=True/False), except for deliberate deviations', () => {
    const answers = answersFor('parse');
    const inputs = texts.flatMap((text) => [
      { text, strict: true },
      { text, strict: false },
    ]);
    agree(inputs, answers, ({ text, strict }, py) => {
      const ours = outcome(() => parsePrefix(text, { strict }));
      const why = deliberateDeviation(text);
      if (why !== undefined) return ours instanceof DomainError ? undefined : `${text}: accepted despite ${why}`;
      if (ours instanceof DomainError) {
        if (py.ok === true) return `${text} (strict ${strict}): we reject (${ours.code}: ${ours.message}), Python reads ${String(py.text)}`;
        const hostBits = String(py.error).includes('host bits set');
        return hostBits === (ours.code === 'CIDR_HOST_BITS')
          ? undefined
          : `${text}: Python says "${String(py.error)}", we say ${ours.code}`;
      }
      if (py.ok !== true) return `${text} (strict ${strict}): we read ${formatPrefix(ours)}, Python rejects: ${String(py.error)}`;
      if (ours.family !== py.family || ours.start.toString() !== py.start || ours.length !== py.length) {
        return `${text}: we read ${formatPrefix(ours)}, Python ${String(py.text)}`;
      }
      if (!isMapped(ours.family, ours.start) && formatPrefix(ours) !== py.text)
        return `${text}: we write ${formatPrefix(ours)}, Python ${String(py.text)}`;
      return undefined;
    });
  });

  it('formats addresses as str(ip_address) (RFC 5952), IPv4-mapped in mixed notation', () => {
    agree(addresses, answersFor('formatAddress'), (a, py) => {
      const ours = formatAddress(a);
      if (isMapped(a.family, a.value)) {
        // Python 3.11 writes ::ffff:a00:1, 3.13 ::ffff:10.0.0.1; both must read back to the same value.
        return parseAddress(String(py.text)).value === a.value && ours.startsWith('::ffff:') && ours.includes('.')
          ? undefined
          : `${ours} vs ${String(py.text)}`;
      }
      return ours === py.text ? undefined : `${a.value}: we write ${ours}, Python ${String(py.text)}`;
    });
  });

  it('contains and overlaps agree with subnet_of and overlaps', () => {
    agree(pairs, answersFor('relate'), ([a, b], py) => {
      const ours = { aContainsB: contains(a, b), overlaps: overlaps(a, b) };
      return ours.aContainsB === py.aContainsB && ours.overlaps === py.overlaps
        ? undefined
        : `${formatPrefix(a)} vs ${formatPrefix(b)}: ours ${JSON.stringify(ours)}, Python ${JSON.stringify(py)}`;
    });
  });

  it('contains an address like `address in network`', () => {
    agree(probes, answersFor('containsAddress'), ([n, a], py) =>
      contains(n, a) === py.contains ? undefined : `${formatAddress(a)} in ${formatPrefix(n)}: Python ${String(py.contains)}`,
    );
  });

  it('freeBlocks equals collapse_addresses(parent − children) via address_exclude', () => {
    agree(trees, answersFor('exclude'), ({ parent, children }, py) => {
      const ours = freeBlocks(parent, children).map((b) => `${b.start}/${b.length}`);
      const theirs = (py.free as [string, number][]).map(([start, length]) => `${start}/${length}`);
      return JSON.stringify(ours) === JSON.stringify(theirs)
        ? undefined
        : `${formatPrefix(parent)} − [${children.map(formatPrefix).join(', ')}]: ours ${ours.length} blocks, Python ${theirs.length}`;
    });
  });
});
