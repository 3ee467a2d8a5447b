/**
 * Writes plans/plan.schema.json, the JSON Schema of the plan files, for editors
 * (see plans/README.md). Run: npx tsx scripts/write-plan-schema.ts
 * generate-huizhou-plan.ts runs it too. schema.test.ts checks the committed file is current.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { planJsonSchema } from '@extranet/topology';

/** Absolute path of plans/plan.schema.json. */
export const PLAN_SCHEMA_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'plans', 'plan.schema.json');

/** The file's exact text: 2-space JSON and a final newline. */
export function planSchemaText(): string {
  return `${JSON.stringify(planJsonSchema(), null, 2)}\n`;
}

export async function writePlanSchema(): Promise<void> {
  await writeFile(PLAN_SCHEMA_PATH, planSchemaText());
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writePlanSchema().then(
    () => console.log(`wrote ${path.relative(process.cwd(), PLAN_SCHEMA_PATH)}`),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
