import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The web UI. `npx vite build frontend` (scripts/run, scripts/build.mjs) and
 * `build({ root: 'frontend' })` (tests/ui) both land here; paths are relative
 * to this folder whatever the working directory. `npx vite frontend` serves it
 * with /api and /socket.io proxied to the backend on :8080.
 */
const root = fileURLToPath(new URL('.', import.meta.url));
const backend = 'http://127.0.0.1:8080';

export default defineConfig({
  root,
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: {
      '/api': backend,
      '/socket.io': { target: backend, ws: true },
    },
  },
});
