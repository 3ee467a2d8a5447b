import { describe, expect, it } from 'vitest';
import { formatPrefixCsv, parseCsvRecords, parsePrefixCsv } from './csv';

describe('NetBox prefix CSV', () => {
  it('round-trips rows, quoting commas, quotes and Chinese text', () => {
    const rows = [
      { prefix: '10.64.0.0/17', vrf: 'public', status: 'container', role: 'block', description: '惠城区 地址块, "主"', site: '441302' },
      { prefix: '2001:db8:4400::/48', vrf: 'public', status: 'active', role: 'lan', description: '', site: '' },
    ];
    expect(parsePrefixCsv(formatPrefixCsv(rows)).map((r) => r.row)).toEqual(rows);
  });

  it('reads NetBox exports with a BOM, CRLF and columns in any order', () => {
    const text = '\uFEFFvrf,prefix,status\r\npublic,10.0.0.0/8,Active\r\n';
    expect(parsePrefixCsv(text)).toEqual([{ line: 2, row: { prefix: '10.0.0.0/8', vrf: 'public', status: 'active', role: '', description: '', site: '' } }]);
  });

  it.each([
    ['', 'CSV is empty'],
    ['prefix,colour\n10.0.0.0/8,red\n', 'unknown column colour'],
    ['vrf\npublic\n', 'no prefix column'],
    ['prefix,status\n10.0.0.0/8,live\n', 'status live'],
    ['prefix,vrf\n10.0.0.0/8\n', 'line 2'],
    ['prefix\n"10.0.0.0/8\n', 'not closed'],
  ])('rejects %j clearly', (text, message) => {
    expect(() => parsePrefixCsv(text)).toThrow(message);
  });

  it('splits quoted line breaks correctly', () => {
    expect(parseCsvRecords('a,"b\nc"\n')).toEqual([['a', 'b\nc']]);
  });
});
