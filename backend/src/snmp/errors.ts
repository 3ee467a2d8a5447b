import snmp from 'net-snmp';

/**
 * Why an SNMP exchange failed, as a closed set the poller can store as data
 * (a failing device is data, never a crash):
 * - `timeout`: no answer within timeout × (retries + 1) — agent down, packet
 *   filtered, wrong v2c community (agents stay silent on those), or an agent
 *   that is told to stop answering;
 * - `auth-failure`: a v3 report PDU from USM (RFC 3414 §3.2: wrongDigests,
 *   unknownUserNames, notInTimeWindow, decryptionErrors, …) or a response whose
 *   digest / encryption does not check out;
 * - `unreachable`: the request could not be sent (name does not resolve, no route);
 * - `no-such-object`: the agent does not implement a requested OID;
 * - `protocol`: anything else the agent said that we cannot use (error status,
 *   malformed or inconsistent response).
 */
export const SNMP_ERROR_KINDS = ['timeout', 'auth-failure', 'unreachable', 'no-such-object', 'protocol'] as const;
export type SnmpErrorKind = (typeof SNMP_ERROR_KINDS)[number];

const HINTS: Record<SnmpErrorKind, string> = {
  timeout: 'check that the agent is up, that UDP is allowed, and the v2c community (wrong communities are not answered)',
  'auth-failure': "check the v3 profile: user, authProtocol/authKey, privProtocol/privKey must match the device's USM user",
  unreachable: 'check the management address and the route to it',
  'no-such-object': 'the device does not implement this object; check its MIB support',
  protocol: 'the agent answered something unusable; try a smaller maxRepetitions or GETNEXT (bulk: "never")',
};

/**
 * An SNMP failure against one target. `kind` is stable (tests and the poller
 * match it); `reason` refines it where known (e.g. `wrongDigests`); the message
 * always names the target.
 */
export class SnmpError extends Error {
  readonly kind: SnmpErrorKind;
  /** `host:port` of the agent. */
  readonly target: string;
  readonly reason: string | undefined;
  readonly hint: string;

  constructor(kind: SnmpErrorKind, target: string, message: string, opts: { reason?: string; cause?: unknown } = {}) {
    super(`snmp ${target}: ${kind}: ${message}`, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'SnmpError';
    this.kind = kind;
    this.target = target;
    this.reason = opts.reason;
    this.hint = HINTS[kind];
  }
}

/** net-snmp's USM report texts (its `UsmStats` table) → RFC 3414 usmStats object names. */
const USM_REASONS: [RegExp, string][] = [
  [/Unsupported Security Level/i, 'unsupportedSecLevels'],
  [/Not In Time Window|outside the time window/i, 'notInTimeWindow'],
  [/Unknown User Name/i, 'unknownUserNames'],
  [/Unknown Engine ID/i, 'unknownEngineIDs'],
  [/Wrong Digest|Authentication digest/i, 'wrongDigests'],
  [/Decryption Error|decrypt/i, 'decryptionErrors'],
];

/** Socket-level codes that mean the request never left or cannot reach the host. */
const UNREACHABLE_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ECONNREFUSED',
  'EADDRNOTAVAIL',
  'EINVAL',
]);

const AUTH_CODES = new Set([
  snmp.ResponseInvalidCode.EAuthFailure,
  snmp.ResponseInvalidCode.ECouldNotDecrypt,
  snmp.ResponseInvalidCode.ENotInTimeWindow,
]);

/** True when `error` is net-snmp's tooBig error status (the response would not fit in one message). */
export function isTooBig(error: unknown): boolean {
  return error instanceof snmp.RequestFailedError && error.status === snmp.ErrorStatus.TooBig;
}

/**
 * Maps anything net-snmp (or node:dgram) throws to an {@link SnmpError}.
 *
 * @example
 * classifySnmpError(new snmp.RequestTimedOutError('Request timed out'), '10.0.0.1:161').kind // 'timeout'
 */
export function classifySnmpError(error: unknown, target: string): SnmpError {
  if (error instanceof SnmpError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof snmp.RequestTimedOutError) return new SnmpError('timeout', target, message, { cause: error });
  if (error instanceof snmp.ResponseInvalidError && AUTH_CODES.has(error.code)) {
    const reason = USM_REASONS.find(([re]) => re.test(message))?.[1];
    // Neither net-snmp's text nor the error itself is kept: the text carries digests
    // computed with our key and the error's `info` holds the user with its keys.
    return new SnmpError('auth-failure', target, `v3 authentication failed (${reason ?? 'usm'})`, reason === undefined ? {} : { reason });
  }
  if (error instanceof snmp.RequestFailedError) {
    if (error.status === snmp.ErrorStatus.NoSuchName) {
      return new SnmpError('no-such-object', target, message, { cause: error, reason: 'noSuchName' });
    }
    if (error.status === snmp.ErrorStatus.AuthorizationError) {
      return new SnmpError('auth-failure', target, message, { cause: error, reason: 'authorizationError' });
    }
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) {
    return new SnmpError('unreachable', target, message, { cause: error, reason: code });
  }
  return new SnmpError('protocol', target, message, { cause: error });
}
