import { createSeededRandom, type DenseMatrix } from '../src/index.js';

/** ⟨a, b⟩ in float64. */
export function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** A random orthogonal n×n matrix: the product of n random Householder reflections. */
export function randomOrthogonal(n: number, seed: number): DenseMatrix {
  const random = createSeededRandom(seed);
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  for (let r = 0; r < n; r++) {
    const v = Float64Array.from({ length: n }, () => random.normal());
    const vv = dot(v, v);
    for (let i = 0; i < n; i++) {
      let proj = 0;
      for (let k = 0; k < n; k++) proj += q[i * n + k]! * v[k]!;
      for (let k = 0; k < n; k++) q[i * n + k]! -= (2 * proj * v[k]!) / vv;
    }
  }
  return { rows: n, cols: n, data: q };
}

/** A = Q1[:, :r]·diag(s)·Q2[:, :r]ᵀ with known singular values s (length r ≤ min(m, n)). */
export function matrixWithSingularValues(m: number, n: number, s: number[], seed: number): DenseMatrix {
  const q1 = randomOrthogonal(m, seed);
  const q2 = randomOrthogonal(n, seed + 1);
  const data = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let sum = 0;
      s.forEach((sigma, k) => {
        sum += q1.data[i * m + k]! * sigma * q2.data[j * n + k]!;
      });
      data[i * n + j] = sum;
    }
  return { rows: m, cols: n, data };
}

/** max_i |a_i − b_i|. */
export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}
