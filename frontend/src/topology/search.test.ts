import { pinyin } from 'pinyin-pro';
import { describe, expect, it } from 'vitest';
import { searchEntry, searchSites } from './search';

const toPinyin = (name: string) => pinyin(name, { toneType: 'none', type: 'array' });
const entries = [
  { id: '441302', name: '惠城区' },
  { id: '441303', name: '惠阳区' },
  { id: '441322', name: '博罗县' },
  { id: '441302001', name: '桥东街道' },
  { id: '441302002', name: '桥西街道' },
  { id: '441322001', name: '罗阳街道' },
].map((s) => searchEntry(s, toPinyin));
const ids = (q: string) => searchSites(entries, q).map((e) => e.id);

describe('searchSites', () => {
  it('computes full pinyin and initials without tones', () => {
    expect(entries[0]).toEqual({ id: '441302', name: '惠城区', pinyin: 'huichengqu', initials: 'hcq' });
  });

  it('finds by Chinese name, whole or part', () => {
    expect(ids('惠城区')).toEqual(['441302']);
    expect(ids('惠')).toEqual(['441302', '441303']);
    expect(ids('街道')).toEqual(['441302001', '441302002', '441322001']);
  });

  it('finds by full pinyin, its start, or initials, case and spaces aside', () => {
    expect(ids('huicheng')).toEqual(['441302']);
    expect(ids('Hui Yang')).toEqual(['441303']);
    expect(ids('hcq')).toEqual(['441302']);
    expect(ids('qxjd')).toEqual(['441302002']);
    expect(ids('luo')).toEqual(['441322001', '441322']); // 罗阳 starts with it; 博罗 holds it
  });

  it('finds by code: exact first, then prefix', () => {
    expect(ids('441302')).toEqual(['441302', '441302001', '441302002']);
    expect(ids('441322001')).toEqual(['441322001']);
  });

  it('answers nothing for nothing, and nothing that does not match', () => {
    expect(ids('  ')).toEqual([]);
    expect(ids('shenzhen')).toEqual([]);
  });

  it('caps the list', () => {
    expect(searchSites(entries, '4413', 2)).toHaveLength(2);
  });
});
