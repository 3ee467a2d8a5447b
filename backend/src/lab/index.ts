// Re-exports only. The lab: simulated routers as real SNMP agents.
export * from './agent';
export * from './diurnal';
export * from './faults';
export * from './lab';
export * from './main';
export * from './router';
export * from './router-mib';
export * from './shortfalls';
export * from './traffic';
