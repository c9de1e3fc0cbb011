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

/** Gram matrix of M = R A D on its smaller side, built from sparse rows; returns null when larger than `limit`. */
function gramOfMaskedOperator(
  op: LayerOperator,
  r2: Float64Array | null,
  mask: Uint8Array | null,
  limit: number,
): { gram: Float64Array; n: number; frobenius2: number } | null {
  const rows: number[] = [];
  for (let j = 0; j < op.outputSize; j++) if (r2 === null || (r2[j] as number) > 0) rows.push(j);
  const colIndex = new Int32Array(op.inputSize).fill(-1);
  let cols = 0;
  for (let i = 0; i < op.inputSize; i++) if (mask === null || mask[i] !== 0) colIndex[i] = cols++;
  const n = Math.min(rows.length, cols);
  if (n > limit) return null;
  const gram = new Float64Array(Math.max(n, 1) ** 2);
  let frobenius2 = 0;
  const maskedRow = (j: number) => {
    const { columns, values } = op.row(j);
    const w = r2 ? Math.sqrt(r2[j] as number) : 1;
    const c: number[] = [];
    const v: number[] = [];
    for (let t = 0; t < columns.length; t++) {
      const ci = colIndex[columns[t] as number] as number;
      if (ci < 0) continue;
      c.push(ci);
      v.push(w * (values[t] as number));
      frobenius2 += (w * (values[t] as number)) ** 2;
    }
    return { c, v };
  };
  if (cols <= rows.length) {
    // Column side: G = Σ_j m_j m_jᵀ over the rows m_j of M.
    for (const j of rows) {
      const { c, v } = maskedRow(j);
      for (let a = 0; a < c.length; a++) {
        const ra = (c[a] as number) * n;
        const va = v[a] as number;
        for (let b = 0; b < c.length; b++)
          gram[ra + (c[b] as number)] = (gram[ra + (c[b] as number)] as number) + va * (v[b] as number);
      }
    }
  } else {
    // Row side: G_ab = ⟨m_a, m_b⟩.
    const dense = rows.map((j) => {
      const { c, v } = maskedRow(j);
      const d = new Float64Array(cols);
      for (let t = 0; t < c.length; t++) d[c[t] as number] = v[t] as number;
      return d;
    });
    for (let a = 0; a < n; a++) {
      const da = dense[a] as Float64Array;
      for (let b = a; b < n; b++) {
        const db = dense[b] as Float64Array;
        let s = 0;
        for (let t = 0; t < cols; t++) s += (da[t] as number) * (db[t] as number);
        gram[a * n + b] = s;
        gram[b * n + a] = s;
      }
    }
  }
  return { gram, n, frobenius2 };
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
  const r2 = r ? r.map((v) => v * v) : null;
  const seed = options.seed ?? 0;
  const tolerance = options.tolerance ?? 1e-10;
  const product = gramProduct(op, r2, mask);
  const start = uniformStart(op.inputSize, mask, seed);
  if (options.mode === 'repo') {
    return { value: repoPowerIteration(product, start, 100), method: 'power-iteration', kind: 'estimate' };
  }
  const lambda = lanczosLargestEigenvalue(product, start, { tolerance, maxSteps: options.maxIterations ?? 200 });
  const estimate = Math.sqrt(Math.max(lambda, 0));
  if (options.mode === 'converged') return { value: estimate, method: 'lanczos', kind: 'estimate' };
  const g = gramOfMaskedOperator(op, r2, mask, options.denseLimit ?? 2500);
  if (g !== null) {
    if (g.n === 0 || g.frobenius2 === 0) return { value: 0, method: 'cholesky-certificate', kind: 'upper bound' };
    const lambda = certifiedLargestEigenvalue(g.gram, g.n, estimate * estimate, g.frobenius2);
    return { value: Math.sqrt(lambda), method: 'cholesky-certificate', kind: 'upper bound' };
  }
  let rMax = 1;
  if (r) {
    rMax = 0;
    for (let i = 0; i < r.length; i++) rMax = Math.max(rMax, r[i] as number);
  }
  const bound = op.normUpperBound();
  return { value: rMax * bound.value * (1 + 1e-12), method: 'norm-product', kind: 'upper bound' };
}
