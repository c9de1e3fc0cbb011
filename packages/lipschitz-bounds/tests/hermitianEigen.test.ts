import { describe, expect, it } from 'vitest';
import {
  createSeededRandom,
  hermitianEigenDecomposition,
  hermitianEigenInPlace,
  NumericCoreError,
  singularValues,
} from '../src/index.js';
import { maxAbsDifference } from './testHelpers.js';

/** A random Hermitian PSD matrix BᴴB (B is m×n complex Gaussian), as (re, im). */
function randomGram(n: number, m: number, seed: number): { re: Float64Array; im: Float64Array } {
  const random = createSeededRandom(seed);
  const bRe = Float64Array.from({ length: m * n }, () => random.normal());
  const bIm = Float64Array.from({ length: m * n }, () => random.normal());
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      for (let k = 0; k < m; k++) {
        // conj(B[k,i]) B[k,j]
        const ar = bRe[k * n + i]!;
        const ai = -bIm[k * n + i]!;
        const br = bRe[k * n + j]!;
        const bi = bIm[k * n + j]!;
        re[i * n + j]! += ar * br - ai * bi;
        im[i * n + j]! += ar * bi + ai * br;
      }
  return { re, im };
}

describe('hermitianEigenDecomposition', () => {
  for (const [n, m] of [
    [1, 2],
    [2, 3],
    [5, 9],
    [17, 6],
    [40, 40],
  ] as const) {
    it(`matches the singular values of the real embedding and satisfies A w = λ w (n=${n}, rank ≤ ${m})`, () => {
      const { re, im } = randomGram(n, m, 100 + n);
      const { values, vectorsRe, vectorsIm } = hermitianEigenDecomposition(n, re, im, { vectors: true });
      // Real embedding [[Re, −Im], [Im, Re]] is symmetric PSD with every eigenvalue twice.
      const embedded = new Float64Array(4 * n * n);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          embedded[i * 2 * n + j] = re[i * n + j]!;
          embedded[i * 2 * n + n + j] = -im[i * n + j]!;
          embedded[(n + i) * 2 * n + j] = im[i * n + j]!;
          embedded[(n + i) * 2 * n + n + j] = re[i * n + j]!;
        }
      const reference = singularValues({ rows: 2 * n, cols: 2 * n, data: embedded }).filter((_, i) => i % 2 === 0);
      expect(maxAbsDifference(values, reference)).toBeLessThan(1e-11 * reference[0]!);
      for (let k = 0; k < n; k++) {
        let residual = 0;
        let norm = 0;
        for (let i = 0; i < n; i++) {
          let sRe = 0;
          let sIm = 0;
          for (let j = 0; j < n; j++) {
            const wr = vectorsRe![k * n + j]!;
            const wi = vectorsIm![k * n + j]!;
            sRe += re[i * n + j]! * wr - im[i * n + j]! * wi;
            sIm += re[i * n + j]! * wi + im[i * n + j]! * wr;
          }
          residual +=
            (sRe - values[k]! * vectorsRe![k * n + i]!) ** 2 + (sIm - values[k]! * vectorsIm![k * n + i]!) ** 2;
          norm += vectorsRe![k * n + i]! ** 2 + vectorsIm![k * n + i]! ** 2;
        }
        expect(Math.sqrt(residual)).toBeLessThan(1e-11 * reference[0]!);
        expect(norm).toBeCloseTo(1, 12);
      }
    });
  }

  it('leading eigenvectors only (inverse iteration), also for repeated eigenvalues', () => {
    for (const [n, m, repeat] of [
      [40, 40, false],
      [24, 24, true],
    ] as const) {
      const base = randomGram(repeat ? n / 2 : n, m, 7 + n);
      let re = base.re;
      let im = base.im;
      if (repeat) {
        // diag(B, B): every eigenvalue twice.
        const h = n / 2;
        re = new Float64Array(n * n);
        im = new Float64Array(n * n);
        for (let i = 0; i < h; i++)
          for (let j = 0; j < h; j++)
            for (const shift of [0, h]) {
              re[(i + shift) * n + j + shift] = base.re[i * h + j]!;
              im[(i + shift) * n + j + shift] = base.im[i * h + j]!;
            }
      }
      const all = hermitianEigenDecomposition(n, re, im).values;
      const wanted = repeat ? 4 : 5; // two repeated pairs, or five simple values
      const threshold = (all[wanted - 1]! + all[wanted]!) / 2;
      const result = hermitianEigenInPlace(Float64Array.from(re), Float64Array.from(im), n, (v) => v > threshold);
      expect(result.count).toBe(wanted);
      for (let a = 0; a < wanted; a++) {
        let residual = 0;
        for (let i = 0; i < n; i++) {
          let sRe = 0;
          let sIm = 0;
          for (let j = 0; j < n; j++) {
            const wr = result.vectorsRe[a * n + j]!;
            const wi = result.vectorsIm[a * n + j]!;
            sRe += re[i * n + j]! * wr - im[i * n + j]! * wi;
            sIm += re[i * n + j]! * wi + im[i * n + j]! * wr;
          }
          residual +=
            (sRe - all[a]! * result.vectorsRe[a * n + i]!) ** 2 + (sIm - all[a]! * result.vectorsIm[a * n + i]!) ** 2;
        }
        expect(Math.sqrt(residual)).toBeLessThan(1e-10 * all[0]!);
        for (let b = 0; b <= a; b++) {
          let dRe = 0;
          let dIm = 0;
          for (let i = 0; i < n; i++) {
            const ar = result.vectorsRe[a * n + i]!;
            const ai = result.vectorsIm[a * n + i]!;
            const br = result.vectorsRe[b * n + i]!;
            const bi = result.vectorsIm[b * n + i]!;
            dRe += ar * br + ai * bi;
            dIm += ar * bi - ai * br;
          }
          expect(Math.hypot(dRe - (a === b ? 1 : 0), dIm)).toBeLessThan(1e-10);
        }
      }
    }
  });

  it('handles diagonal and already tridiagonal matrices', () => {
    expect(Array.from(hermitianEigenDecomposition(3, [2, 0, 0, 0, -1, 0, 0, 0, 5]).values)).toEqual([5, 2, -1]);
    const values = hermitianEigenDecomposition(2, [0, 1, 1, 0]).values;
    expect(maxAbsDifference(values, [1, -1])).toBeLessThan(1e-15);
  });

  it('rejects a non-Hermitian or non-finite matrix', () => {
    expect(() => hermitianEigenDecomposition(2, [1, 2, 3, 4])).toThrow(NumericCoreError);
    expect(() => hermitianEigenDecomposition(1, [Number.NaN])).toThrow(NumericCoreError);
    expect(() => hermitianEigenDecomposition(2, [1, 0, 0])).toThrow(NumericCoreError);
  });
});
