/**
 * ECLipsE-Fast (Xu & Sivaranjani, "ECLipsE: Efficient Compositional Lipschitz Constant Estimation for Deep Neural
 * Networks", NeurIPS 2024, Algorithm 2): a closed-form, layer-by-layer feasible point of the LipSDP-layer LMI for a
 * feed-forward network with slope-restricted activations in [0, 1] (ReLU).
 *
 * With m = (α+β)/2 = 1/2 and X_0 = I, for each hidden layer i = 1 … ℓ:
 *   K_i = W_{i−1} X_{i−1}⁻¹ W_{i−1}ᵀ,  λ_i = 1 / (2 m² λ_max(K_i)),  X_i = λ_i I − λ_i² m² K_i,
 * and L² = λ_max(W_ℓᵀ W_ℓ X_ℓ⁻¹) = λ_max(X_ℓ^{−1/2} W_ℓᵀ W_ℓ X_ℓ^{−1/2}).
 * The paper shows X_i ≻ 0 for every i and that the resulting point satisfies the LipSDP LMI, so √L² is an upper
 * bound: in LipSDP's scaling (spec §8.2) the certificate is (L², T = (L²/2)·blkdiag(λ_i I)), which our tests verify
 * by a float64 eigenvalue computation. We check X_i ≻ 0 by a float64 Cholesky factorisation at every layer (the exact
 * decomposition of the LMI needs it) and report an estimate if one fails.
 */
import { type AffineReluChain, affineReluChain } from './affineReluChain.js';
import { choleskyInPlace, lowerTriangularInverse } from './denseCholesky.js';
import type { DenseMatrix } from './denseMatrix.js';
import type { NetworkDescription } from './networkDescription.js';
import type { PreparedNetwork } from './preparedNetwork.js';
import { symmetricEigen } from './symmetricEigen.js';
import type { ValidatedNetwork } from './validateNetworkDescription.js';

/** Result of {@link eclipseFast}. */
export interface EclipseFastResult {
  value: number;
  kind: 'upper bound' | 'estimate';
  /** The multipliers λ_i of each hidden layer. */
  lambdas: number[];
  /** Why the value is an estimate (empty for an upper bound). */
  reason: string;
  timeMs: number;
}

/** G = L⁻¹ W ᵀ-based Gram: W X⁻¹ Wᵀ = (W L⁻ᵀ)(W L⁻ᵀ)ᵀ for X = L Lᵀ (W: r × n, X: n × n). */
function weightedGram(w: DenseMatrix, lInv: Float64Array): Float64Array {
  const { rows: r, cols: n } = w;
  // B = W L⁻ᵀ: B[i][k] = Σ_j W[i][j] L⁻¹[k][j].
  const b = new Float64Array(r * n);
  for (let i = 0; i < r; i++) {
    for (let k = 0; k < n; k++) {
      let s = 0;
      for (let j = 0; j <= k; j++) s += w.data[i * n + j]! * lInv[k * n + j]!;
      b[i * n + k] = s;
    }
  }
  const g = new Float64Array(r * r);
  for (let i = 0; i < r; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += b[i * n + k]! * b[j * n + k]!;
      g[i * r + j] = s;
      g[j * r + i] = s;
    }
  }
  return g;
}

/**
 * ECLipsE-Fast global ℓ2 Lipschitz bound of a feed-forward ReLU network (see the file comment). Cost: one Cholesky,
 * one Gram product and one symmetric eigenvalue problem of each layer's width.
 * @throws LipschitzBoundsError (argument `net`) for a network that is not feed-forward ReLU.
 */
export function eclipseFast(
  network: NetworkDescription | ValidatedNetwork | PreparedNetwork | AffineReluChain,
): EclipseFastResult {
  const start = performance.now();
  const chain = 'weights' in network ? network : affineReluChain(network, { method: 'ECLipsE-Fast' });
  const m2 = 0.25; // m = (α + β)/2 with α = 0, β = 1
  const ell = chain.weights.length - 1;
  let n = chain.sizes[0]!;
  let x = new Float64Array(n * n);
  for (let i = 0; i < n; i++) x[i * n + i] = 1;
  const lambdas: number[] = [];
  let reason = '';
  const invFactor = (mat: Float64Array, size: number, layer: number): Float64Array | null => {
    const l = Float64Array.from(mat);
    if (!choleskyInPlace(l, size)) {
      reason = `X_${layer} is not positive definite in float64 (Cholesky failed)`;
      return null;
    }
    return lowerTriangularInverse(l, size);
  };
  for (let i = 0; i < ell; i++) {
    const w = chain.weights[i]!;
    const lInv = invFactor(x, n, i);
    if (!lInv) return { value: Number.NaN, kind: 'estimate', lambdas, reason, timeMs: performance.now() - start };
    const k = weightedGram(w, lInv);
    const r = w.rows;
    const kMax = symmetricEigen(k, r, { vectors: false }).values[r - 1]!;
    const lambda = 1 / (2 * m2 * kMax);
    lambdas.push(lambda);
    const next = new Float64Array(r * r);
    for (let a = 0; a < r * r; a++) next[a] = -lambda * lambda * m2 * k[a]!;
    for (let a = 0; a < r; a++) next[a * r + a]! += lambda;
    x = next;
    n = r;
  }
  const lInv = invFactor(x, n, ell);
  if (!lInv) return { value: Number.NaN, kind: 'estimate', lambdas, reason, timeMs: performance.now() - start };
  // L² = λ_max(L⁻¹ W_ℓᵀ W_ℓ L⁻ᵀ) = σ_max(W_ℓ L⁻ᵀ)²: the Gram of the rows of W_ℓ L⁻ᵀ has the same top eigenvalue.
  const wl = chain.weights[ell]!;
  const g = weightedGram(wl, lInv);
  const l2 = symmetricEigen(g, wl.rows, { vectors: false }).values[wl.rows - 1]!;
  return { value: Math.sqrt(Math.max(0, l2)), kind: 'upper bound', lambdas, reason, timeMs: performance.now() - start };
}
