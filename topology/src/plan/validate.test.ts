import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors';
import type { PlanIssue } from './issues';
import { throwIfInvalid, validatePlan, validatePlanOrThrow } from './validate';

/** Plan data as YAML gives it: the cases write misspelt keys and wrong values into it on purpose. */
type Rec = Record<string, unknown>;
type End = Rec & { device: string; interface: string };
type DeviceRec = Rec & { interfaces?: Rec[] };
type LinkRec = Rec & { a: End; b: End };
interface Files {
  plan: Rec & { targets: Rec };
  sites: Rec[];
  devices: DeviceRec[];
  links: LinkRec[];
}

const GE = (slot: number, port: number) => `GigabitEthernet0/${slot}/${port}`;
const router = (hostname: string, site: string, role: string, last: number, ifs: string[]): DeviceRec => ({
  hostname,
  site,
  role,
  mgmtAddress: `10.44.0.${last}`,
  snmpProfile: 'v3',
  interfaces: ifs.map((name) => ({ name, speedMbps: 1000 })),
});
const link = (id: string, kind: string, tier: string, a: [string, string], b: [string, string]): LinkRec => ({
  id,
  kind,
  tier,
  a: { device: a[0], interface: a[1] },
  b: { device: b[0], interface: b[1] },
  status: 'built',
});

/**
 * A small complete plan: the city (core, exit, provider), one county and one
 * functional zone, one township under each. Every case below edits one thing.
 */
function base(): Files {
  return {
    plan: {
      name: 'small',
      city: '4413',
      targets: { 'city-internet': 1000, 'city-county': 1000, 'county-township': 100 },
      snmpProfiles: ['v3', 'v2c'],
    },
    sites: [
      { code: '4413', name: '惠州市', tier: 'city', kind: '市' },
      { code: '441302', name: '惠城区', tier: 'county', kind: '区', parent: '4413' },
      { code: '4413ZK', name: '仲恺高新技术产业开发区', tier: 'county', kind: '功能区', parent: '4413' },
      { code: '441302001', name: '桥东街道', tier: 'township', kind: '街道', parent: '441302' },
      { code: '441302007', name: '惠环街道', tier: 'township', kind: '街道', parent: '4413ZK', legalCounty: '441302' },
    ],
    devices: [
      router('core', '4413', 'core', 1, [GE(1, 0), GE(1, 1)]),
      router('exit', '4413', 'internet-exit', 2, [GE(0, 0)]),
      { hostname: 'isp', site: '4413', role: 'upstream', interfaces: [{ name: GE(0, 0) }] },
      router('agg-302', '441302', 'aggregation', 11, [GE(0, 0), GE(1, 0)]),
      router('agg-zk', '4413ZK', 'aggregation', 12, [GE(0, 0), GE(1, 0)]),
      router('acc-001', '441302001', 'access', 21, [GE(0, 0)]),
      router('acc-007', '441302007', 'access', 22, [GE(0, 0)]),
    ],
    links: [
      link('X', 'internet-exit', 'city-internet', ['exit', GE(0, 0)], ['isp', GE(0, 0)]),
      link('L-302', 'uplink', 'city-county', ['core', GE(1, 0)], ['agg-302', GE(0, 0)]),
      link('L-zk', 'uplink', 'city-county', ['core', GE(1, 1)], ['agg-zk', GE(0, 0)]),
      link('L-001', 'uplink', 'county-township', ['agg-302', GE(1, 0)], ['acc-001', GE(0, 0)]),
      link('L-007', 'uplink', 'county-township', ['agg-zk', GE(1, 0)], ['acc-007', GE(0, 0)]),
    ],
  };
}

function files(edit: (f: Files) => void = () => {}) {
  const f = base();
  edit(f);
  return [
    { file: 'plan.yaml', data: f.plan },
    { file: 'sites.yaml', data: { sites: f.sites } },
    { file: 'devices.yaml', data: { devices: f.devices } },
    { file: 'links.yaml', data: { links: f.links } },
  ];
}

function errorsOf(edit: (f: Files) => void): PlanIssue[] {
  const result = validatePlan(files(edit));
  if (result.ok) throw new Error('expected the plan to be rejected');
  return result.errors;
}

describe('validatePlan accepts', () => {
  it('a small complete plan, applying defaults', () => {
    const result = validatePlan(files((f) => delete f.links[1]!.status));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const { plan } = result;
    expect(plan.sites.every((s) => s.status === 'built')).toBe(true);
    expect(plan.links.find((l) => l.id === 'L-302')).toMatchObject({ status: 'built', targetMbps: 1000 });
    expect(plan.links.find((l) => l.id === 'L-001')!.targetMbps).toBe(100);
    expect(plan.devices.find((d) => d.hostname === 'isp')).not.toHaveProperty('mgmtAddress');
  });

  it.each<[string, (f: Files) => void]>([
    ['a link that overrides its tier target', (f) => (f.links[3]!.targetMbps = 200)],
    ['unquoted numeric codes, read by YAML as numbers', (f) => ((f.sites[1]!.code = 441302), (f.sites[3]!.parent = 441302))],
    ['a planned township with a planned uplink', (f) => ((f.sites[3]!.status = 'planned'), (f.links[3]!.status = 'planned'))],
    ['a planned township with no uplink at all', (f) => ((f.sites[3]!.status = 'planned'), f.links.splice(3, 1))],
    ['a device without interfaces', (f) => f.devices.push({ ...router('spare', '4413', 'core', 9, []), interfaces: undefined })],
  ])('%s', (_, edit) => {
    const result = validatePlan(files(edit));
    expect(result.ok ? [] : result.errors).toEqual([]);
  });
});

interface Case {
  name: string;
  edit: (f: Files) => void;
  code: PlanIssue['code'];
  file: string;
  path: string;
  hint?: RegExp;
  message?: RegExp;
}

const cases: Case[] = [
  // structure
  {
    name: 'a misspelt key, suggesting the right one',
    edit: (f) => (f.sites[3]!.parnet = '441302'),
    code: 'unknown-key',
    file: 'sites.yaml',
    path: 'sites[3].parnet',
    hint: /did you mean parent\?/,
  },
  {
    name: 'a credential in the plan',
    edit: (f) => (f.plan.snmpPassword = 'secret'),
    code: 'unknown-key',
    file: 'plan.yaml',
    path: 'snmpPassword',
    hint: /credentials never go in the plan/,
  },
  { name: 'a site without a name', edit: (f) => delete f.sites[1]!.name, code: 'required', file: 'sites.yaml', path: 'sites[1].name' },
  {
    name: 'a misspelt tier, suggesting the right one',
    edit: (f) => (f.sites[1]!.tier = 'contry'),
    code: 'invalid',
    file: 'sites.yaml',
    path: 'sites[1].tier',
    hint: /did you mean county\?/,
  },
  {
    name: 'a malformed management address',
    edit: (f) => (f.devices[0]!.mgmtAddress = '10.44.0'),
    code: 'invalid',
    file: 'devices.yaml',
    path: 'devices[0].mgmtAddress',
  },
  {
    name: 'a zero bandwidth target',
    edit: (f) => (f.plan.targets['city-county'] = 0),
    code: 'invalid',
    file: 'plan.yaml',
    path: 'targets.city-county',
  },
  {
    name: 'a key left empty',
    edit: (f) => (f.links[0]!.carrier = null),
    code: 'invalid',
    file: 'links.yaml',
    path: 'links[0].carrier',
    hint: /give it a value or remove the key/,
  },
  // uniqueness
  {
    name: 'two sites with one code',
    edit: (f) => f.sites.push({ ...f.sites[3]!, name: 'again' }),
    code: 'duplicate',
    file: 'sites.yaml',
    path: 'sites[5].code',
  },
  {
    name: 'two devices with one hostname',
    edit: (f) => f.devices.push({ ...f.devices[5]!, mgmtAddress: '10.44.0.99' }),
    code: 'duplicate',
    file: 'devices.yaml',
    path: 'devices[7].hostname',
  },
  {
    name: 'two devices with one management address',
    edit: (f) => (f.devices[6]!.mgmtAddress = '10.44.0.21'),
    code: 'duplicate',
    file: 'devices.yaml',
    path: 'devices[6].mgmtAddress',
  },
  {
    name: 'two interfaces of one device with one name',
    edit: (f) => f.devices[0]!.interfaces!.push({ name: GE(1, 0) }),
    code: 'duplicate',
    file: 'devices.yaml',
    path: 'devices[0].interfaces[2].name',
  },
  { name: 'two links with one id', edit: (f) => (f.links[4]!.id = 'L-001'), code: 'duplicate', file: 'links.yaml', path: 'links[4].id' },
  // references
  {
    name: 'a parent that does not exist, suggesting a near one',
    edit: (f) => (f.sites[3]!.parent = '441320'),
    code: 'missing',
    file: 'sites.yaml',
    path: 'sites[3].parent',
    hint: /did you mean 441302\?/,
  },
  { name: 'a city that is not a site', edit: (f) => (f.plan.city = '4431'), code: 'missing', file: 'plan.yaml', path: 'city' },
  {
    name: 'a device at a site that does not exist',
    edit: (f) => (f.devices[5]!.site = '441302002'),
    code: 'missing',
    file: 'devices.yaml',
    path: 'devices[5].site',
    hint: /did you mean 441302001\?/,
  },
  {
    name: 'a link end on a device that does not exist',
    edit: (f) => (f.links[3]!.b.device = 'acc-01'),
    code: 'missing',
    file: 'links.yaml',
    path: 'links[3].b.device',
    hint: /did you mean acc-001\?/,
  },
  {
    name: 'a link end on an interface the device lacks',
    edit: (f) => (f.links[3]!.b.interface = GE(0, 1)),
    code: 'missing',
    file: 'links.yaml',
    path: 'links[3].b.interface',
    hint: /did you mean GigabitEthernet0\/0\/0\?/,
  },
  {
    name: 'an SNMP profile the plan does not list',
    edit: (f) => (f.devices[0]!.snmpProfile = 'v3c'),
    code: 'missing',
    file: 'devices.yaml',
    path: 'devices[0].snmpProfile',
    hint: /did you mean (v3|v2c)\?/,
  },
  {
    name: 'a managed device without a management address',
    edit: (f) => delete f.devices[3]!.mgmtAddress,
    code: 'required',
    file: 'devices.yaml',
    path: 'devices[3].mgmtAddress',
  },
  // hierarchy
  {
    name: 'a cycle of parents, naming its sites',
    edit: (f) => (f.sites[1]!.parent = '441302001'),
    code: 'cycle',
    file: 'sites.yaml',
    path: 'sites[1].parent',
    message: /441302 → 441302001 → 441302/,
  },
  {
    name: 'a township under the city, suggesting its county',
    edit: (f) => (f.sites[3]!.parent = '4413'),
    code: 'wrong-tier',
    file: 'sites.yaml',
    path: 'sites[3].parent',
    hint: /did you mean 441302/,
  },
  {
    name: 'a county under a county',
    edit: (f) => (f.sites[2]!.parent = '441302'),
    code: 'wrong-tier',
    file: 'sites.yaml',
    path: 'sites[2].parent',
  },
  {
    name: 'a second city',
    edit: (f) => f.sites.push({ code: '4414', name: '梅州市', tier: 'city', kind: '市' }),
    code: 'invalid',
    file: 'sites.yaml',
    path: 'sites[5].tier',
  },
  {
    name: 'a township whose kind belongs to a county',
    edit: (f) => (f.sites[3]!.kind = '区'),
    code: 'invalid',
    file: 'sites.yaml',
    path: 'sites[3].kind',
  },
  {
    name: 'a functional zone with a numeric code',
    edit: (f) => {
      f.sites[2]!.code = '441341';
      f.sites[4]!.parent = '441341';
      f.devices[4]!.site = '441341';
    },
    code: 'invalid',
    file: 'sites.yaml',
    path: 'sites[2].code',
    hint: /4413DYW/,
  },
  {
    name: 'a zone township without its legal county',
    edit: (f) => delete f.sites[4]!.legalCounty,
    code: 'required',
    file: 'sites.yaml',
    path: 'sites[4].legalCounty',
  },
  {
    name: 'a legal county that is a functional zone',
    edit: (f) => (f.sites[4]!.legalCounty = '4413ZK'),
    code: 'invalid',
    file: 'sites.yaml',
    path: 'sites[4].legalCounty',
  },
  // links
  {
    name: 'an internet exit of the wrong tier',
    edit: (f) => (f.links[0]!.tier = 'city-county'),
    code: 'tier-mismatch',
    file: 'links.yaml',
    path: 'links[0].tier',
  },
  {
    name: 'a link whose tier does not fit its sites',
    edit: (f) => (f.links[3]!.tier = 'city-county'),
    code: 'tier-mismatch',
    file: 'links.yaml',
    path: 'links[3].tier',
    hint: /did you mean tier county-township\?/,
  },
  {
    name: 'a link written far end first',
    edit: (f) => ([f.links[3]!.a, f.links[3]!.b] = [f.links[3]!.b, f.links[3]!.a]),
    code: 'tier-mismatch',
    file: 'links.yaml',
    path: 'links[3].tier',
    hint: /swap a and b/,
  },
  {
    name: 'an internet exit to a managed router',
    edit: (f) => (f.links[0]!.b = { device: 'agg-302', interface: GE(1, 0) }),
    code: 'tier-mismatch',
    file: 'links.yaml',
    path: 'links[0].tier',
  },
  {
    name: 'one interface at the end of two links',
    edit: (f) => f.links.push(link('B-001', 'backup', 'county-township', ['agg-302', GE(1, 0)], ['acc-001', GE(0, 0)])),
    code: 'interface-in-use',
    file: 'links.yaml',
    path: 'links[5].a.interface',
  },
  {
    name: 'a link from a device to itself',
    edit: (f) => (f.links[1]!.b = { device: 'core', interface: GE(1, 1) }),
    code: 'invalid',
    file: 'links.yaml',
    path: 'links[1].b.device',
  },
  // connection rule
  {
    name: 'a built township without any uplink',
    edit: (f) => f.links.splice(3, 1),
    code: 'no-uplink',
    file: 'sites.yaml',
    path: 'sites[3]',
    message: /has no uplink/,
  },
  {
    name: 'a built township whose uplink is only planned',
    edit: (f) => (f.links[3]!.status = 'planned'),
    code: 'no-uplink',
    file: 'sites.yaml',
    path: 'sites[3]',
    message: /only planned/,
  },
  {
    name: 'a built township whose uplink comes from another county',
    edit: (f) => {
      f.devices[3]!.interfaces!.push({ name: GE(1, 1) });
      f.links[4]!.a = { device: 'agg-302', interface: GE(1, 1) };
    },
    code: 'no-uplink',
    file: 'sites.yaml',
    path: 'sites[4]',
    message: /does not come from its parent 4413ZK/,
  },
  {
    name: 'a built county whose uplink is a backup',
    edit: (f) => (f.links[2]!.kind = 'backup'),
    code: 'no-uplink',
    file: 'sites.yaml',
    path: 'sites[2]',
  },
  {
    name: 'a planned township with a built uplink',
    edit: (f) => (f.sites[3]!.status = 'planned'),
    code: 'status-mismatch',
    file: 'sites.yaml',
    path: 'sites[3].status',
  },
  {
    name: 'a built township under a planned county',
    edit: (f) => ((f.sites[2]!.status = 'planned'), (f.links[2]!.status = 'planned')),
    code: 'status-mismatch',
    file: 'sites.yaml',
    path: 'sites[4].status',
  },
];

describe('validatePlan rejects', () => {
  it.each(cases)('$name', ({ edit, code, file, path, hint, message }) => {
    const errors = errorsOf(edit);
    const issue = errors.find((e) => e.path === path);
    expect(issue, JSON.stringify(errors, null, 1)).toMatchObject({ code, file });
    if (hint) expect(issue!.hint).toMatch(hint);
    if (message) expect(issue!.message).toMatch(message);
  });

  it('reports one issue, not a cascade, when a single thing is wrong', () => {
    // A mistyped hostname would also leave the township without an uplink: only the cause is reported.
    expect(errorsOf((f) => (f.links[3]!.b.device = 'acc-01')).map((e) => e.code)).toEqual(['missing']);
  });

  it('reports every issue of a stage, in document order', () => {
    const errors = errorsOf((f) => {
      f.devices[6]!.snmpProfile = 'nope';
      f.sites[3]!.parent = 'nope';
    });
    expect(errors.map((e) => `${e.file} ${e.path}`)).toEqual(['sites.yaml sites[3].parent', 'devices.yaml devices[6].snmpProfile']);
  });

  it('names missing, unknown and empty files', () => {
    const result = validatePlan([
      { file: 'plan.yaml', data: null },
      { file: 'site.yaml', data: { sites: [] } },
      { file: 'devices.yaml', data: { devices: [] } },
      { file: 'links.yaml', data: { links: [] } },
    ]);
    expect(result.ok ? [] : result.errors.map((e) => [e.code, e.file, e.hint])).toEqual([
      ['invalid', 'plan.yaml', 'it must be a mapping with the keys name, city, targets, snmpProfiles'],
      ['missing-file', 'sites.yaml', expect.any(String)],
      ['unknown-file', 'site.yaml', 'did you mean sites.yaml?'],
    ]);
  });

  it('throws a PLAN_INVALID domain error carrying every issue', () => {
    const broken = files((f) => (f.links[3]!.b.interface = 'Gi0/0/9'));
    const err = (() => {
      try {
        validatePlanOrThrow(broken, 'plans/x');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: 'PLAN_INVALID', status: 422, field: 'links.yaml:links[3].b.interface' });
    expect((err as DomainError).details).toMatchObject({ source: 'plans/x', issues: [{ code: 'missing' }] });
    expect(() => throwIfInvalid(validatePlan(broken))).toThrow(/links\[3\]\.b\.interface/);
    expect(throwIfInvalid(validatePlan(files())).name).toBe('small');
  });
});
