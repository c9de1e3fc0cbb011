import { describe, expect, it } from 'vitest';
import { SymmetricEigenError, symmetricEigen } from '../src/index.js';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomSymmetric(n: number, rand: () => number): Float64Array {
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

function expectDecomposition(a: Float64Array, n: number, tol: number) {
  const { values, vectors } = symmetricEigen(a, n);
  const v = vectors!;
  let scale = 1;
  for (const x of a) scale = Math.max(scale, Math.abs(x));
  for (let i = 1; i < n; i++) expect(values[i]!).toBeGreaterThanOrEqual(values[i - 1]!);
  for (let c = 0; c < n; c++) {
    for (let r = 0; r < n; r++) {
      let av = 0;
      for (let k = 0; k < n; k++) av += a[r * n + k]! * v[k * n + c]!;
      expect(Math.abs(av - values[c]! * v[r * n + c]!)).toBeLessThan(tol * scale * n);
    }
    for (let c2 = 0; c2 < n; c2++) {
      let dot = 0;
      for (let k = 0; k < n; k++) dot += v[k * n + c]! * v[k * n + c2]!;
      expect(Math.abs(dot - (c === c2 ? 1 : 0))).toBeLessThan(tol * n);
    }
  }
  return values;
}

describe('symmetricEigen', () => {
  it('decomposes random symmetric matrices (A V = V Λ, Vᵀ V = I)', () => {
    const rand = rng(1);
    for (const n of [1, 2, 3, 5, 10, 33]) expectDecomposition(randomSymmetric(n, rand), n, 1e-13);
  });

  it('gets closed-form spectra: 2×2, diagonal, repeated eigenvalues, rank one', () => {
    const v2 = symmetricEigen([2, 1, 1, 2], 2).values;
    expect(v2[0]).toBeCloseTo(1, 14);
    expect(v2[1]).toBeCloseTo(3, 14);
    const d = expectDecomposition(Float64Array.from([3, 0, 0, 0, -1, 0, 0, 0, 3]), 3, 1e-14);
    expect(Array.from(d)).toEqual([-1, 3, 3]);
    // J = 1 1ᵀ (n = 6): eigenvalues 0 (×5) and 6.
    const j = expectDecomposition(new Float64Array(36).fill(1), 6, 1e-14);
    expect(j[5]).toBeCloseTo(6, 13);
    for (let i = 0; i < 5; i++) expect(Math.abs(j[i]!)).toBeLessThan(1e-13);
    // Path-graph Laplacian-like tridiagonal: eigenvalues 2 − 2cos(kπ/(n+1)).
    const n = 12;
    const t = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      t[i * n + i] = 2;
      if (i + 1 < n) {
        t[i * n + i + 1] = -1;
        t[(i + 1) * n + i] = -1;
      }
    }
    const tv = symmetricEigen(t, n, { vectors: false }).values;
    for (let k = 1; k <= n; k++) expect(tv[k - 1]).toBeCloseTo(2 - 2 * Math.cos((k * Math.PI) / (n + 1)), 13);
  });

  it('values-only mode agrees with the full decomposition', () => {
    const a = randomSymmetric(40, rng(9));
    const full = symmetricEigen(a, 40).values;
    const only = symmetricEigen(a, 40, { vectors: false });
    expect(only.vectors).toBeUndefined();
    for (let i = 0; i < 40; i++) expect(only.values[i]).toBeCloseTo(full[i]!, 12);
  });

  it('rejects a wrong length and non-finite entries', () => {
    expect(() => symmetricEigen([1, 2, 3], 2)).toThrow(SymmetricEigenError);
    expect(() => symmetricEigen([1, Number.NaN, Number.NaN, 1], 2)).toThrow(/matrix/);
  });
});
