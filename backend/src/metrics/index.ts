// Re-exports only. Prometheus /metrics.
export * from './collect';
export * from './exposition';
export * from './routes';
