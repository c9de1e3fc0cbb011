import { defineConfig } from 'vitest/config';

/** The qualitative claim checks of spec §9 (about 45 minutes, not CI): `pnpm test:slow` from packages/steady-learner. */
export default defineConfig({
  test: {
    include: ['tests/slow/**/*.slow.ts'],
    testTimeout: 1_800_000,
    hookTimeout: 1_800_000,
    pool: 'forks',
    // Each file trains on one core; vitest's default (cores − 1) would run them one after the other on 2 cores.
    maxWorkers: 2,
  },
});
