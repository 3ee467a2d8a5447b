// Re-exports only. Live updates over socket.io.
export * from './live';
export * from './rooms';
