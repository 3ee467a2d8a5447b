// Re-exports only. Each concept lives in its own file.
export * from './errors';
export * from './plan/types';
