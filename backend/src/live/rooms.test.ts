import { describe, expect, it } from 'vitest';
import type { LinkUpdate } from '../monitor/types';
import { groupByRoom, roomName } from './rooms';

const update = (id: string, county: string | null) => ({ id, county }) as LinkUpdate;

describe('live rooms', () => {
  it('names rooms', () => {
    expect(roomName('all')).toBe('all');
    expect(roomName('441302')).toBe('county:441302');
  });

  it('sends every link to all, and each to its county-level unit', () => {
    const rooms = groupByRoom([
      update('X-4413-INET', null),
      update('L-4413-441302', '441302'),
      update('L-441302-441302001', '441302'),
      update('L-4413-441303', '441303'),
    ]);
    expect([...rooms.keys()]).toEqual(['all', 'county:441302', 'county:441303']);
    expect(rooms.get('all')).toHaveLength(4);
    expect(rooms.get('county:441302')!.map((l) => l.id)).toEqual(['L-4413-441302', 'L-441302-441302001']);
  });

  it('has no rooms for an empty cycle', () => {
    expect(groupByRoom([]).size).toBe(0);
  });
});
