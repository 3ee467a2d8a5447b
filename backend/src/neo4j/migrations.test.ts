import { describe, expect, it } from 'vitest';
import { COVERAGE_HISTORY_MIGRATIONS } from '../coverage-history/store';
import { MONITOR_MIGRATIONS } from '../monitor/migrations';
import { MIGRATIONS, schemaName } from './migrations';

describe('schemaName', () => {
  it('reads the name of a named constraint or index, of any kind', () => {
    expect(schemaName('CREATE CONSTRAINT site_code IF NOT EXISTS FOR (s:Site) REQUIRE s.code IS UNIQUE')).toBe('site_code');
    expect(schemaName('CREATE INDEX link_tier IF NOT EXISTS FOR (l:Link) ON (l.tier)')).toBe('link_tier');
    expect(schemaName('create text index site_name if not exists for (s:Site) on (s.name)')).toBe('site_name');
  });

  it('gives no name to a statement it cannot read (such a statement is always run)', () => {
    expect(schemaName('CREATE INDEX FOR (l:Link) ON (l.tier)')).toBeUndefined();
    expect(schemaName('CREATE INDEX link_tier FOR (l:Link) ON (l.tier)')).toBeUndefined();
    expect(schemaName('DROP INDEX link_tier IF EXISTS')).toBeUndefined();
  });

  it("names every statement of the product's schema, each name once", () => {
    const all = [...MIGRATIONS, ...MONITOR_MIGRATIONS, ...COVERAGE_HISTORY_MIGRATIONS];
    const names = all.map(schemaName);
    expect(names.filter((n) => n === undefined)).toEqual([]);
    expect(new Set(names).size).toBe(all.length);
  });
});
