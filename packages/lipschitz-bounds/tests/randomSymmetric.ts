import { createSeededRandom } from '../src/index.js';

/** A seeded uniform [0, 1) generator (the package's mulberry32), so failures reproduce. */
export function uniformGenerator(seed: number): () => number {
  const random = createSeededRandom(seed);
  return () => random.uniform();
}

/** A random symmetric n×n matrix with entries uniform in [−1, 1), row-major. */
export function randomSymmetric(n: number, rand: () => number): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = rand() * 2 - 1;
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
  return a;
}
