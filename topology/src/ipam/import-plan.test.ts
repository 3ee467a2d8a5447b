import { describe, expect, it } from 'vitest';
import { formatPrefix, parsePrefix } from '../cidr/prefix';
import { DomainError } from '../errors';
import { parsePrefixImport } from './csv';
import { planPrefixImport, type StoredPrefix } from './import-plan';

const header = 'prefix,vrf,status,role,description,site\n';
const rows = (lines: string[]) => parsePrefixImport(header + lines.join('\n'));
const stored = (cidr: string, x: Partial<StoredPrefix> = {}): StoredPrefix => ({
  vrf: 'public',
  cidr,
  status: 'container',
  role: 'site-block',
  pool: 'site-block',
  description: '',
  ...x,
});
/** The test policy: the site-block pool takes /16…/28 (as the Huizhou plan's). */
const checkLength = (pool: string, _family: 4 | 6, length: number) => {
  if (pool === 'site-block' && (length < 16 || length > 28))
    throw new DomainError('LENGTH_OUTSIDE_POLICY', `/${length} is not allowed in the ${pool} pool (IPv4)`, { field: 'length' });
};
const plan = (s: StoredPrefix[], lines: string[]) => planPrefixImport(s, rows(lines), { checkLength });
const errorOf = (f: () => unknown): DomainError => {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('no error');
};

describe('planning a CSV import in memory', () => {
  it('puts each row under its smallest container, new or stored, shortest first, whatever the CSV order', () => {
    const p = plan(
      [stored('10.64.0.0/11')],
      [
        '10.70.1.0/28,public,active,,a,',
        '10.70.0.0/16,public,container,office,b,',
        '10.70.1.16/28,public,active,,c,',
        '10.71.0.0/24,public,active,,d,',
      ],
    );
    expect(p.created.map((c) => [c.row.cidr, c.parent, c.role, c.pool])).toEqual([
      ['10.70.0.0/16', '10.64.0.0/11', 'office', 'site-block'],
      ['10.71.0.0/24', '10.64.0.0/11', 'site-block', 'site-block'],
      ['10.70.1.0/28', '10.70.0.0/16', 'office', 'site-block'],
      ['10.70.1.16/28', '10.70.0.0/16', 'office', 'site-block'],
    ]);
    const container = p.created[0]!;
    expect(container.free.map(formatPrefix)).toContain('10.70.1.32/27');
    expect(container.free.map(formatPrefix)).not.toContain('10.70.1.0/28');
    expect(p.filled).toEqual([{ vrf: 'public', cidr: '10.64.0.0/11', blocks: [parsePrefix('10.70.0.0/16'), parsePrefix('10.71.0.0/24')] }]);
    expect(p.moved).toEqual([]);
  });

  it('skips rows already stored and rows repeated in the CSV', () => {
    const p = plan(
      [stored('10.64.0.0/11'), stored('10.70.0.0/16')],
      ['10.70.0.0/16,public,container,,,', '10.71.0.0/24,public,active,,,', '10.71.0.0/24,public,active,,,'],
    );
    expect(p.skipped).toBe(2);
    expect(p.created.map((c) => c.row.line)).toEqual([3]);
  });

  it('lets a new container take over the stored prefixes it holds', () => {
    const p = plan(
      [stored('10.64.0.0/11'), stored('10.70.1.0/24', { status: 'active' }), stored('10.70.1.0/28', { status: 'active' })],
      ['10.70.0.0/16,public,container,,,'],
    );
    expect(p.moved).toEqual([{ vrf: 'public', cidr: '10.70.1.0/24', parent: '10.70.0.0/16' }]);
    expect(p.created[0]!.free.map(formatPrefix)).not.toContain('10.70.1.0/24');
    expect(p.filled[0]!.cidr).toBe('10.64.0.0/11');
  });

  it.each([
    [[] as StoredPrefix[], '10.70.0.0/16,public,active,,,', 'PREFIX_OUTSIDE_CONTAINER'],
    [
      [stored('10.64.0.0/11'), stored('10.70.0.0/16', { status: 'reserved', description: 'jump hosts' })],
      '10.70.1.0/24,public,active,,,',
      'PREFIX_OVERLAP',
    ],
    [[stored('10.64.0.0/11'), stored('10.70.0.0/16', { status: 'deprecated' })], '10.70.1.0/24,public,active,,,', 'BAD_REQUEST'],
    [[stored('10.64.0.0/11')], '10.70.0.1/32,public,active,,,', 'LENGTH_OUTSIDE_POLICY'],
    [[stored('10.64.0.0/11'), stored('10.70.1.0/24', { status: 'active' })], '10.70.0.0/16,public,active,,,', 'PREFIX_OVERLAP'],
  ])('refuses a row as recording it alone would: %#', (s, line, code) => {
    const e = errorOf(() => plan(s, [line]));
    expect(e.code).toBe(code);
    expect(e.field).toBe('csv:2');
    expect(e.message).toMatch(/^CSV line 2 \(/);
  });

  it('refuses an active prefix above stored ones even with a new container between them', () => {
    const e = errorOf(() =>
      plan(
        [stored('10.64.0.0/11'), stored('10.70.1.0/28', { status: 'active' })],
        ['10.70.0.0/16,public,active,,,', '10.70.1.0/24,public,container,,,'],
      ),
    );
    expect([e.code, e.field, e.details]).toEqual(['PREFIX_OVERLAP', 'csv:2', { overlaps: ['10.70.1.0/28'] }]);
  });

  it('reports the first bad row in the order rows are taken: shortest first, then by line', () => {
    const e = errorOf(() => plan([stored('10.64.0.0/11')], ['10.70.0.1/32,public,active,,,', '172.16.0.0/24,public,active,,,']));
    expect([e.code, e.field]).toEqual(['PREFIX_OUTSIDE_CONTAINER', 'csv:3']);
  });

  it('keeps domains and families apart', () => {
    const p = plan(
      [stored('10.64.0.0/11'), stored('10.64.0.0/11', { vrf: 'backup', status: 'reserved' })],
      ['10.70.0.0/16,public,active,,,'],
    );
    expect(p.created[0]!.parent).toBe('10.64.0.0/11');
    const e = errorOf(() => plan([stored('10.64.0.0/11')], ['2001:db8::/48,public,active,,,']));
    expect(e.code).toBe('PREFIX_OUTSIDE_CONTAINER');
  });

  it('plans 50,000 rows under one container in seconds (no step is quadratic)', () => {
    const lines = Array.from(
      { length: 50_000 },
      (_, i) => `${formatPrefix({ family: 4, start: 0x0a400000n + BigInt(i) * 16n, length: 28 })},public,active,,,`,
    );
    const parsed = rows(lines);
    const t0 = performance.now();
    const p = planPrefixImport([stored('10.64.0.0/11')], parsed, { checkLength });
    const ms = performance.now() - t0;
    expect(p.created).toHaveLength(50_000);
    expect(p.filled[0]!.blocks).toHaveLength(50_000);
    expect(ms).toBeLessThan(10_000);
  });
});
