import { issue, type PlanIssue } from './issues';
import { duplicatesOf, type PlanIndex } from './plan-index';
import { didYouMean } from './suggest';

/**
 * Rules of devices.yaml: unique hostnames and management addresses, a site
 * that exists, unique interface names per device, and an SNMP profile from
 * plan.yaml's list on every managed device (every role but `upstream`).
 */
export function checkDevices(index: PlanIndex): PlanIssue[] {
  const { sections } = index;
  const file = sections.fileOf['devices.yaml'];
  const issues: PlanIssue[] = [];
  const add = (path: string, code: PlanIssue['code'], message: string, hint?: string) =>
    issues.push(issue(file, path, code, message, hint));
  const profiles = sections.plan.snmpProfiles;
  const at = (i: number, field: string) => `devices[${i}].${field}`;

  for (const dup of duplicatesOf(
    sections.devices,
    (d) => d.hostname,
    (i) => at(i, 'hostname'),
  )) {
    add(
      at(dup.index, 'hostname'),
      'duplicate',
      `hostname ${dup.key} is already used at ${dup.firstPath}`,
      'give each device its own hostname',
    );
  }
  // Two devices behind one address would make the poller report one router's counters as another's.
  for (const dup of duplicatesOf(
    sections.devices,
    (d) => d.mgmtAddress,
    (i) => at(i, 'mgmtAddress'),
  )) {
    add(
      at(dup.index, 'mgmtAddress'),
      'duplicate',
      `mgmtAddress ${dup.key} is already used at ${dup.firstPath}`,
      'each managed device needs its own management address',
    );
  }

  sections.devices.forEach((device, i) => {
    if (!index.sites.has(device.site)) {
      add(at(i, 'site'), 'missing', `site ${device.site} is not in sites.yaml`, didYouMean(device.site, index.sites.keys()));
    }
    const ifPath = (j: number) => `devices[${i}].interfaces[${j}].name`;
    for (const dup of duplicatesOf(device.interfaces, (iface) => iface.name, ifPath)) {
      add(ifPath(dup.index), 'duplicate', `${device.hostname} already has an interface ${dup.key} at ${dup.firstPath}`);
    }
    if (device.role !== 'upstream') {
      // Managed devices are polled: they need somewhere to poll and a profile to poll with.
      if (device.mgmtAddress === undefined) {
        add(
          at(i, 'mgmtAddress'),
          'required',
          `${device.role} device ${device.hostname} has no mgmtAddress`,
          'only role upstream (the provider’s unmanaged device) may omit it',
        );
      }
      if (device.snmpProfile === undefined) {
        add(
          at(i, 'snmpProfile'),
          'required',
          `${device.role} device ${device.hostname} has no snmpProfile`,
          profiles.length > 0 ? `one of ${profiles.join(', ')}` : 'add a profile name to snmpProfiles in plan.yaml',
        );
      }
    }
    if (device.snmpProfile !== undefined && !profiles.includes(device.snmpProfile)) {
      add(
        at(i, 'snmpProfile'),
        'missing',
        `SNMP profile ${device.snmpProfile} is not in plan.yaml snmpProfiles`,
        didYouMean(device.snmpProfile, profiles) ?? `add ${device.snmpProfile} to snmpProfiles in plan.yaml`,
      );
    }
  });
  return issues;
}
