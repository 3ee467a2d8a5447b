import snmp from 'net-snmp';
import type { SnmpV3Profile } from './profiles';

/**
 * The net-snmp USM user for a v3 profile — the same object configures a client
 * session (`createV3Session`) and a lab agent (`authorizer.addUser`), so the two
 * sides can never disagree on how a profile maps to protocols.
 */
export function usmUser(profile: SnmpV3Profile): snmp.User {
  const user: snmp.User = {
    name: profile.user,
    level: snmp.SecurityLevel[profile.level],
    authProtocol: snmp.AuthProtocols[profile.authProtocol],
    authKey: profile.authKey,
  };
  if (profile.level === 'authPriv' && profile.privProtocol !== undefined && profile.privKey !== undefined) {
    user.privProtocol = snmp.PrivProtocols[profile.privProtocol];
    user.privKey = profile.privKey;
  }
  return user;
}
