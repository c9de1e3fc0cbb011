/**
 * The linear part of an affine layer (dense, conv2d, avg-pool, batchnorm) as a float64 matrix-free operator, with
 * what the bounds need beyond A and Aᵀ: masked row norms, sparse rows (for exact Gram matrices), and a rigorous
 * upper bound on ‖A‖₂.
 */
import type { LinearOperator } from './conv2dOperator.js';

/** How a reported per-layer number was obtained. */
export type NormMethod =
  | 'exact-svd'
  | 'exact-diagonal'
  | 'fft-padded-grid'
  | 'cholesky-certificate'
  | 'norm-product'
  | 'holder-1-inf'
  | 'pool-overlap'
  | 'power-iteration'
  | 'lanczos'
  | 'identity';

/** An upper bound on an operator norm and how it was obtained. */
export interface NormBound {
  value: number;
  method: NormMethod;
}

/** Row j of A as (column indices, values), duplicates already summed. */
export interface SparseRow {
  columns: Int32Array;
  values: Float64Array;
}

/** A layer's linear map with the extra queries of the bounds (see the file comment). */
export interface LayerOperator extends LinearOperator {
  /** `‖a_jᵀ D‖²` for every output j (row j of A with the columns where `mask` is 0 removed); `mask` null = D = I. */
  rowNormsSquared(mask: Uint8Array | null): Float64Array;
  /** Row j of A (its non-zero pattern). */
  row(j: number): SparseRow;
  /** A rigorous upper bound on ‖A‖₂ (exact where the method says so). */
  normUpperBound(): NormBound;
}
