import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors';
import { formatPrefixCsv, parseCsvRecords, parsePrefixCsv, parsePrefixImport } from './csv';

describe('NetBox prefix CSV', () => {
  it('round-trips rows, quoting commas, quotes and Chinese text', () => {
    const rows = [
      { prefix: '10.64.0.0/17', vrf: 'public', status: 'container', role: 'block', description: '惠城区 地址块, "主"', site: '441302' },
      { prefix: '2001:db8:4400::/48', vrf: 'public', status: 'active', role: 'lan', description: '', site: '' },
    ];
    expect(parsePrefixCsv(formatPrefixCsv(rows)).map((r) => r.row)).toEqual(rows);
  });

  it('exports formula cells neutralised and imports them as they were', () => {
    const rows = [
      { prefix: '10.64.0.0/17', vrf: 'public', status: 'active', role: '+role', description: '=HYPERLINK("http://x")', site: '@441302' },
      { prefix: '10.64.1.0/24', vrf: 'public', status: 'active', role: '', description: '-1+2', site: '' },
      { prefix: '10.64.2.0/24', vrf: 'public', status: 'active', role: '', description: "it's \t=fine", site: '' },
    ];
    const csv = formatPrefixCsv(rows);
    expect(csv.split('\r\n')[1]).toBe(`10.64.0.0/17,public,active,"'+role","'=HYPERLINK(""http://x"")","'@441302"`);
    expect(csv.split('\r\n')[2]).toBe(`10.64.1.0/24,public,active,,"'-1+2",`);
    expect(parsePrefixCsv(csv).map((r) => r.row)).toEqual(rows);
  });

  it('reads NetBox exports with a BOM, CRLF and columns in any order', () => {
    const text = '\uFEFFvrf,prefix,status\r\npublic,10.0.0.0/8,Active\r\n';
    expect(parsePrefixCsv(text)).toEqual([
      { line: 2, row: { prefix: '10.0.0.0/8', vrf: 'public', status: 'active', role: '', description: '', site: '' } },
    ]);
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

  it.each([
    ['a"b,"c""d",""', [['a"b', 'c"d', '']]],
    ['"a"b,c\r\n\r\nd', [['ab', 'c'], ['d']]],
    ['x,,\n', [['x', '', '']]],
  ])('reads %j as RFC 4180 says', (text, records) => {
    expect(parseCsvRecords(text)).toEqual(records);
  });

  it('parses a 20 MB field in linear time', () => {
    const t0 = performance.now();
    expect(parseCsvRecords(`a,${'x'.repeat(20_000_000)}\n`)[0]![1]).toHaveLength(20_000_000);
    expect(performance.now() - t0).toBeLessThan(5_000);
  });
});

describe('CSV rows checked by the rules of POST /api/ipam/prefixes', () => {
  const head = 'prefix,vrf,status,role,description,site\n';
  const codeOf = (text: string): [string, string | undefined, string] => {
    try {
      parsePrefixImport(text);
    } catch (e) {
      if (e instanceof DomainError) return [e.code, e.field, e.message];
      throw e;
    }
    return ['none', undefined, ''];
  };

  it('gives typed rows: the default domain, the prefix normalised, an empty role left to the container', () => {
    expect(parsePrefixImport(`${head}10.64.0.0/16,,container,,惠城区,441302\n`, 'backup')).toEqual([
      {
        line: 2,
        vrf: 'backup',
        prefix: { family: 4, start: 0x0a400000n, length: 16 },
        cidr: '10.64.0.0/16',
        status: 'container',
        description: '惠城区',
        site: '441302',
      },
    ]);
  });

  it.each([
    ['a 3 MB description', `10.64.0.0/16,public,active,,${'x'.repeat(3_000_000)},`, 'BAD_REQUEST', /line 3: description/],
    ['a description of 501 characters', `10.64.0.0/16,public,active,,${'说'.repeat(501)},`, 'BAD_REQUEST', /line 3: description/],
    ['a role of 41 characters', `10.64.0.0/16,public,active,${'r'.repeat(41)},,`, 'BAD_REQUEST', /line 3: role/],
    ['a domain outside the API pattern', '10.64.0.0/16,Public Zone,active,,,', 'BAD_REQUEST', /line 3: vrf: a domain \(VRF\) name/],
    ['a site id of 201 characters', `10.64.0.0/16,public,active,,,${'s'.repeat(201)}`, 'BAD_REQUEST', /line 3: site/],
    ['host bits', '10.64.0.1/16,public,active,,,', 'CIDR_HOST_BITS', /line 3: 10\.64\.0\.1\/16 has host bits/],
    ['no prefix', ',public,active,,,', 'BAD_REQUEST', /line 3: prefix/],
  ])('refuses %s, naming the CSV line', (_what, row, code, message) => {
    const [c, field, m] = codeOf(`${head}10.0.0.0/8,public,container,,,\n${row}\n`);
    expect([c, field]).toEqual([code, 'csv:3']);
    expect(m).toMatch(message);
  });

  it('takes at most 50,000 rows per import', () => {
    const rows = (n: number) => head + '10.0.0.0/8,public,container,,,\n'.repeat(n);
    expect(parsePrefixImport(rows(50_000))).toHaveLength(50_000);
    expect(codeOf(rows(50_001)).slice(0, 2)).toEqual(['PAYLOAD_TOO_LARGE', 'csv']);
  });
});
