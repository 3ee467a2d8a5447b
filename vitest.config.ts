import { defineConfig } from 'vitest/config';

/**
 * Two projects:
 *  - unit: pure logic beside the code (`*.test.ts` in topology/ and backend/), in parallel;
 *  - integration: tests/ against the real services — one Neo4j for the whole run
 *    (tests/setup/neo4j.ts), real SNMP agents, headless Chromium. Community Edition has
 *    one user database, so these files run one at a time.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['topology/src/**/*.test.ts', 'backend/src/**/*.test.ts', 'frontend/src/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/**/*.test.ts'],
          // Every answer of every integration test is checked against its declared schema (backend/src/http/contract.ts).
          env: { API_CHECK_RESPONSES: '1' },
          globalSetup: ['tests/setup/neo4j.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
