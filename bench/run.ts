/**
 * Benchmark dispatcher: `npm run bench -- <name> [args…]` runs the default
 * export of `bench/<name>/main.ts`. A benchmark is just a folder with a
 * `main.ts`, so adding one (e.g. `bench/snmp/main.ts`) needs no change here.
 */
import fs from 'node:fs';
import path from 'node:path';

/** What every `bench/<name>/main.ts` exports by default. */
export type BenchMain = (args: string[]) => Promise<void>;

const benchDir = import.meta.dirname;

/** Names of the benchmarks present: the folders that hold a `main.ts`. */
function available(): string[] {
  return fs
    .readdirSync(benchDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(benchDir, d.name, 'main.ts')))
    .map((d) => d.name)
    .sort();
}

async function run(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const names = available();
  if (!name || !names.includes(name)) {
    if (name) console.error(`unknown benchmark: ${name}`);
    console.error(`usage: npm run bench -- <name> [args…]\navailable: ${names.join(', ') || '(none)'}`);
    process.exitCode = 2;
    return;
  }
  // A computed specifier: tsx resolves the .ts file at run time; typecheck does not follow it.
  const mod = (await import(`./${name}/main.ts`)) as { default: BenchMain };
  await mod.default(args);
}

run().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exitCode = 1;
});
