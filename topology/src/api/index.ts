// Re-exports only: the API contract, one declaration per endpoint (see endpoint.ts).
export * from './endpoint';
export * from './common';
export * from './registry';
export * from './live';
export * from './roles';
export * as authApi from './auth';
export type { User, Me, ApiToken, AuditEvent } from './auth';
export * as ipamApi from './ipam';
export * as labApi from './lab';
export * as monitorApi from './monitor';
export * as coverageHistoryApi from './coverage-history';
export * as planApi from './plan';
export * as systemApi from './system';
export type { PrefixRow, PrefixUtilization, LookupResult, IpamEvent, PrefixStatus, OwnerKind } from './ipam';
export { PREFIX_STATUSES, OWNER_KINDS, MAX_ALLOCATE_COUNT } from './ipam';
export type { LinkUtilization } from './monitor';
export { LAB_FAULTS, type LabFault } from './lab';
export { MAX_UTILIZATION_RANGE_MS, DEFAULT_UTILIZATION_RANGE_MS } from './monitor';
