import { describe, expect, it } from 'vitest';
import { columnRow, setColumns } from './rows';

describe('rows by position', () => {
  it('puts the named properties in order, nulls for the absent ones, and the others in the last map', () => {
    expect(columnRow('k1', { b: 2, a: 1, extra: 'x', gone: null }, ['a', 'b', 'c'])).toEqual([
      'k1',
      1,
      2,
      null,
      { extra: 'x', gone: null },
    ]);
  });

  it('sends an empty map when every property is named', () => {
    expect(columnRow(7, { a: 0, b: false }, ['a', 'b'])).toEqual([7, 0, false, {}]);
  });

  it('writes each named property from its position, then the map with += when a row has one', () => {
    const rows = [columnRow('k1', { a: 1, b: 2, c: 3 }, ['a', 'b', 'c']), columnRow('k2', { a: 1, b: 2, c: 3, d: 4 }, ['a', 'b', 'c'])];
    expect(setColumns('n', ['a', 'b', 'c'], rows)).toBe('n.a = x[1], n.b = x[2], n.c = x[3], n += x[4]');
    expect(setColumns('l', ['p'], [columnRow('k', { p: 1, q: null }, ['p'])], 'row')).toBe('l.p = row[1], l += row[2]');
  });

  it('leaves the map out when every row has it empty (no Eager step in the query)', () => {
    expect(setColumns('i', ['a', 'b'], [columnRow('k1', { a: 1, b: 2 }, ['a', 'b']), columnRow('k2', { a: 3 }, ['a', 'b'])])).toBe(
      'i.a = x[1], i.b = x[2]',
    );
  });
});
