// Production build: the backend (with the pure topology package inlined) bundled by esbuild
// into backend/dist/main.js, run by plain `node`; the web UI built by Vite into frontend/dist.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const backendPkg = JSON.parse(fs.readFileSync('backend/package.json', 'utf8'));
const external = Object.keys(backendPkg.dependencies).filter((d) => !d.startsWith('@extranet/'));

await build({
  entryPoints: ['backend/src/main.ts'],
  outfile: 'backend/dist/main.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  external,
  logLevel: 'warning',
});
console.log('built backend/dist/main.js');
if (fs.existsSync('frontend/index.html')) {
  execFileSync('npx', ['vite', 'build', 'frontend', '--logLevel', 'warn'], { stdio: 'inherit' });
  console.log('built frontend/dist');
}
