import { describe, expect, it } from 'vitest';
import { compareOids, instanceOf, isUnder } from './oid';

describe('compareOids', () => {
  it.each([
    ['1.3.6.1.2', '1.3.6.1.10', -1],
    ['1.3.6.1.10', '1.3.6.1.2', 1],
    ['1.3.6', '1.3.6.1', -1],
    ['1.3.6.1', '1.3.6.1', 0],
  ])('%s vs %s', (a, b, sign) => {
    expect(Math.sign(compareOids(a, b))).toBe(sign);
  });
});

describe('isUnder / instanceOf', () => {
  const ifName = '1.3.6.1.2.1.31.1.1.1.1';
  it.each([
    [`${ifName}.5`, true],
    [`${ifName}.5.7`, true],
    [ifName, false],
    ['1.3.6.1.2.1.31.1.1.1.10.5', false], // prefix as text, not as arcs
    ['1.3.6.1.2.1.31.1.1.1.2.1', false],
  ])('%s', (oid, under) => {
    expect(isUnder(ifName, oid)).toBe(under);
  });

  it('gives the row index', () => {
    expect(instanceOf(ifName, `${ifName}.12`)).toBe('12');
  });
});

describe('compareOids without allocation', () => {
  it('orders exactly as arc-by-arc comparison of split OIDs', async () => {
    const fc = (await import('fast-check')).default;
    const reference = (a: string, b: string) => {
      const x = a.split('.').map(Number);
      const y = b.split('.').map(Number);
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
      return x.length - y.length;
    };
    const oid = fc.array(fc.integer({ min: 0, max: 2 ** 31 }), { minLength: 1, maxLength: 14 }).map((a) => a.join('.'));
    fc.assert(
      fc.property(oid, oid, (a, b) => Math.sign(compareOids(a, b)) === Math.sign(reference(a, b))),
      { numRuns: 2000 },
    );
  });
});
