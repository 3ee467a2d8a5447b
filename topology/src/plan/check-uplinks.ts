import { issue, type PlanIssue } from './issues';
import { siteOfDevice, type PlanIndex, type ParsedLink } from './plan-index';

/**
 * The connection rule, for county-level units and townships alike:
 *
 * - a site with `status: built` (the default) must be the b end of at least one
 *   link of kind `uplink` with `status: built` whose a end is a device at the
 *   site's parent — otherwise `no-uplink`;
 * - a site with `status: planned` (not connected yet) must have no built uplink,
 *   and a built site must not hang under a planned parent — otherwise `status-mismatch`.
 *
 * So "not connected yet" is stated once, on the site, and every built site is
 * provably attached to its parent. Backup links never count as the uplink.
 * Runs after the reference checks passed, so every end and parent resolves.
 */
export function checkUplinks(index: PlanIndex): PlanIssue[] {
  const { sections } = index;
  const file = sections.fileOf['sites.yaml'];
  const issues: PlanIssue[] = [];

  // Uplinks by the site of their b end.
  const uplinksInto = new Map<string, ParsedLink[]>();
  for (const link of sections.links) {
    if (link.kind !== 'uplink') continue;
    const site = siteOfDevice(index, link.b.device);
    if (site === undefined) continue;
    uplinksInto.set(site.code, [...(uplinksInto.get(site.code) ?? []), link]);
  }

  sections.sites.forEach((site, i) => {
    if (site.tier === 'city' || site.parent === undefined) return;
    const parent = index.sites.get(site.parent)?.item;
    if (parent === undefined) return; // unreachable: references were checked first
    const uplinks = uplinksInto.get(site.code) ?? [];
    const fromParent = uplinks.filter((link) => siteOfDevice(index, link.a.device)?.code === parent.code);
    const ids = (links: ParsedLink[]) => links.map((l) => l.id).join(', ');

    if (site.status === 'planned') {
      const built = uplinks.find((link) => link.status === 'built');
      if (built !== undefined) {
        issues.push(
          issue(
            file,
            `sites[${i}].status`,
            'status-mismatch',
            `${site.tier} ${site.code} is planned but its uplink ${built.id} is built`,
            `set status: built, or mark ${built.id} planned`,
          ),
        );
      }
      return;
    }
    if (parent.status === 'planned') {
      issues.push(
        issue(
          file,
          `sites[${i}].status`,
          'status-mismatch',
          `${site.tier} ${site.code} is built but its parent ${parent.code} is planned`,
          'a site cannot be connected through a parent that is not: mark one of them accordingly',
        ),
      );
      return;
    }
    if (fromParent.some((link) => link.status === 'built')) return;
    let message: string;
    if (fromParent.length > 0) message = `${site.tier} ${site.code} is built but its uplink ${ids(fromParent)} is only planned`;
    else if (uplinks.length > 0) {
      message = `${site.tier} ${site.code} is built but its uplink ${ids(uplinks)} does not come from its parent ${parent.code}`;
    } else message = `${site.tier} ${site.code} (${site.name}) is built but has no uplink`;
    issues.push(
      issue(
        file,
        `sites[${i}]`,
        'no-uplink',
        message,
        `add a link with kind uplink and status built from a device at ${parent.code} to a device at ${site.code}, ` +
          'or set status: planned if the site is not connected yet',
      ),
    );
  });
  return issues;
}
