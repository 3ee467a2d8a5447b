// Re-exports only. The SNMP poller: scheduler, per-device poll, lab mode.
export * from './config';
export * from './lab-mode';
export * from './lab-routes';
export * from './monitoring';
export * from './poll-device';
export * from './poller';
export * from './sample';
export * from './schedule';
export * from './shard';
export * from './state-store';
export * from './targets';
