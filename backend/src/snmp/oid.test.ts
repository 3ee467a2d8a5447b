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
