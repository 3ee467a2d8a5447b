// ESLint flat config: typescript-eslint's type-checked rules over every TypeScript folder
// (topology/src, backend/src, frontend/src, tests, bench, scripts). `npm run lint` runs it;
// tsc (`npm run typecheck`) judges types, ESLint the rest. Formatting is Prettier's (prettier.config.js).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: ['**/node_modules/', '**/dist/', 'data/', '.cache/', 'coverage/', 'plans/', 'bench/results/'],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // Each file is checked in the program of its nearest tsconfig: topology/ (no Node types: the
        // domain does no I/O), backend/, and the root one for frontend/, tests/, bench/, scripts/.
        // The Vite config sits outside every tsconfig and gets a default program.
        projectService: { allowDefaultProject: ['frontend/vite.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A `_` prefix marks a name as deliberately unused (a parameter a callback's signature requires,
      // a property left out of a rest spread), as tsc's noUnusedLocals/noUnusedParameters accept.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // Passing a caught value (`unknown`) on as a rejection forwards an error, as rethrowing it does
      // (which only-throw-error allows); the SNMP seam hands net-snmp's raw errors to its classifier so.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // A `let` that a shutdown handler reads before startup assigns it (serve's server) stays a `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // Integration tests read HTTP and socket.io payloads as JSON, which is `any` until the browser's
    // client and the tests take their types from the endpoint declarations; there expect() is what
    // checks a payload's shape. The `any` stays reported where it enters (no-explicit-any in the
    // helpers that return response bodies). Drop this block once those helpers are typed.
    files: ['tests/**/*.ts'],
    rules: {
      // …and the `any` of a response body itself: a test reads a body to assert on it with expect().
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // topology/ is pure by design: its tsconfig has no Node types, so a unit test there that times
    // itself with Node's clocks (process.cpuUsage) is typed as unresolved. Only tests may do that.
    files: ['topology/src/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
  {
    // Plain JavaScript (the build script, the CLI's bin, these config files): no types to check against.
    files: ['**/*.js', '**/*.mjs', 'backend/bin/extranet'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly' } },
  },
);
