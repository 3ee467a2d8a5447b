import { issue, type PlanIssue } from './issues';
import { duplicatesOf, type PlanIndex, type ParsedSite } from './plan-index';
import type { SiteKind, SiteTier } from './types';
import { didYouMean } from './suggest';

/**
 * Rules of the site hierarchy: unique codes, one city at the root, every other
 * site under a parent of the tier above, kinds that fit the tier, zone ids that
 * cannot collide with official codes, legal counties that are real counties,
 * and no cycles.
 */

/** The tier a site's parent must have; the city has none. */
const PARENT_TIER: Record<SiteTier, SiteTier | undefined> = { city: undefined, county: 'city', township: 'county' };

/** Division kinds allowed per tier (NBS names; 功能区 = functional zone without an official code). */
const KINDS_OF_TIER: Record<SiteTier, readonly SiteKind[]> = {
  city: ['市'],
  county: ['区', '县', '功能区'],
  township: ['街道', '镇', '乡', '类似乡级单位'],
};

/** Checks sites.yaml against itself and plan.yaml's `city`. Sites on a cycle get only the cycle issue. */
export function checkSites(index: PlanIndex): PlanIssue[] {
  const { sections, sites } = index;
  const file = sections.fileOf['sites.yaml'];
  const issues: PlanIssue[] = [];
  const codes = [...sites.keys()];
  const at = (i: number, field?: string) => `sites[${i}]${field === undefined ? '' : `.${field}`}`;

  for (const dup of duplicatesOf(
    sections.sites,
    (s) => s.code,
    (i) => at(i, 'code'),
  )) {
    issues.push(
      issue(
        file,
        at(dup.index, 'code'),
        'duplicate',
        `site code ${dup.key} is already used at ${dup.firstPath}`,
        'give each site its own code',
      ),
    );
  }

  const planFile = sections.fileOf['plan.yaml'];
  const city = sites.get(sections.plan.city);
  if (city === undefined) {
    issues.push(
      issue(planFile, 'city', 'missing', `city ${sections.plan.city} is not a site of sites.yaml`, didYouMean(sections.plan.city, codes)),
    );
  } else if (city.item.tier !== 'city') {
    issues.push(
      issue(
        planFile,
        'city',
        'invalid',
        `city ${sections.plan.city} is a ${city.item.tier} site, not a city`,
        'point city at the site whose tier is city',
      ),
    );
  }

  const inCycle = findCycles(index, issues, file);

  sections.sites.forEach((site, i) => {
    if (sites.get(site.code)?.index !== i) return; // duplicates reported above
    if (!KINDS_OF_TIER[site.tier].includes(site.kind)) {
      issues.push(
        issue(
          file,
          at(i, 'kind'),
          'invalid',
          `a ${site.tier} site cannot be a ${site.kind}`,
          `a ${site.tier} is one of ${KINDS_OF_TIER[site.tier].join(' | ')}`,
        ),
      );
    }
    if (site.kind === '功能区' && /^\d+$/.test(site.code)) {
      issues.push(
        issue(
          file,
          at(i, 'code'),
          'invalid',
          `functional zone ${site.name} has the numeric code ${site.code}, which could collide with an official division code`,
          'functional zones have no official code: use the city code plus letters, e.g. 4413DYW; 441340/441341 are unofficial',
        ),
      );
    }
    if (site.tier === 'city') {
      if (site.code !== sections.plan.city) {
        issues.push(
          issue(
            file,
            at(i, 'tier'),
            'invalid',
            `a plan has one city, and plan.yaml says it is ${sections.plan.city}`,
            'a county-level unit has tier county',
          ),
        );
      }
      if (site.parent !== undefined) {
        issues.push(issue(file, at(i, 'parent'), 'invalid', 'the city is the root and has no parent', 'remove parent'));
      }
    } else if (!inCycle.has(site.code)) {
      checkParent(index, site, i, file, issues);
    }
    checkLegalCounty(index, site, i, file, issues);
  });
  return issues;
}

function checkParent(index: PlanIndex, site: ParsedSite, i: number, file: string, issues: PlanIssue[]): void {
  const path = `sites[${i}].parent`;
  const wantedTier = PARENT_TIER[site.tier]!;
  if (site.parent === undefined) {
    issues.push(
      issue(
        file,
        path,
        'required',
        `${site.tier} ${site.code} has no parent`,
        `its parent is the ${wantedTier === 'city' ? 'city' : 'county-level unit'} it uplinks to`,
      ),
    );
    return;
  }
  const parent = index.sites.get(site.parent)?.item;
  if (parent === undefined) {
    issues.push(issue(file, path, 'missing', `parent ${site.parent} is not a site`, didYouMean(site.parent, index.sites.keys())));
    return;
  }
  if (parent.tier !== wantedTier) {
    // A township's official code starts with its county's code: suggest that county.
    const guess = site.tier === 'township' ? index.sites.get(site.code.slice(0, 6))?.item : undefined;
    const hint =
      guess?.tier === 'county'
        ? `did you mean ${guess.code}, ${guess.name}?`
        : `the parent of a ${site.tier} is a ${wantedTier === 'county' ? 'county-level unit' : 'city'}`;
    issues.push(issue(file, path, 'wrong-tier', `${site.tier} ${site.code} is under ${parent.tier} ${parent.code}`, hint));
  }
}

function checkLegalCounty(index: PlanIndex, site: ParsedSite, i: number, file: string, issues: PlanIssue[]): void {
  const path = `sites[${i}].legalCounty`;
  const parent = site.parent === undefined ? undefined : index.sites.get(site.parent)?.item;
  if (site.legalCounty === undefined) {
    if (site.tier === 'township' && parent?.kind === '功能区') {
      issues.push(
        issue(
          file,
          path,
          'required',
          `township ${site.code} is under the functional zone ${parent.code}, which is no legal county`,
          `set legalCounty to the county of its official code, e.g. ${site.code.slice(0, 6)}`,
        ),
      );
    }
    return;
  }
  if (site.tier !== 'township') {
    issues.push(issue(file, path, 'invalid', 'only townships carry a legalCounty', 'remove legalCounty'));
    return;
  }
  const legal = index.sites.get(site.legalCounty)?.item;
  if (legal === undefined) {
    issues.push(
      issue(file, path, 'missing', `legal county ${site.legalCounty} is not a site`, didYouMean(site.legalCounty, index.sites.keys())),
    );
  } else if (legal.tier !== 'county' || legal.kind === '功能区') {
    issues.push(
      issue(
        file,
        path,
        'invalid',
        `legal county ${legal.code} is a ${legal.kind}, not a legal county (区 or 县)`,
        'legalCounty names the 区 or 县 of the official code',
      ),
    );
  }
}

/** Follows parent pointers; reports each cycle once, at its first site in file order. */
function findCycles(index: PlanIndex, issues: PlanIssue[], file: string): Set<string> {
  const inCycle = new Set<string>();
  const settled = new Set<string>();
  index.sections.sites.forEach((start) => {
    const trail: string[] = [];
    const onTrail = new Map<string, number>();
    let code: string | undefined = start.code;
    while (code !== undefined && !settled.has(code) && !onTrail.has(code)) {
      onTrail.set(code, trail.length);
      trail.push(code);
      code = index.sites.get(code)?.item.parent;
    }
    if (code !== undefined && onTrail.has(code)) {
      const cycle = trail.slice(onTrail.get(code));
      cycle.forEach((c) => inCycle.add(c));
      const first = Math.min(...cycle.map((c) => index.sites.get(c)!.index));
      const firstCode = index.sections.sites[first]!.code;
      const rotated = [...cycle.slice(cycle.indexOf(firstCode)), ...cycle.slice(0, cycle.indexOf(firstCode))];
      issues.push(
        issue(
          file,
          `sites[${first}].parent`,
          'cycle',
          `cycle: ${[...rotated, firstCode].join(' → ')}`,
          'every chain of parents must end at the city',
        ),
      );
    }
    trail.forEach((c) => settled.add(c));
  });
  return inCycle;
}
