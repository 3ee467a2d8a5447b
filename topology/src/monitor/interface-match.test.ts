import { describe, expect, it } from 'vitest';
import { matchInterfaces, type AgentInterfaceRow } from './interface-match';

const row = (ifIndex: number, ifName: string, ifAlias = '', ifDescr = ifName): AgentInterfaceRow => ({ ifIndex, ifName, ifAlias, ifDescr });

describe('matchInterfaces', () => {
  it('finds a plan interface by ifName, whatever its ifIndex', () => {
    const m = matchInterfaces(['Gi0/0/1'], [row(3, 'Gi0/0/0'), row(9, 'Gi0/0/1')]);
    expect(m.get('Gi0/0/1')).toEqual({ ok: true, ifIndex: 9, by: 'ifName' });
  });

  it('falls back to ifAlias, then ifDescr, in that order', () => {
    const rows = [row(1, 'port1', 'uplink', 'eth0'), row(2, 'port2', '', 'uplink'), row(3, 'port3', '', 'backup')];
    const m = matchInterfaces(['uplink', 'backup'], rows);
    expect(m.get('uplink')).toEqual({ ok: true, ifIndex: 1, by: 'ifAlias' });
    expect(m.get('backup')).toEqual({ ok: true, ifIndex: 3, by: 'ifDescr' });
  });

  it('reports a name nobody carries as missing', () => {
    expect(matchInterfaces(['Gi9/9/9'], [row(1, 'Gi0/0/0')]).get('Gi9/9/9')).toEqual({ ok: false, reason: 'missing' });
  });

  it('refuses to guess between two rows with the same name', () => {
    const m = matchInterfaces(['x', 'y'], [row(1, 'x'), row(2, 'x'), row(3, 'a', 'y'), row(4, 'b', 'y')]);
    expect(m.get('x')).toEqual({ ok: false, reason: 'ambiguous', by: 'ifName', ifIndexes: [1, 2] });
    expect(m.get('y')).toEqual({ ok: false, reason: 'ambiguous', by: 'ifAlias', ifIndexes: [3, 4] });
  });

  it('does not hand a row claimed by ifName to another name through its alias', () => {
    const m = matchInterfaces(['Gi0/0/0', 'uplink'], [row(1, 'Gi0/0/0', 'uplink')]);
    expect(m.get('Gi0/0/0')).toEqual({ ok: true, ifIndex: 1, by: 'ifName' });
    expect(m.get('uplink')).toEqual({ ok: false, reason: 'missing' });
  });

  it('follows a renumbering: the same name resolves to the new ifIndex', () => {
    const before = matchInterfaces(['a'], [row(1, 'a'), row(2, 'b')]).get('a');
    const after = matchInterfaces(['a'], [row(2, 'a'), row(1, 'b')]).get('a');
    expect(before).toMatchObject({ ifIndex: 1 });
    expect(after).toMatchObject({ ifIndex: 2 });
  });
});
