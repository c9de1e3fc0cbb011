/** A dense layer's weight W (out × in, row-major) as a {@link LayerOperator}. */
import { denseMatrix } from './denseMatrix.js';
import type { LayerOperator } from './layerOperator.js';
import { singularValues } from './singularValueDecomposition.js';

/**
 * Wraps a row-major `rows × cols` float64 matrix. The norm bound is σ_max by exact float64 SVD (one-sided Jacobi) when
 * the smaller side is ≤ 1000, else √(‖W‖₁‖W‖∞).
 */
export function createDenseOperator(weight: Float64Array, rows: number, cols: number): LayerOperator {
  const allColumns = Int32Array.from({ length: cols }, (_, j) => j);
  return {
    inputSize: cols,
    outputSize: rows,
    apply(x) {
      const y = new Float64Array(rows);
      for (let i = 0; i < rows; i++) {
        let s = 0;
        const o = i * cols;
        for (let j = 0; j < cols; j++) s += (weight[o + j] as number) * (x[j] as number);
        y[i] = s;
      }
      return y;
    },
    applyAdjoint(y) {
      const x = new Float64Array(cols);
      for (let i = 0; i < rows; i++) {
        const yi = y[i] as number;
        if (yi === 0) continue;
        const o = i * cols;
        for (let j = 0; j < cols; j++) x[j] = (x[j] as number) + (weight[o + j] as number) * yi;
      }
      return x;
    },
    rowNormsSquared(mask) {
      const out = new Float64Array(rows);
      for (let i = 0; i < rows; i++) {
        let s = 0;
        const o = i * cols;
        for (let j = 0; j < cols; j++) {
          if (mask && mask[j] === 0) continue;
          const w = weight[o + j] as number;
          s += w * w;
        }
        out[i] = s;
      }
      return out;
    },
    row(j) {
      return { columns: allColumns, values: weight.subarray(j * cols, (j + 1) * cols) };
    },
    normUpperBound() {
      if (Math.min(rows, cols) <= 1000) {
        return { value: singularValues(denseMatrix(rows, cols, weight))[0] as number, method: 'exact-svd' };
      }
      // Too large for a dense SVD in JS: ‖W‖₂ ≤ √(‖W‖₁·‖W‖∞), rigorous but looser.
      const colSums = new Float64Array(cols);
      let maxRow = 0;
      for (let i = 0; i < rows; i++) {
        let s = 0;
        for (let j = 0; j < cols; j++) {
          const a = Math.abs(weight[i * cols + j] as number);
          s += a;
          colSums[j] = (colSums[j] as number) + a;
        }
        maxRow = Math.max(maxRow, s);
      }
      let maxCol = 0;
      for (let j = 0; j < cols; j++) maxCol = Math.max(maxCol, colSums[j] as number);
      return { value: Math.sqrt(maxRow * maxCol) * (1 + 1e-12), method: 'holder-1-inf' };
    },
  };
}
