// Re-exports only. Monitoring: what a poll cycle persists, the history, the API.
export * from './coverage-service';
export * from './cycle-store';
export * from './device-store';
export * from './end-state';
export * from './history-store';
export * from './migrations';
export * from './retention';
export * from './routes';
export * from './schema';
export * from './types';
