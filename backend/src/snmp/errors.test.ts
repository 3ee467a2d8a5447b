import snmp from 'net-snmp';
import { describe, expect, it } from 'vitest';
import { classifySnmpError, isTooBig, SnmpError } from './errors';

const code = (name: keyof typeof snmp.ResponseInvalidCode) => snmp.ResponseInvalidCode[name];
function responseInvalid(message: string, c: number): Error {
  const e = new snmp.ResponseInvalidError(message);
  e.code = c;
  return e;
}
function requestFailed(status: number): Error {
  const e = new snmp.RequestFailedError('failed');
  e.status = status;
  return e;
}

describe('classifySnmpError', () => {
  it.each([
    [new snmp.RequestTimedOutError('Request timed out'), 'timeout', undefined],
    [responseInvalid('Wrong Digest (incorrect password, community or key)', code('EAuthFailure')), 'auth-failure', 'wrongDigests'],
    [responseInvalid('Unknown User Name', code('EAuthFailure')), 'auth-failure', 'unknownUserNames'],
    [responseInvalid('Not In Time Window', code('EAuthFailure')), 'auth-failure', 'notInTimeWindow'],
    [responseInvalid('Failed to decrypt PDU: x', code('ECouldNotDecrypt')), 'auth-failure', 'decryptionErrors'],
    [responseInvalid('Unexpected Report PDU', code('EUnexpectedReport')), 'protocol', undefined],
    [requestFailed(snmp.ErrorStatus.NoSuchName), 'no-such-object', 'noSuchName'],
    [requestFailed(snmp.ErrorStatus.GeneralError), 'protocol', undefined],
    [Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }), 'unreachable', 'ENOTFOUND'],
    [Object.assign(new Error('send EHOSTUNREACH'), { code: 'EHOSTUNREACH' }), 'unreachable', 'EHOSTUNREACH'],
    [new TypeError('garbage'), 'protocol', undefined],
  ])('%s → %s', (error, kind, reason) => {
    const e = classifySnmpError(error, '10.0.0.1:161');
    expect(e).toBeInstanceOf(SnmpError);
    expect([e.kind, e.reason]).toEqual([kind, reason]);
    expect(e.message).toMatch(/^snmp 10\.0\.0\.1:161: /);
  });

  it('never keeps net-snmp text or error for auth failures (they carry digests and keys)', () => {
    const e = classifySnmpError(responseInvalid('Authentication digest abcd received … calculated', code('EAuthFailure')), 't');
    expect(e.message).not.toMatch(/abcd/);
    expect(e.cause).toBeUndefined();
  });

  it('passes SnmpError through and recognises tooBig', () => {
    const own = new SnmpError('timeout', 't', 'x');
    expect(classifySnmpError(own, 'other')).toBe(own);
    expect(isTooBig(requestFailed(snmp.ErrorStatus.TooBig))).toBe(true);
    expect(isTooBig(requestFailed(snmp.ErrorStatus.GeneralError))).toBe(false);
  });
});
