import { defineConfig } from 'vitest/config';

/** The qualitative claim checks of spec §9 (minutes, not CI): `pnpm test:slow` from packages/steady-learner. */
export default defineConfig({
  test: {
    include: ['tests/slow/**/*.slow.ts'],
    testTimeout: 1_800_000,
    hookTimeout: 1_800_000,
    pool: 'forks',
  },
});
