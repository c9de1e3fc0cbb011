/**
 * AutoLip and SeqLip (Virmaux & Scaman, "Lipschitz regularity of deep neural networks: analysis and efficient
 * estimation", NeurIPS 2018), as the local_lipschitz driver uses them (spec §8.1), on the dense chain of a
 * feed-forward ReLU network.
 *
 * With the thin SVDs W_i = U_i Σ_i V_iᵀ, the Jacobian of f = W_ℓ σ(… σ(W_0 x)) is W_ℓ D_ℓ W_{ℓ−1} … D_1 W_0 with
 * diagonal D_i ∈ [0, 1]. Splitting every middle Σ_i as Σ_i^{1/2} Σ_i^{1/2} (Σ̃_0 = Σ_0, Σ̃_ℓ = Σ_ℓ, Σ̃_i = Σ_i^{1/2}
 * otherwise) gives L ≤ Π_i max_{σ ∈ [0,1]^{n_i}} ‖Σ̃_{i+1} V_{i+1}ᵀ diag(σ) U_i Σ̃_i‖₂ (their Theorem 3). The norm is
 * convex in σ, so the maximum sits at a vertex σ ∈ {0, 1}^{n_i}:
 *  - `exact` optimisation (the original's unused `optim_bf`): all 2^{n_i} vertices with Gray-code rank-one updates,
 *    for junctions of width ≤ `maxBruteForceWidth`; then the product is an **upper bound**;
 *  - `greedy` (the driver's `optim_nn_pca_greedy`): σ = 1, then passes over i = 0 … n−1 accepting the first flip that
 *    increases the norm, at most 11 passes; a lower estimate of each factor, so the product is an **estimate**.
 * AutoLip is Π_i ‖W_i‖₂ (exact float64 SVD), an upper bound.
 *
 * Differences from the original: conv layers become dense matrices in the chain, so conv→dense junctions are paired
 * too (the original pairs only conv–conv and linear–linear); the full thin SVD is used (the original keeps 200 power-
 * method triples); networks with max pooling between affine layers are rejected (a max pool is not a diagonal
 * activation, so the factorisation does not cover it).
 */
import { type AffineReluChain, affineReluChain } from './affineReluChain.js';
import type { DenseMatrix } from './denseMatrix.js';
import { LipschitzBoundsError } from './lipschitzBoundsError.js';
import type { NetworkDescription } from './networkDescription.js';
import type { PreparedNetwork } from './preparedNetwork.js';
import { singularValueDecomposition, singularValues } from './singularValueDecomposition.js';
import { symmetricEigen } from './symmetricEigen.js';
import type { ValidatedNetwork } from './validateNetworkDescription.js';

/** Options of {@link seqLip}. */
export interface SeqLipOptions {
  /** `auto` (default): exact where the junction is narrow enough, greedy elsewhere. */
  optimisation?: 'auto' | 'exact' | 'greedy';
  /** Widest junction optimised exactly (2^width vertices). Default 12. */
  maxBruteForceWidth?: number;
  /** Called after each junction. */
  onProgress?: (done: number, total: number) => void;
}

/** One ReLU junction between affine stages i and i+1. */
export interface SeqLipJunction {
  width: number;
  factor: number;
  method: 'exact' | 'greedy';
  /** The maximising activation pattern found. */
  pattern: Uint8Array;
}

/** Result of {@link seqLip}. */
export interface SeqLipResult {
  value: number;
  kind: 'upper bound' | 'estimate';
  junctions: SeqLipJunction[];
  /** AutoLip on the same chain (Π ‖W_i‖₂). */
  autoLip: number;
  timeMs: number;
}

/** Spectral norm of a small dense k1×k2 matrix via the eigenvalues of its smaller Gram matrix. */
function smallSpectralNorm(m: Float64Array, k1: number, k2: number): number {
  const k = Math.min(k1, k2);
  const g = new Float64Array(k * k);
  if (k1 <= k2) {
    for (let i = 0; i < k1; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let t = 0; t < k2; t++) s += m[i * k2 + t]! * m[j * k2 + t]!;
        g[i * k + j] = s;
        g[j * k + i] = s;
      }
    }
  } else {
    for (let i = 0; i < k2; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let t = 0; t < k1; t++) s += m[t * k2 + i]! * m[t * k2 + j]!;
        g[i * k + j] = s;
        g[j * k + i] = s;
      }
    }
  }
  return Math.sqrt(Math.max(0, symmetricEigen(g, k, { vectors: false }).values[k - 1]!));
}

/** AutoLip: Π_i ‖W_i‖₂ over the affine stages (exact float64 SVD). */
export function autoLip(network: NetworkDescription | ValidatedNetwork | PreparedNetwork | AffineReluChain): number {
  const chain = 'weights' in network ? network : affineReluChain(network, { method: 'AutoLip' });
  return chain.weights.reduce((p, w) => p * (singularValues(w)[0] ?? 0), 1);
}

/**
 * SeqLip bound of a feed-forward ReLU network (see the file comment).
 * @throws LipschitzBoundsError for a network that is not feed-forward ReLU (`net`) or bad options.
 */
export function seqLip(
  network: NetworkDescription | ValidatedNetwork | PreparedNetwork | AffineReluChain,
  options: SeqLipOptions = {},
): SeqLipResult {
  const start = performance.now();
  const chain = 'weights' in network ? network : affineReluChain(network, { method: 'SeqLip' });
  const mode = options.optimisation ?? 'auto';
  if (!['auto', 'exact', 'greedy'].includes(mode)) {
    throw new LipschitzBoundsError('optimisation', `${String(mode)}; allowed: auto, exact, greedy`);
  }
  const maxWidth = options.maxBruteForceWidth ?? 12;
  if (!(Number.isInteger(maxWidth) && maxWidth >= 0 && maxWidth <= 26)) {
    throw new LipschitzBoundsError('maxBruteForceWidth', `${maxWidth}; allowed: an integer in [0, 26]`);
  }
  const svds = chain.weights.map((w) => singularValueDecomposition(w));
  const ell = chain.weights.length - 1;
  const autoLipValue = svds.reduce((p, s) => p * (s.s[0] ?? 0), 1);
  if (ell === 0) {
    return {
      value: autoLipValue,
      kind: 'upper bound',
      junctions: [],
      autoLip: autoLipValue,
      timeMs: performance.now() - start,
    };
  }
  const junctions: SeqLipJunction[] = [];
  for (let i = 0; i < ell; i++) {
    const left = svds[i]!; // W_i = U Σ Vᵀ (n_i × r_i factors)
    const right = svds[i + 1]!; // W_{i+1}
    const width = chain.weights[i]!.rows;
    if (mode === 'exact' && width > maxWidth) {
      throw new LipschitzBoundsError(
        'optimisation',
        `exact needs junction widths ≤ ${maxWidth}, junction ${i} has ${width}; allowed: greedy or auto`,
      );
    }
    const scaleLeft = (s: number) => (i === 0 ? s : Math.sqrt(s));
    const scaleRight = (s: number) => (i + 1 === ell ? s : Math.sqrt(s));
    // Ul = Σ̃_{i+1} V_{i+1}ᵀ (kr × width), Vr = U_i Σ̃_i (width × kl).
    const kr = right.s.length;
    const kl = left.s.length;
    const ul = new Float64Array(kr * width);
    const rv: DenseMatrix = right.v; // width × kr
    for (let a = 0; a < kr; a++) {
      const sa = scaleRight(right.s[a]!);
      for (let t = 0; t < width; t++) ul[a * width + t] = sa * rv.data[t * rv.cols + a]!;
    }
    const vr = new Float64Array(width * kl);
    const lu: DenseMatrix = left.u; // width × kl
    for (let t = 0; t < width; t++)
      for (let b = 0; b < kl; b++) vr[t * kl + b] = lu.data[t * lu.cols + b]! * scaleLeft(left.s[b]!);
    const exact = mode === 'exact' || (mode === 'auto' && width <= maxWidth);
    junctions.push(exact ? bruteForce(ul, vr, kr, width, kl) : greedy(ul, vr, kr, width, kl));
    options.onProgress?.(i + 1, ell);
  }
  const value = junctions.reduce((p, j) => p * j.factor, 1);
  const kind = junctions.every((j) => j.method === 'exact') ? 'upper bound' : 'estimate';
  return { value, kind, junctions, autoLip: autoLipValue, timeMs: performance.now() - start };
}

/** M ± outer(Ul[:, t], Vr[t, :]) in place. */
function rankOneUpdate(
  m: Float64Array,
  ul: Float64Array,
  vr: Float64Array,
  kr: number,
  width: number,
  kl: number,
  t: number,
  sign: number,
) {
  for (let a = 0; a < kr; a++) {
    const u = sign * ul[a * width + t]!;
    if (u === 0) continue;
    for (let b = 0; b < kl; b++) m[a * kl + b]! += u * vr[t * kl + b]!;
  }
}

function bruteForce(ul: Float64Array, vr: Float64Array, kr: number, width: number, kl: number): SeqLipJunction {
  const m = new Float64Array(kr * kl); // σ = 0
  const sigma = new Uint8Array(width);
  let best = 0;
  let bestPattern = new Uint8Array(width);
  const total = 2 ** width;
  for (let g = 1; g < total; g++) {
    // Gray code: flip the bit of the lowest set bit of g.
    const t = 31 - Math.clz32(g & -g);
    sigma[t] = sigma[t] ? 0 : 1;
    rankOneUpdate(m, ul, vr, kr, width, kl, t, sigma[t] ? 1 : -1);
    const v = smallSpectralNorm(m, kr, kl);
    if (v > best) {
      best = v;
      bestPattern = Uint8Array.from(sigma);
    }
  }
  return { width, factor: best, method: 'exact', pattern: bestPattern };
}

function greedy(ul: Float64Array, vr: Float64Array, kr: number, width: number, kl: number): SeqLipJunction {
  const sigma = new Uint8Array(width).fill(1);
  const m = new Float64Array(kr * kl);
  for (let t = 0; t < width; t++) rankOneUpdate(m, ul, vr, kr, width, kl, t, 1);
  let cur = smallSpectralNorm(m, kr, kl);
  for (let pass = 0; pass <= 10; pass++) {
    let changed = false;
    for (let t = 0; t < width; t++) {
      const sign = sigma[t] ? -1 : 1;
      rankOneUpdate(m, ul, vr, kr, width, kl, t, sign);
      const v = smallSpectralNorm(m, kr, kl);
      if (v > cur) {
        cur = v;
        sigma[t] = sigma[t] ? 0 : 1;
        changed = true;
      } else {
        rankOneUpdate(m, ul, vr, kr, width, kl, t, -sign);
      }
    }
    if (!changed) break;
  }
  return { width, factor: cur, method: 'greedy', pattern: sigma };
}
