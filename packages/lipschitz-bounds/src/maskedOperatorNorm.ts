/**
 * ‖R A D‖₂ for a layer operator A, a row weighting R = diag(r) (r ≥ 0, or I) and a column mask D = diag(d) — the
 * per-layer factor of the local bound (Avant & Morgansen 2023, Thm 2) — in one of three modes:
 * - `repo`: the original's `get_RAD`: 100 power iterations on D Aᵀ R² A D from a uniform [0, 1) start, returning
 *   √‖P v‖ (an estimate from below);
 * - `converged`: Lanczos with full re-orthogonalisation from the same start until the Ritz value settles
 *   (`tolerance`) — an estimate from below, but converged (the original's 100 steps can be ~1.6% low);
 * - `certified`: a rigorous upper bound: the exact Gram matrix of R A D on its non-zero rows/free columns and a
 *   Cholesky certificate when it is small (≤ `denseLimit` on its smaller side), otherwise max(r)·(a rigorous bound
 *   on ‖A‖₂) (the conv FFT bound on the padded grid, or exact SVD for dense layers).
 */
import { certifiedLargestEigenvalue } from './choleskyCertificate.js';
import { lanczosLargestEigenvalue } from './lanczosLargestEigenvalue.js';
import type { LayerOperator, NormMethod } from './layerOperator.js';
import { createSeededRandom } from './seededRandom.js';

/** How per-layer norms are computed; see the file comment. */
export type BoundMode = 'repo' | 'converged' | 'certified';

/** Options of {@link maskedOperatorNorm}. */
export interface MaskedNormOptions {
  mode: BoundMode;
  /** Seed of the power-iteration start vector. Default 0. */
  seed?: number;
  /** `converged` (and the certified start estimate): relative change of the Lanczos Ritz value λ that stops it. Default 1e-10. */
  tolerance?: number;
  /** Krylov dimension cap of `converged`. Default 200. */
  maxIterations?: number;
  /** `certified`: largest side of the Gram matrix formed densely. Default 2500. */
  denseLimit?: number;
  /** Largest number of non-zeros of R A D kept as a sparse matrix (else the layer's own matrix-free products). Default 2e7. */
  maxNonZeros?: number;
}

/** A per-layer norm value and whether it is a guaranteed upper bound. */
export interface MaskedNorm {
  value: number;
  method: NormMethod;
  /** `upper bound` when guaranteed, `estimate` for power iteration (approaches from below). */
  kind: 'upper bound' | 'estimate';
}

/** v ↦ D Aᵀ R² A D v. */
function gramProduct(op: LayerOperator, r2: Float64Array | null, mask: Uint8Array | null) {
  return (v: Float64Array): Float64Array => {
    const c1 = op.apply(v);
    if (r2) for (let i = 0; i < c1.length; i++) c1[i] = (c1[i] as number) * (r2[i] as number);
    const c2 = op.applyAdjoint(c1);
    if (mask) for (let i = 0; i < c2.length; i++) if (mask[i] === 0) c2[i] = 0;
    return c2;
  };
}

/** The original's start vector: uniform [0, 1) on the free coordinates (seeded here). */
function uniformStart(size: number, mask: Uint8Array | null, seed: number): Float64Array {
  const rng = createSeededRandom(seed);
  const v = new Float64Array(size);
  for (let i = 0; i < size; i++) v[i] = mask && mask[i] === 0 ? 0 : rng.uniform();
  return v;
}

/** The original's `get_RAD`: `iterations` normalised products, then √‖P v‖ (spec §4.4). */
function repoPowerIteration(
  product: (v: Float64Array) => Float64Array,
  start: Float64Array,
  iterations: number,
): number {
  let v = start;
  let sigma = 0;
  for (let it = 0; it < iterations; it++) {
    const c2 = product(v);
    let norm = 0;
    for (let i = 0; i < c2.length; i++) norm += (c2[i] as number) ** 2;
    norm = Math.sqrt(norm);
    sigma = Math.sqrt(norm);
    const scale = 1 / Math.max(norm, 1e-12);
    for (let i = 0; i < c2.length; i++) c2[i] = (c2[i] as number) * scale;
    v = c2;
  }
  return sigma;
}

/**
 * M = R A D compressed to its non-zero rows and free columns, in compressed sparse row form: products with M and Mᵀ
 * cost one pass over its non-zeros (far fewer than a conv when the mask is sparse), and the exact Gram matrix comes
 * from the same arrays.
 */
interface CompressedOperator {
  rows: number;
  cols: number;
  rowStart: Int32Array;
  columns: Int32Array;
  values: Float64Array;
  /** ‖M‖_F². */
  frobenius2: number;
}

function compressMaskedOperator(
  op: LayerOperator,
  r: Float64Array | null,
  mask: Uint8Array | null,
  maxNonZeros: number,
): CompressedOperator | null {
  const colIndex = new Int32Array(op.inputSize).fill(-1);
  let cols = 0;
  for (let i = 0; i < op.inputSize; i++) if (mask === null || mask[i] !== 0) colIndex[i] = cols++;
  const rowList: number[] = [];
  for (let j = 0; j < op.outputSize; j++) if (r === null || (r[j] as number) > 0) rowList.push(j);
  // Size check on the first row: every row of a conv or dense layer has at most as many entries.
  const perRow = rowList.length > 0 ? op.row(rowList[0] as number).columns.length : 0;
  if (perRow * rowList.length > maxNonZeros) return null;
  const rowStart = new Int32Array(rowList.length + 1);
  let columns = new Int32Array(Math.max(perRow * rowList.length, 1));
  let values = new Float64Array(columns.length);
  let nnz = 0;
  let frobenius2 = 0;
  rowList.forEach((j, k) => {
    const row = op.row(j);
    const w = r ? (r[j] as number) : 1;
    if (nnz + row.columns.length > columns.length) {
      const grow = Math.max(columns.length * 2, nnz + row.columns.length);
      const c2 = new Int32Array(grow);
      c2.set(columns);
      columns = c2;
      const v2 = new Float64Array(grow);
      v2.set(values);
      values = v2;
    }
    for (let t = 0; t < row.columns.length; t++) {
      const ci = colIndex[row.columns[t] as number] as number;
      if (ci < 0) continue;
      const v = w * (row.values[t] as number);
      columns[nnz] = ci;
      values[nnz] = v;
      frobenius2 += v * v;
      nnz++;
    }
    rowStart[k + 1] = nnz;
  });
  return { rows: rowList.length, cols, rowStart, columns, values, frobenius2 };
}

/** v ↦ Mᵀ M v in the compressed coordinates. */
function compressedGramProduct(m: CompressedOperator) {
  const { rows, cols, rowStart, columns, values } = m;
  const y = new Float64Array(rows);
  return (v: Float64Array): Float64Array => {
    const out = new Float64Array(cols);
    let lo = 0;
    for (let i = 0; i < rows; i++) {
      const hi = rowStart[i + 1] as number;
      let s = 0;
      for (let t = lo; t < hi; t++) s += (values[t] as number) * (v[columns[t] as number] as number);
      y[i] = s;
      lo = hi;
    }
    lo = 0;
    for (let i = 0; i < rows; i++) {
      const hi = rowStart[i + 1] as number;
      const yi = y[i] as number;
      if (yi !== 0) {
        for (let t = lo; t < hi; t++) {
          const c = columns[t] as number;
          out[c] = (out[c] as number) + (values[t] as number) * yi;
        }
      }
      lo = hi;
    }
    return out;
  };
}

/** The exact Gram matrix of M on its smaller side (n × n), or null when n exceeds `limit`. */
function gramOfCompressed(m: CompressedOperator, limit: number): { gram: Float64Array; n: number } | null {
  const n = Math.min(m.rows, m.cols);
  if (n > limit) return null;
  const gram = new Float64Array(Math.max(n, 1) ** 2);
  if (m.cols <= m.rows) {
    // Column side: G = Σ_i m_i m_iᵀ over the rows m_i.
    for (let i = 0; i < m.rows; i++) {
      const lo = m.rowStart[i] as number;
      const hi = m.rowStart[i + 1] as number;
      for (let a = lo; a < hi; a++) {
        const ra = (m.columns[a] as number) * n;
        const va = m.values[a] as number;
        for (let b = lo; b < hi; b++) {
          const idx = ra + (m.columns[b] as number);
          gram[idx] = (gram[idx] as number) + va * (m.values[b] as number);
        }
      }
    }
  } else {
    // Row side: G_ab = ⟨m_a, m_b⟩, with row a scattered densely.
    const dense = new Float64Array(m.cols);
    for (let a = 0; a < n; a++) {
      dense.fill(0);
      for (let t = m.rowStart[a] as number; t < (m.rowStart[a + 1] as number); t++) {
        dense[m.columns[t] as number] = m.values[t] as number;
      }
      for (let b = a; b < n; b++) {
        let s = 0;
        for (let t = m.rowStart[b] as number; t < (m.rowStart[b + 1] as number); t++) {
          s += (m.values[t] as number) * (dense[m.columns[t] as number] as number);
        }
        gram[a * n + b] = s;
        gram[b * n + a] = s;
      }
    }
  }
  return { gram, n };
}

/**
 * ‖R A D‖₂ (see the file comment). `r` holds the row weights r_j ≥ 0 (null: R = I); `mask` the free input
 * coordinates (null: D = I).
 */
export function maskedOperatorNorm(
  op: LayerOperator,
  r: Float64Array | null,
  mask: Uint8Array | null,
  options: MaskedNormOptions,
): MaskedNorm {
  const seed = options.seed ?? 0;
  const tolerance = options.tolerance ?? 1e-10;
  const compressed = compressMaskedOperator(op, r, mask, options.maxNonZeros ?? 2e7);
  let product: (v: Float64Array) => Float64Array;
  let start: Float64Array;
  if (compressed) {
    product = compressedGramProduct(compressed);
    start = uniformStart(compressed.cols, null, seed);
  } else {
    product = gramProduct(op, r ? r.map((v) => v * v) : null, mask);
    start = uniformStart(op.inputSize, mask, seed);
  }
  if (options.mode === 'repo') {
    return { value: repoPowerIteration(product, start, 100), method: 'power-iteration', kind: 'estimate' };
  }
  const lambda = lanczosLargestEigenvalue(product, start, { tolerance, maxSteps: options.maxIterations ?? 200 });
  const estimate = Math.sqrt(Math.max(lambda, 0));
  if (options.mode === 'converged') return { value: estimate, method: 'lanczos', kind: 'estimate' };
  const g = compressed ? gramOfCompressed(compressed, options.denseLimit ?? 2500) : null;
  if (compressed && g !== null) {
    if (g.n === 0 || compressed.frobenius2 === 0) {
      return { value: 0, method: 'cholesky-certificate', kind: 'upper bound' };
    }
    const certified = certifiedLargestEigenvalue(g.gram, g.n, estimate * estimate, compressed.frobenius2);
    return { value: Math.sqrt(certified), method: 'cholesky-certificate', kind: 'upper bound' };
  }
  let rMax = 1;
  if (r) {
    rMax = 0;
    for (let i = 0; i < r.length; i++) rMax = Math.max(rMax, r[i] as number);
  }
  const bound = op.normUpperBound();
  return { value: rMax * bound.value * (1 + 1e-12), method: 'norm-product', kind: 'upper bound' };
}
