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

  it('writes each named property from its position, then the map with +=', () => {
    expect(setColumns('n', ['a', 'b', 'c'])).toBe('n.a = x[1], n.b = x[2], n.c = x[3], n += x[4]');
    expect(setColumns('l', ['p'], 'row')).toBe('l.p = row[1], l += row[2]');
  });
});
