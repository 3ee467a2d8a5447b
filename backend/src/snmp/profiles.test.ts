import { describe, expect, it } from 'vitest';
import { DomainError } from '@extranet/topology';
import { loadSnmpProfiles, parseProfile, profilesFromEnv, redact, requireProfile, SnmpProfileError } from './profiles';

const v3 = {
  version: '3',
  user: 'poller',
  level: 'authPriv',
  authProtocol: 'sha256',
  authKey: 'auth-secret-1',
  privProtocol: 'aes',
  privKey: 'priv-secret-1',
};

/** The issues of a parse that must fail. */
function issues(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof SnmpProfileError) return e.issues;
    throw e;
  }
  throw new Error('expected SnmpProfileError');
}

describe('parseProfile', () => {
  it('accepts a v2c profile', () => {
    expect(parseProfile('legacy', { version: '2c', community: 'c0mm' })).toEqual({ name: 'legacy', version: '2c', community: 'c0mm' });
  });

  it('accepts a v3 authPriv profile, reading YAML number 3 as "3"', () => {
    expect(parseProfile('core', { ...v3, version: 3 })).toMatchObject({ name: 'core', version: '3', level: 'authPriv' });
  });

  it.each([
    [1, 'SNMP version must be 2c or 3. Got: 1'],
    ['2', 'SNMP version must be 2c or 3. Got: 2'],
    [undefined, 'SNMP version must be 2c or 3. Got: nothing'],
    [{ major: 3 }, 'SNMP version must be 2c or 3. Got: an object'],
    [['2c'], 'SNMP version must be 2c or 3. Got: a list'],
  ])('rejects version %s with what is allowed', (version, message) => {
    expect(issues(() => parseProfile('p', { version, community: 'x' }))).toEqual([{ path: 'p.version', message }]);
  });

  it('names the allowed auth protocols, md5 marked discouraged', () => {
    const [issue] = issues(() => parseProfile('p', { ...v3, authProtocol: 'sha1' }));
    expect(issue?.path).toBe('p.authProtocol');
    expect(issue?.message).toBe('must be one of sha, sha256, sha512 (md5 accepted, discouraged). Got: sha1');
  });

  it('refuses DES and AES192 (not offered by net-snmp, weak)', () => {
    expect(issues(() => parseProfile('p', { ...v3, privProtocol: 'des' }))[0]?.message).toMatch(/aes, aes256b, aes256r\. Got: des/);
    expect(issues(() => parseProfile('p', { ...v3, privProtocol: 'aes192' }))[0]?.path).toBe('p.privProtocol');
  });

  it('requires privacy fields for authPriv and refuses them for authNoPriv', () => {
    const { privKey: _k, privProtocol: _p, ...noPriv } = v3;
    expect(
      issues(() => parseProfile('p', noPriv))
        .map((i) => i.path)
        .sort(),
    ).toEqual(['p.privKey', 'p.privProtocol']);
    expect(issues(() => parseProfile('p', { ...v3, level: 'authNoPriv' })).map((i) => i.message)).toEqual([
      'only allowed with level authPriv',
      'only allowed with level authPriv',
    ]);
    expect(parseProfile('p', { ...noPriv, level: 'authNoPriv' })).toMatchObject({ level: 'authNoPriv' });
  });

  it('rejects noAuthNoPriv, short keys and unknown fields', () => {
    expect(issues(() => parseProfile('p', { ...v3, level: 'noAuthNoPriv' }))[0]?.message).toBe(
      'must be one of authNoPriv, authPriv. Got: noAuthNoPriv',
    );
    expect(issues(() => parseProfile('p', { ...v3, authKey: 'short' }))[0]?.path).toBe('p.authKey');
    expect(issues(() => parseProfile('p', { version: '2c', community: 'x', comunity: 'typo' }))).toEqual([
      { path: 'p.comunity', message: 'unknown field' },
    ]);
  });
});

describe('loadSnmpProfiles', () => {
  const file = `profiles:\n  core:\n    version: 3\n    user: poller\n    level: authPriv\n    authProtocol: sha\n    privProtocol: aes\n`;

  it('merges the file with SNMP_PROFILE_* variables, the environment winning per field', () => {
    const env = {
      SNMP_PROFILES_FILE: '/secrets/snmp.yaml',
      SNMP_PROFILE_CORE_AUTH_KEY: 'from-env-auth',
      SNMP_PROFILE_CORE_PRIV_KEY: 'from-env-priv',
      SNMP_PROFILE_HUIZHOU_LEGACY_VERSION: '2c',
      SNMP_PROFILE_HUIZHOU_LEGACY_COMMUNITY: 'c0mm',
    };
    const { profiles, warnings } = loadSnmpProfiles(env, () => file);
    expect(profiles.get('core')).toMatchObject({ authKey: 'from-env-auth', privKey: 'from-env-priv', authProtocol: 'sha' });
    expect(profiles.get('huizhou-legacy')).toEqual({ name: 'huizhou-legacy', version: '2c', community: 'c0mm' });
    expect(warnings).toEqual([expect.stringMatching(/huizhou-legacy: v2c sends the community in clear text/)]);
  });

  it('reads JSON files too', () => {
    const json = JSON.stringify({ profiles: { lab: { version: '2c', community: 'public' } } });
    expect(loadSnmpProfiles({ SNMP_PROFILES_FILE: 'x.json' }, () => json).profiles.get('lab')?.version).toBe('2c');
  });

  it('warns about md5 but accepts it', () => {
    const env = { SNMP_PROFILE_OLD_VERSION: '3', SNMP_PROFILE_OLD_USER: 'u', SNMP_PROFILE_OLD_LEVEL: 'authNoPriv' };
    const { warnings } = loadSnmpProfiles({ ...env, SNMP_PROFILE_OLD_AUTH_PROTOCOL: 'md5', SNMP_PROFILE_OLD_AUTH_KEY: '12345678' });
    expect(warnings).toEqual(['SNMP profile old: md5 is weak, prefer sha256 or sha512']);
  });

  it('reports every issue of every profile at once', () => {
    const env = { SNMP_PROFILE_A_VERSION: '1', SNMP_PROFILE_B_VERSION: '2c' };
    expect(issues(() => loadSnmpProfiles(env)).map((i) => i.path)).toEqual(['a.version', 'b.community']);
  });

  it('rejects a file without a profiles map', () => {
    expect(issues(() => loadSnmpProfiles({ SNMP_PROFILES_FILE: 'f' }, () => 'core: {}'))[0]?.path).toBe('SNMP_PROFILES_FILE');
  });

  it('is empty when nothing is configured', () => {
    expect(loadSnmpProfiles({}).profiles.size).toBe(0);
  });
});

describe('profilesFromEnv', () => {
  it('splits on the longest known field suffix', () => {
    expect(profilesFromEnv({ SNMP_PROFILE_X_AUTH_KEY: 'k', SNMP_PROFILE_X_PRIV_PROTOCOL: 'aes', SNMP_PROFILE_X_USER: 'u' })).toEqual(
      new Map([['x', { authKey: 'k', privProtocol: 'aes', user: 'u' }]]),
    );
  });
});

describe('redact', () => {
  it('hides community and keys, keeping the shape', () => {
    const p = parseProfile('core', v3);
    const r = redact(p);
    expect(r).toMatchObject({ user: 'poller', authKey: '[redacted]', privKey: '[redacted]', redacted: true });
    expect(JSON.stringify(r)).not.toMatch(/secret/);
    expect(redact(parseProfile('l', { version: '2c', community: 's3cret' }))).toMatchObject({ community: '[redacted]' });
  });
});

describe('requireProfile', () => {
  it('throws SNMP_PROFILE_MISSING with the variable to set', () => {
    try {
      requireProfile(new Map(), 'huizhou-v3');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe('SNMP_PROFILE_MISSING');
      expect((e as DomainError).hint).toMatch(/SNMP_PROFILE_HUIZHOU_V3_VERSION/);
    }
  });
});
