import type { LinearOperator } from './conv2dOperator.js';
import { assertLength, assertPositiveInteger } from './numericCoreError.js';

/** A real dense matrix in float64, row-major: entry (i, j) is `data[i * cols + j]`. */
export interface DenseMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/**
 * Wraps row-major values as a {@link DenseMatrix} (copied into a fresh Float64Array).
 * @throws NumericCoreError when the sizes are not positive integers or `values` has the wrong length.
 */
export function denseMatrix(rows: number, cols: number, values: ArrayLike<number>): DenseMatrix {
  assertPositiveInteger('rows', rows);
  assertPositiveInteger('cols', cols);
  assertLength('values', values, rows * cols);
  return { rows, cols, data: Float64Array.from(values) };
}

/** y = A x for a row-major matrix (float64). */
export function denseMatrixVectorProduct(matrix: DenseMatrix, x: Float64Array): Float64Array {
  assertLength('x', x, matrix.cols);
  const { rows, cols, data } = matrix;
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let sum = 0;
    const offset = i * cols;
    for (let j = 0; j < cols; j++) sum += data[offset + j]! * x[j]!;
    y[i] = sum;
  }
  return y;
}

/** Aᵀ as a new row-major matrix. */
export function denseMatrixTranspose(matrix: DenseMatrix): DenseMatrix {
  const { rows, cols, data } = matrix;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = data[i * cols + j]!;
  return { rows: cols, cols: rows, data: out };
}

/** A dense matrix as a matrix-free {@link LinearOperator} (y = A x and x = Aᵀ y). */
export function denseMatrixOperator(matrix: DenseMatrix): LinearOperator {
  const { rows, cols, data } = matrix;
  assertLength('matrix.data', data, rows * cols);
  return {
    inputSize: cols,
    outputSize: rows,
    apply: (x) => denseMatrixVectorProduct(matrix, x),
    applyAdjoint(y) {
      assertLength('y', y, rows);
      const x = new Float64Array(cols);
      for (let i = 0; i < rows; i++) {
        const yi = y[i]!;
        for (let j = 0; j < cols; j++) x[j]! += data[i * cols + j]! * yi;
      }
      return x;
    },
  };
}
