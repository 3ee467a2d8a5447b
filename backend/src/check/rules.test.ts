import { describe, expect, it } from 'vitest';
import { encodeFree, freeBlocks, parsePrefix, rangeKeys, size } from '@extranet/topology';
import { checkGraph, type GraphFacts, type PrefixFact } from './rules';

/** A prefix as the IPAM stores it, with its free list and counters derived from `children`. */
function stored(cidr: string, parent: string | null, children: string[] = [], vrf = 'gov'): PrefixFact {
  const p = parsePrefix(cidr);
  const free = freeBlocks(
    p,
    children.map((c) => parsePrefix(c)),
  );
  return {
    vrf,
    cidr,
    family: p.family,
    length: p.length,
    ...rangeKeys(p),
    free: encodeFree(free),
    used: (size(p) - free.reduce((n, b) => n + size(b), 0n)).toString(),
    size: size(p).toString(),
    parents: parent ? [parent] : [],
  };
}

const facts = (over: Partial<GraphFacts>): GraphFacts => ({
  prefixes: [],
  links: [],
  orphanInterfaces: [],
  unplacedDevices: [],
  danglingRequestKeys: [],
  ...over,
});
const codes = (f: GraphFacts) => checkGraph(f).issues.map((i) => `${i.code} ${i.subject}`);

const end = (side: string, device: string | null = 'r1') => ({ side, key: `${device}|ge0`, device });

describe('checkGraph', () => {
  it('a consistent tree and links pass', () => {
    const f = facts({
      prefixes: [
        stored('10.0.0.0/8', null, ['10.1.0.0/16', '10.2.0.0/16']),
        stored('10.1.0.0/16', '10.0.0.0/8', ['10.1.1.0/24']),
        stored('10.1.1.0/24', '10.1.0.0/16'),
        stored('10.2.0.0/16', '10.0.0.0/8'),
        stored('10.0.0.0/8', null, [], 'other'),
        stored('2001:db8::/32', null),
      ],
      links: [{ id: 'L1', ends: [end('a'), end('b', 'r2')] }],
    });
    expect(checkGraph(f)).toMatchObject({ ok: true, issues: [], counts: { prefixes: 6, links: 1 } });
  });

  it('a prefix beside one that holds it is an overlap', () => {
    const f = facts({
      prefixes: [
        stored('10.0.0.0/8', null, ['10.1.0.0/16', '10.1.1.0/24']),
        stored('10.1.0.0/16', '10.0.0.0/8'),
        stored('10.1.1.0/24', '10.0.0.0/8'),
      ],
    });
    expect(codes(f)).toContain('PREFIX_OVERLAP prefix gov 10.1.1.0/24');
  });

  it('a root inside another root is an overlap', () => {
    expect(codes(facts({ prefixes: [stored('10.0.0.0/8', null), stored('10.1.0.0/16', null)] }))).toEqual(
      expect.arrayContaining([
        'PREFIX_OVERLAP prefix gov 10.1.0.0/16',
        'PREFIX_FREE prefix gov 10.0.0.0/8',
        'PREFIX_USED prefix gov 10.0.0.0/8',
      ]),
    );
  });

  it('a container whose free list or used count misses a child is named', () => {
    const parent = stored('10.0.0.0/8', null); // stored before the child was written
    const f = facts({ prefixes: [parent, stored('10.1.0.0/16', '10.0.0.0/8')] });
    expect(codes(f)).toEqual(['PREFIX_FREE prefix gov 10.0.0.0/8', 'PREFIX_USED prefix gov 10.0.0.0/8']);
    const onlyUsed = facts({
      prefixes: [{ ...stored('10.0.0.0/8', null, ['10.1.0.0/16']), used: '0' }, stored('10.1.0.0/16', '10.0.0.0/8')],
    });
    expect(codes(onlyUsed)).toEqual(['PREFIX_USED prefix gov 10.0.0.0/8']);
  });

  it('a prefix IN the wrong container, or in two, is named', () => {
    const f = facts({
      prefixes: [
        stored('10.0.0.0/8', null, ['10.1.0.0/16', '10.2.0.0/16']),
        stored('10.1.0.0/16', '10.0.0.0/8'),
        stored('10.2.0.0/16', '10.1.0.0/16'),
        { ...stored('10.0.0.0/8', null, [], 'x'), parents: ['a', 'b'] },
        stored('192.168.0.0/24', '10.0.0.0/8'),
      ],
    });
    expect(codes(f)).toEqual(
      expect.arrayContaining([
        'PREFIX_PARENT prefix gov 10.2.0.0/16',
        'PREFIX_PARENT prefix x 10.0.0.0/8',
        'PREFIX_PARENT prefix gov 192.168.0.0/24',
      ]),
    );
  });

  it('a CIDR that is not normalised, or fields that disagree with it, are named', () => {
    const f = facts({
      prefixes: [
        { ...stored('10.0.0.0/8', null), cidr: '10.0.0.1/8' },
        { ...stored('10.0.0.0/8', null, [], 'y'), length: 9 },
      ],
    });
    expect(codes(f)).toEqual(['PREFIX_INVALID prefix gov 10.0.0.1/8', 'PREFIX_FIELDS prefix y 10.0.0.0/8']);
  });

  it('a link without its two ends, or with an end on no device, is named', () => {
    const f = facts({
      links: [
        { id: 'L1', ends: [end('a')] },
        { id: 'L2', ends: [] },
        { id: 'L3', ends: [end('a'), end('a')] },
        { id: 'L4', ends: [end('a'), end('b', null)] },
      ],
      orphanInterfaces: ['r9|ge0'],
      unplacedDevices: ['r9'],
      danglingRequestKeys: [{ vrf: 'gov', key: 'k1' }],
    });
    expect(codes(f)).toEqual([
      'LINK_ENDS link L1',
      'LINK_ENDS link L2',
      'LINK_ENDS link L3',
      'LINK_ENDS link L4',
      'INTERFACE_ORPHAN interface r9|ge0',
      'DEVICE_UNPLACED device r9',
      'REQUEST_KEY_DANGLING request key gov k1',
    ]);
    expect(checkGraph(f).ok).toBe(false);
  });
});
