import { describe, expect, it } from 'vitest';
import {
  type DenseMatrix,
  denseMatrix,
  NumericCoreError,
  singularValueDecomposition,
  singularValues,
} from '../src/index.js';
import { matrixWithSingularValues, maxAbsDifference } from './testHelpers.js';

function reconstruct(u: DenseMatrix, s: Float64Array, v: DenseMatrix): Float64Array {
  const out = new Float64Array(u.rows * v.rows);
  for (let i = 0; i < u.rows; i++)
    for (let j = 0; j < v.rows; j++) {
      let sum = 0;
      for (let k = 0; k < s.length; k++) sum += u.data[i * u.cols + k]! * s[k]! * v.data[j * v.cols + k]!;
      out[i * v.rows + j] = sum;
    }
  return out;
}

function gramDeviation(m: DenseMatrix, count: number): number {
  let worst = 0;
  for (let a = 0; a < count; a++)
    for (let b = 0; b < count; b++) {
      let sum = 0;
      for (let k = 0; k < m.rows; k++) sum += m.data[k * m.cols + a]! * m.data[k * m.cols + b]!;
      worst = Math.max(worst, Math.abs(sum - (a === b ? 1 : 0)));
    }
  return worst;
}

describe('singularValueDecomposition (one-sided Jacobi)', () => {
  for (const [m, n] of [
    [7, 4],
    [4, 7],
    [12, 12],
    [1, 5],
    [5, 1],
  ] as const) {
    it(`recovers known singular values and reconstructs A for ${m}×${n}`, () => {
      const r = Math.min(m, n);
      const expected = Array.from({ length: r }, (_, i) => 10 / (i + 1) ** 3);
      const a = matrixWithSingularValues(m, n, expected, 11 + m * n);
      const { u, s, v } = singularValueDecomposition(a);
      expect(maxAbsDifference(s, expected)).toBeLessThan(1e-13);
      expect(maxAbsDifference(singularValues(a), expected)).toBeLessThan(1e-13);
      expect(maxAbsDifference(reconstruct(u, s, v), a.data)).toBeLessThan(1e-13);
      expect(gramDeviation(u, r)).toBeLessThan(1e-13);
      expect(gramDeviation(v, r)).toBeLessThan(1e-13);
    });
  }

  it('gets tiny singular values to high relative accuracy', () => {
    const expected = [1, 1e-5, 1e-10, 1e-14];
    const s = singularValues(matrixWithSingularValues(6, 4, expected, 5));
    expected.forEach((sigma, i) => {
      expect(Math.abs(s[i]! - sigma) / sigma).toBeLessThan(1e-2);
    });
  });

  it('handles rank deficiency and the zero matrix', () => {
    const a = matrixWithSingularValues(5, 4, [3, 2], 9);
    const { u, s, v } = singularValueDecomposition(a);
    expect(s[0]).toBeCloseTo(3, 13);
    expect(s[1]).toBeCloseTo(2, 13);
    expect(s[2]!).toBeLessThan(1e-14);
    expect(maxAbsDifference(reconstruct(u, s, v), a.data)).toBeLessThan(1e-13);
    expect(Array.from(singularValues(denseMatrix(2, 3, [0, 0, 0, 0, 0, 0])))).toEqual([0, 0]);
  });

  it('rejects non-finite entries and bad shapes', () => {
    expect(() => singularValues({ rows: 2, cols: 2, data: Float64Array.from([1, Number.NaN, 0, 1]) })).toThrow(
      NumericCoreError,
    );
    expect(() => singularValues({ rows: 2, cols: 2, data: new Float64Array(3) })).toThrow(NumericCoreError);
  });
});
