import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    // The JSON report feeds the one-line 'N passed, N failed' summary of `pnpm test:all`.
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
  },
});
