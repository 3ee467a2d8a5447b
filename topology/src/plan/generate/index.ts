// Re-exports only: the synthetic plan generator.
export * from './rng';
export * from './address-size';
export * from './generate';
export * from './render';
