import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DomainError } from '@extranet/topology';

/**
 * SNMP profiles: the credentials a device's `snmpProfile` names. They live
 * outside the plan and are read once at start, from two sources merged field
 * by field (the environment wins, so a secrets manager can inject only the keys):
 *
 * 1. `SNMP_PROFILES_FILE` — path of a JSON or YAML file:
 *    ```yaml
 *    profiles:
 *      huizhou-v3: { version: "3", user: poller, level: authPriv,
 *                    authProtocol: sha, authKey: "…", privProtocol: aes, privKey: "…" }
 *      legacy:     { version: 2c, community: "…" }
 *    ```
 * 2. Variables `SNMP_PROFILE_<NAME>_<FIELD>`; `<NAME>` is the profile name upper-cased
 *    with `-` written as `_` (`huizhou-v3` → `HUIZHOU_V3`), `<FIELD>` one of
 *    `VERSION`, `COMMUNITY`, `USER`, `LEVEL`, `AUTH_PROTOCOL`, `AUTH_KEY`,
 *    `PRIV_PROTOCOL`, `PRIV_KEY`. Example: `SNMP_PROFILE_HUIZHOU_V3_AUTH_KEY=…`.
 *
 * Allowed: version `2c` or `3` (v1 is not: no Counter64); v3 level `authNoPriv` or
 * `authPriv`; authProtocol `sha`, `sha256`, `sha512` (`md5` accepted with a warning);
 * privProtocol `aes` (AES-128-CFB, RFC 3826), `aes256b` (Blumenthal), `aes256r` (Reeder).
 * Keys are passwords of at least 8 characters (RFC 3414 §11.2), localized per engine.
 * Use {@link redact} before a profile reaches a log line or an API response.
 */

const AUTH_PROTOCOLS = ['sha', 'sha256', 'sha512', 'md5'] as const;
const PRIV_PROTOCOLS = ['aes', 'aes256b', 'aes256r'] as const;
const LEVELS = ['authNoPriv', 'authPriv'] as const;

export type AuthProtocol = (typeof AUTH_PROTOCOLS)[number];
export type PrivProtocol = (typeof PRIV_PROTOCOLS)[number];

export interface SnmpV2cProfile {
  name: string;
  version: '2c';
  community: string;
}

export interface SnmpV3Profile {
  name: string;
  version: '3';
  user: string;
  level: 'authNoPriv' | 'authPriv';
  authProtocol: AuthProtocol;
  authKey: string;
  /** Present exactly when level is authPriv. */
  privProtocol?: PrivProtocol;
  privKey?: string;
}

export type SnmpProfile = SnmpV2cProfile | SnmpV3Profile;

/** One problem in the profile configuration: `path` like `huizhou-v3.authProtocol`. */
export interface ProfileIssue {
  path: string;
  message: string;
}

/** Thrown when the profile configuration is invalid; lists every issue at once. */
export class SnmpProfileError extends Error {
  readonly issues: ProfileIssue[];
  constructor(issues: ProfileIssue[]) {
    super(`invalid SNMP profiles:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`);
    this.name = 'SnmpProfileError';
    this.issues = issues;
  }
}

/** A configured value for the `Got:` of an error: a scalar as written, anything else by its kind. */
function got(value: unknown): string {
  switch (typeof value) {
    case 'undefined':
      return 'nothing';
    case 'string':
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    default:
      if (value === null) return 'null';
      return Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
  }
}

const oneOf = (allowed: readonly string[], extra = '') => ({
  error: (iss: { input?: unknown }) => `must be one of ${allowed.join(', ')}${extra}. Got: ${got(iss.input)}`,
});
const key = z.string({ error: 'required' }).min(8, 'must be at least 8 characters (RFC 3414 §11.2)');

const v2cSchema = z.strictObject({
  version: z.literal('2c'),
  community: z.string({ error: 'required' }).min(1, 'must not be empty'),
});

const v3Schema = z
  .strictObject({
    version: z.literal('3'),
    user: z.string({ error: 'required' }).min(1, 'must not be empty').max(32, 'at most 32 characters (RFC 3414)'),
    level: z.enum(LEVELS, oneOf(LEVELS)),
    authProtocol: z.enum(AUTH_PROTOCOLS, oneOf(['sha', 'sha256', 'sha512'], ' (md5 accepted, discouraged)')),
    authKey: key,
    privProtocol: z.enum(PRIV_PROTOCOLS, oneOf(PRIV_PROTOCOLS)).optional(),
    privKey: key.optional(),
  })
  .superRefine((p, ctx) => {
    if (p.level === 'authPriv') {
      if (p.privProtocol === undefined) ctx.addIssue({ code: 'custom', path: ['privProtocol'], message: 'required for authPriv' });
      if (p.privKey === undefined) ctx.addIssue({ code: 'custom', path: ['privKey'], message: 'required for authPriv' });
    } else {
      for (const f of ['privProtocol', 'privKey'] as const) {
        if (p[f] !== undefined) ctx.addIssue({ code: 'custom', path: [f], message: 'only allowed with level authPriv' });
      }
    }
  });

/**
 * Validates one profile. YAML's `version: 3` (a number) is read as "3".
 *
 * @example parseProfile('lab', { version: '2c', community: 'public' })
 * @throws SnmpProfileError listing every issue, e.g. `lab.version: SNMP version must be 2c or 3. Got: 1`
 */
export function parseProfile(name: string, raw: unknown): SnmpProfile {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new SnmpProfileError([{ path: name, message: 'must be an object with a version field' }]);
  }
  const input = { ...(raw as Record<string, unknown>) };
  if (typeof input.version === 'number') input.version = String(input.version);
  if (input.version !== '2c' && input.version !== '3') {
    throw new SnmpProfileError([{ path: `${name}.version`, message: `SNMP version must be 2c or 3. Got: ${got(input.version)}` }]);
  }
  const parsed = (input.version === '2c' ? v2cSchema : v3Schema).safeParse(input);
  if (!parsed.success) {
    throw new SnmpProfileError(
      parsed.error.issues.map((i) => {
        const keys = i.code === 'unrecognized_keys' ? i.keys : [];
        return keys.length > 0
          ? { path: `${name}.${keys.join(',')}`, message: 'unknown field' }
          : { path: [name, ...i.path.map(String)].join('.'), message: i.message };
      }),
    );
  }
  return { name, ...parsed.data };
}

const ENV_FIELDS: [suffix: string, field: string][] = [
  ['_AUTH_PROTOCOL', 'authProtocol'],
  ['_PRIV_PROTOCOL', 'privProtocol'],
  ['_AUTH_KEY', 'authKey'],
  ['_PRIV_KEY', 'privKey'],
  ['_COMMUNITY', 'community'],
  ['_VERSION', 'version'],
  ['_LEVEL', 'level'],
  ['_USER', 'user'],
];

/** Raw profile fields from `SNMP_PROFILE_<NAME>_<FIELD>` variables, keyed by profile name. */
export function profilesFromEnv(env: NodeJS.ProcessEnv): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const [variable, value] of Object.entries(env)) {
    if (!variable.startsWith('SNMP_PROFILE_') || value === undefined || value === '') continue;
    const rest = variable.slice('SNMP_PROFILE_'.length);
    const match = ENV_FIELDS.find(([suffix]) => rest.endsWith(suffix) && rest.length > suffix.length);
    if (match === undefined) continue;
    const name = rest.slice(0, -match[0].length).toLowerCase().replaceAll('_', '-');
    out.set(name, { ...out.get(name), [match[1]]: value });
  }
  return out;
}

const fileSchema = z.strictObject({ profiles: z.record(z.string(), z.unknown()) });

/** What {@link loadSnmpProfiles} returns: the profiles by name, and warnings for the log (md5…). */
export interface SnmpProfiles {
  profiles: ReadonlyMap<string, SnmpProfile>;
  warnings: string[];
}

/**
 * Reads `SNMP_PROFILES_FILE` (if set) and the `SNMP_PROFILE_*` variables,
 * merges them (environment wins per field) and validates every profile.
 *
 * @param env defaults to `process.env`
 * @param readFile injectable for tests; defaults to reading UTF-8 from disk
 * @throws SnmpProfileError with every issue of every profile
 */
export function loadSnmpProfiles(
  env: NodeJS.ProcessEnv = process.env,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): SnmpProfiles {
  const raw = new Map<string, Record<string, unknown>>();
  const file = env.SNMP_PROFILES_FILE;
  if (file !== undefined && file !== '') {
    let doc: unknown;
    try {
      doc = parseYaml(readFile(file)); // YAML 1.2 is a superset of JSON: one parser for both
    } catch (e) {
      throw new SnmpProfileError([{ path: 'SNMP_PROFILES_FILE', message: `cannot read ${file}: ${(e as Error).message}` }]);
    }
    const parsed = fileSchema.safeParse(doc);
    if (!parsed.success) {
      throw new SnmpProfileError([
        { path: 'SNMP_PROFILES_FILE', message: 'must hold a "profiles:" map of name → profile, and nothing else' },
      ]);
    }
    for (const [name, p] of Object.entries(parsed.data.profiles)) raw.set(name, p as Record<string, unknown>);
  }
  for (const [name, fields] of profilesFromEnv(env)) raw.set(name, { ...raw.get(name), ...fields });

  const profiles = new Map<string, SnmpProfile>();
  const issues: ProfileIssue[] = [];
  const warnings: string[] = [];
  for (const [name, r] of raw) {
    try {
      const p = parseProfile(name, r);
      profiles.set(name, p);
      if (p.version === '3' && p.authProtocol === 'md5') warnings.push(`SNMP profile ${name}: md5 is weak, prefer sha256 or sha512`);
      if (p.version === '2c') warnings.push(`SNMP profile ${name}: v2c sends the community in clear text, prefer v3 authPriv`);
    } catch (e) {
      if (!(e instanceof SnmpProfileError)) throw e;
      issues.push(...e.issues);
    }
  }
  if (issues.length > 0) throw new SnmpProfileError(issues);
  return { profiles, warnings };
}

/**
 * The profile named by a device, or a `SNMP_PROFILE_MISSING` domain error.
 *
 * @example requireProfile(loaded.profiles, device.snmpProfile ?? '')
 */
export function requireProfile(profiles: ReadonlyMap<string, SnmpProfile>, name: string): SnmpProfile {
  const p = profiles.get(name);
  if (p !== undefined) return p;
  const env = name.toUpperCase().replaceAll('-', '_');
  throw new DomainError('SNMP_PROFILE_MISSING', `SNMP profile "${name}" is not configured`, {
    field: 'snmpProfile',
    hint: `add it to SNMP_PROFILES_FILE or set SNMP_PROFILE_${env}_VERSION and its credentials`,
    details: { known: [...profiles.keys()].sort() },
  });
}

/** A profile with its secrets replaced, safe for logs and API output (the brand keeps it out of openSession). */
export type RedactedProfile = SnmpProfile & { redacted: true };

const REDACTED = '[redacted]';

/**
 * Copies a profile with community, authKey and privKey replaced by `[redacted]`
 * (the shape stays, so an operator sees which fields are set).
 *
 * @example redact({ name: 'x', version: '2c', community: 's3cret' }) // { name: 'x', version: '2c', community: '[redacted]', redacted: true }
 */
export function redact(profile: SnmpProfile): RedactedProfile {
  if (profile.version === '2c') return { ...profile, community: REDACTED, redacted: true };
  return {
    ...profile,
    redacted: true,
    authKey: REDACTED,
    ...(profile.privKey === undefined ? {} : { privKey: REDACTED }),
  };
}
