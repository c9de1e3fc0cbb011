import { defineConfig } from 'vitest/config';

/**
 * Test settings of every workspace package (each package's vitest.config.ts re-exports this). Timeouts are generous
 * because CI is a 2-core machine; a test that needs more is too slow for CI and belongs in a `slow` suite.
 */
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // The JSON report feeds the one-line 'N passed, N failed' summary of `pnpm test:all`.
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
  },
});
