import { describe, expect, it } from 'vitest';
import { hrefOf, parseHash } from './router';

describe('parseHash', () => {
  it.each([
    ['', 'topology', {}],
    ['#', 'topology', {}],
    ['#/coverage', 'coverage', {}],
    ['#/coverage/', 'coverage', {}],
    ['#/ipam?vrf=public&cidr=10.64.0.0%2F11', 'ipam', { vrf: 'public', cidr: '10.64.0.0/11' }],
    ['#/topology?site=441302', 'topology', { site: '441302' }],
    ['#/audit?actor=zhang.wei&action=allocate', 'audit', { actor: 'zhang.wei', action: 'allocate' }],
    ['#/nowhere?x=1', 'topology', { x: '1' }],
  ])('%s → %s %j', (hash, view, params) => expect(parseHash(hash)).toEqual({ view, params }));
});

describe('hrefOf', () => {
  it('round-trips through parseHash, leaving out empty parameters', () => {
    const href = hrefOf('ipam', { vrf: 'public', cidr: '2001:db8:4400::/40', empty: '', none: undefined });
    expect(href).toBe('#/ipam?vrf=public&cidr=2001%3Adb8%3A4400%3A%3A%2F40');
    expect(parseHash(href)).toEqual({ view: 'ipam', params: { vrf: 'public', cidr: '2001:db8:4400::/40' } });
    expect(hrefOf('coverage')).toBe('#/coverage');
  });
});
