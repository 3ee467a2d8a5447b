// Prettier: the code's existing style (single quotes, semicolons, trailing commas) with long lines,
// since signatures and Cypher strings here run wide. `npm run format` rewrites, `npm run format:check` checks.
/** @type {import('prettier').Config} */
export default {
  singleQuote: true,
  semi: true,
  trailingComma: 'all',
  printWidth: 140,
  // YAML (docker-compose, CI) keeps its double quotes.
  overrides: [{ files: ['*.yml', '*.yaml'], options: { singleQuote: false } }],
};
