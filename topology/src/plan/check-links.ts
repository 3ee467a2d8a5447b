import { issue, type PlanIssue } from './issues';
import { duplicatesOf, siteOfDevice, type PlanIndex, type ParsedLink } from './plan-index';
import type { LinkKind, LinkTier, SiteTier } from './types';
import { didYouMean } from './suggest';

/**
 * Rules of links.yaml: unique ids, ends that resolve to a device interface,
 * each interface an end of at most one link, a kind that fits the tier, and a
 * tier that fits the sites of the two ends (a nearer the city core than b).
 */

/** The tiers of the sites at ends a and b that each link tier joins; the internet exit's b is the provider. */
const END_TIERS: Record<Exclude<LinkTier, 'city-internet'>, [SiteTier, SiteTier]> = {
  'city-county': ['city', 'county'],
  'county-township': ['county', 'township'],
};

const TIERS_OF_KIND: Record<LinkKind, readonly LinkTier[]> = {
  'internet-exit': ['city-internet'],
  uplink: ['city-county', 'county-township'],
  backup: ['city-county', 'county-township'],
};

/** Checks links.yaml against devices.yaml and sites.yaml. */
export function checkLinks(index: PlanIndex): PlanIssue[] {
  const { sections } = index;
  const file = sections.fileOf['links.yaml'];
  const issues: PlanIssue[] = [];
  const add = (path: string, code: PlanIssue['code'], message: string, hint?: string) =>
    issues.push(issue(file, path, code, message, hint));
  const at = (i: number, field: string) => `links[${i}].${field}`;

  for (const dup of duplicatesOf(
    sections.links,
    (l) => l.id,
    (i) => at(i, 'id'),
  )) {
    add(at(dup.index, 'id'), 'duplicate', `link id ${dup.key} is already used at ${dup.firstPath}`, 'give each link its own id');
  }

  // The path of an earlier end is only spelt out when a second link uses it.
  const endUsedAt = new Map<string, { id: string; index: number; side: 'a' | 'b' }>();
  sections.links.forEach((link, i) => {
    let endsResolve = true;
    for (const side of ['a', 'b'] as const) {
      const end = link[side];
      const interfaces = index.interfaces.get(end.device);
      if (interfaces === undefined) {
        add(
          at(i, `${side}.device`),
          'missing',
          `device ${end.device} is not in devices.yaml`,
          didYouMean(end.device, index.devices.keys()),
        );
        endsResolve = false;
      } else if (!interfaces.has(end.interface)) {
        add(
          at(i, `${side}.interface`),
          'missing',
          `${end.device} has no interface ${end.interface}`,
          didYouMean(end.interface, interfaces) ?? `add it to ${end.device}'s interfaces in devices.yaml`,
        );
        endsResolve = false;
      } else {
        const key = `${end.device}|${end.interface}`;
        const earlier = endUsedAt.get(key);
        if (earlier === undefined) endUsedAt.set(key, { id: link.id, index: i, side });
        else {
          add(
            at(i, `${side}.interface`),
            'interface-in-use',
            `${end.device} ${end.interface} is already an end of link ${earlier.id} at ${at(earlier.index, earlier.side)}`,
            'a port carries one link: use a free interface',
          );
        }
      }
    }
    if (endsResolve && link.a.device === link.b.device) {
      add(at(i, 'b.device'), 'invalid', `link ${link.id} joins ${link.a.device} to itself`, 'a link joins two different devices');
      return;
    }
    if (!TIERS_OF_KIND[link.kind].includes(link.tier)) {
      add(
        at(i, 'tier'),
        'tier-mismatch',
        `a link of kind ${link.kind} cannot have tier ${link.tier}`,
        `kind ${link.kind} has tier ${TIERS_OF_KIND[link.kind].join(' or ')}`,
      );
      return;
    }
    if (endsResolve) {
      const mismatch = endTierMismatch(index, link);
      if (mismatch !== undefined) add(at(i, 'tier'), 'tier-mismatch', mismatch.message, mismatch.hint);
    }
  });
  return issues;
}

/** Compares the link's tier with the tiers of the sites its ends stand at; undefined when they fit. */
function endTierMismatch(index: PlanIndex, link: ParsedLink): { message: string; hint: string } | undefined {
  const siteA = siteOfDevice(index, link.a.device);
  const siteB = siteOfDevice(index, link.b.device);
  if (siteA === undefined || siteB === undefined) return undefined; // a dangling device site is checkDevices' issue

  if (link.tier === 'city-internet') {
    const roleB = index.devices.get(link.b.device)!.item.role;
    if (siteA.tier === 'city' && roleB === 'upstream') return undefined;
    return {
      message:
        `the internet exit ${link.id} must run from a device at the city to an upstream device; ` +
        `it runs from a ${siteA.tier} site to a ${roleB} device`,
      hint: 'a is the city’s exit router, b the provider’s device with role upstream',
    };
  }
  const [wantA, wantB] = END_TIERS[link.tier];
  if (siteA.tier === wantA && siteB.tier === wantB) return undefined;
  const fitting = (Object.keys(END_TIERS) as (keyof typeof END_TIERS)[]).find(
    (tier) => END_TIERS[tier][0] === siteA.tier && END_TIERS[tier][1] === siteB.tier,
  );
  let hint: string;
  if (siteA.tier === wantB && siteB.tier === wantA) hint = 'swap a and b: a is the end nearer the city core';
  else if (fitting !== undefined) hint = `did you mean tier ${fitting}?`;
  else hint = `a ${link.tier} link runs from a ${wantA} site to a ${wantB} site`;
  return { message: `${link.id} is a ${link.tier} link but runs from ${siteA.tier} ${siteA.code} to ${siteB.tier} ${siteB.code}`, hint };
}
