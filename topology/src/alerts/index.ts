// Re-exports only: the alert engine, one concept per file.
export * from './rules';
export * from './snapshot';
export * from './types';
export * from './dependency';
export * from './conditions';
export * from './evaluate';
export * from './silence';
export * from './describe';
