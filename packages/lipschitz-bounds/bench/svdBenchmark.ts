import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { createSeededRandom, gaussianArray, singularValueDecomposition, singularValues } from '../src/index.js';
import { type BenchRow, medianTiming } from './benchTiming.js';

/** Dense real SVD: our one-sided Jacobi vs ml-matrix (Golub–Kahan), square Gaussian matrices. */
export function svdBenchmark(sizes: number[]): BenchRow[] {
  const rows: BenchRow[] = [];
  const random = createSeededRandom(7);
  for (const n of sizes) {
    const data = gaussianArray(random, n * n);
    const matrix = { rows: n, cols: n, data };
    const repeats = n >= 256 ? 1 : 3;
    const ours = singularValueDecomposition(matrix).s;
    const theirs = new SingularValueDecomposition(
      new Matrix(Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * n, (i + 1) * n)))),
    );
    let gap = 0;
    theirs.diagonal.forEach((sigma, i) => {
      gap = Math.max(gap, Math.abs(sigma - ours[i]!) / ours[0]!);
    });
    rows.push({
      task: `SVD ${n}×${n}`,
      method: 'one-sided Jacobi (U, s, V)',
      timing: medianTiming(() => singularValueDecomposition(matrix), repeats),
    });
    rows.push({
      task: `SVD ${n}×${n}`,
      method: 'one-sided Jacobi (s only)',
      timing: medianTiming(() => singularValues(matrix), repeats),
    });
    const mlMatrix = new Matrix(Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * n, (i + 1) * n))));
    rows.push({
      task: `SVD ${n}×${n}`,
      method: 'ml-matrix SingularValueDecomposition',
      timing: medianTiming(() => new SingularValueDecomposition(mlMatrix), repeats),
      note: `max |Δσ|/σ₁ vs Jacobi ${gap.toExponential(1)}`,
    });
  }
  return rows;
}
