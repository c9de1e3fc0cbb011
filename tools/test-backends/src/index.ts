/**
 * Private test helper: run one numeric test body on every available tfjs backend, the way tfjs's own
 * `describeWithFlags` does. Backends: `cpu` and `wasm` (SIMD, loaded from node_modules, no network).
 * Restrict with the environment variable `LIPKIT_TEST_BACKENDS=cpu` (comma-separated list).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
// tfjs-layers' node bundle registers the gradients of every core op (tfjs-core's CJS bundle alone does not).
import '@tensorflow/tfjs-layers';
import { beforeEach, describe } from 'vitest';

/** Names of the backends the test helper knows. */
export const TEST_BACKENDS = ['cpu', 'wasm'] as const;
/** One of {@link TEST_BACKENDS}. */
export type TestBackendName = (typeof TEST_BACKENDS)[number];

/** Backends selected by `LIPKIT_TEST_BACKENDS` (default: all of {@link TEST_BACKENDS}). */
export function selectedTestBackends(): TestBackendName[] {
  const env = process.env.LIPKIT_TEST_BACKENDS;
  if (env === undefined || env.trim() === '') return [...TEST_BACKENDS];
  const names = env.split(',').map((s) => s.trim());
  for (const n of names) {
    if (!(TEST_BACKENDS as readonly string[]).includes(n)) {
      throw new Error(`LIPKIT_TEST_BACKENDS: unknown backend '${n}'; allowed: ${TEST_BACKENDS.join(', ')}`);
    }
  }
  return names as TestBackendName[];
}

/** Makes `name` the active tfjs backend, initialising it on first use; throws if it cannot start. */
export async function useBackend(name: TestBackendName): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tfjs backend '${name}' failed to initialise`);
  await tf.ready();
}

/**
 * Declares `describe(`${title} [backend]`)` once per selected backend; inside, the backend is active for
 * every test (set in `beforeEach`). The body receives the backend name.
 */
export function describeEachBackend(title: string, body: (backend: TestBackendName) => void): void {
  for (const backend of selectedTestBackends()) {
    describe(`${title} [${backend}]`, () => {
      beforeEach(async () => {
        await useBackend(backend);
      });
      body(backend);
    });
  }
}

/**
 * Runs `fn` `repeats` times and returns the number of live tensors after each run; a leak-free path gives a
 * constant sequence. The first run is a warm-up (kernels may cache constants) and is not included.
 */
export async function tensorCountsOver(fn: () => void | Promise<void>, repeats: number): Promise<number[]> {
  await fn();
  const counts: number[] = [];
  for (let i = 0; i < repeats; i++) {
    await fn();
    counts.push(tf.memory().numTensors);
  }
  return counts;
}
