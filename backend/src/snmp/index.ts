// Re-exports only. The SNMP seam: profiles, sessions, IF-MIB reads.
export * from './errors';
export * from './ifmib';
export * from './oid';
export * from './profiles';
export * from './repetitions';
export * from './session';
export * from './usm';
export * from './varbind';
