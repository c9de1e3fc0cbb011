/**
 * LipSDP (Fazlyab, Robey, Hassani, Morari & Pappas, NeurIPS 2019), as the local_lipschitz Python port runs it
 * (spec §8.2), solved by our own interior-point method ({@link solveSemidefiniteProgram}) in float64.
 *
 * For weights W_0 … W_ℓ, hidden widths n_1 … n_ℓ (N = Σ n_i) and slope bounds α ≤ σ' ≤ β:
 *
 *   minimise L² s.t. [A; B]ᵀ Q [A; B] − M ⪯ 0,  Q = [[−2αβ T, (α+β) T], [(α+β) T, −2T]],
 *   A = [blkdiag(W_0, …, W_{ℓ−1}) | 0],  B = [0 | I_N],  M = blkdiag(L² I_{n_0}, 0, −W_ℓᵀ W_ℓ),
 *
 * with T = diag(λ) (neuron), blkdiag(λ_k I_{n_k}) (layer), or diag(λ) + Σ_{i<j} ζ_ij (e_i − e_j)(e_i − e_j)ᵀ over all
 * pairs (network), a random subset of pairs (network-rand) or every ⌈C(N,2)/k⌉-th pair (network-dec-vars); λ, ζ ≥ 0.
 *
 * Certificate: the SDP is solved with a small margin (S ⪰ δI instead of S ⪰ 0), then the LMI at the returned point is
 * rebuilt from the original weights and its smallest eigenvalue computed in float64; the value is labelled an
 * upper bound only if that eigenvalue is positive (beyond the eigen-solver's rounding), T ≥ 0, and the form is sound.
 *
 * Soundness of the forms: the neuron and layer forms are the slope-restricted diagonal multipliers, valid for any
 * slope-restricted activation. The coupled forms (network, network-rand, network-dec-vars) rely on the incremental
 * quadratic constraint with off-diagonal ζ_ij terms that Fazlyab et al. claimed for repeated nonlinearities; Pauli,
 * Koch, Berberich, Kohler & Allgöwer (IEEE L-CSS 2021, "Training robust neural networks using Lipschitz bounds")
 * showed it does not hold in general. Our exact-oracle tests find random ReLU networks where the network form's value
 * is below the exact Lipschitz constant (tests/lipSdp.test.ts), so those forms are labelled `estimate`.
 *
 * Differences from the original: the input block is reduced exactly when n_0 > n_1 (W_0 replaced by the Cholesky
 * factor R of W_0 W_0ᵀ, or U_0 Σ_0 from its SVD if that Gram matrix is singular; R = W_0 Q for an isometry Q, and the
 * orthogonal complement only contributes L² I ⪰ 0), the random pair subset is seeded, and the value is
 * certified in float64 instead of trusting the solver's status; for the neuron and layer forms each W_k is rescaled to
 * unit norm before solving (exact by positive homogeneity; the certificate and `lmiMinEigenvalue` then refer to the
 * rescaled weights). A network that is a single affine layer still goes
 * through the SDP (L² I − WᵀW ⪰ 0, whose optimum is ‖W‖₂²); with `split`, a one-matrix chunk is its exact spectral
 * norm as in the original.
 */
import { type AffineReluChain, affineReluChain, sliceAffineReluChain } from './affineReluChain.js';
import { choleskyInPlace } from './denseCholesky.js';
import type { DenseMatrix } from './denseMatrix.js';
import { LipschitzBoundsError } from './lipschitzBoundsError.js';
import type { NetworkDescription } from './networkDescription.js';
import type { PreparedNetwork } from './preparedNetwork.js';
import { createSeededRandom } from './seededRandom.js';
import {
  type SdpBlockData,
  type SdpIterationLog,
  type SdpStatus,
  type SparseVector,
  solveSemidefiniteProgram,
} from './semidefiniteProgram.js';
import { singularValueDecomposition, singularValues } from './singularValueDecomposition.js';
import { symmetricEigen } from './symmetricEigen.js';
import type { ValidatedNetwork } from './validateNetworkDescription.js';

/** The multiplier structure T of spec §8.2. */
export type LipSdpForm = 'neuron' | 'layer' | 'network' | 'network-rand' | 'network-dec-vars';

/** All forms, in the order of the original's `--form` choices. */
export const lipSdpForms: readonly LipSdpForm[] = ['neuron', 'network', 'layer', 'network-rand', 'network-dec-vars'];

/** Forms whose value is a guaranteed upper bound (see the file comment for why the coupled forms are not). */
export function isSoundLipSdpForm(form: LipSdpForm): boolean {
  return form === 'neuron' || form === 'layer';
}

/** Options of {@link lipSdp}. */
export interface LipSdpOptions {
  /** Default `neuron`. */
  form?: LipSdpForm;
  /** Lower slope bound of the activation. Default 0 (ReLU). */
  alpha?: number;
  /** Upper slope bound. Default 1 (ReLU). */
  beta?: number;
  /** Cut the weight list into consecutive chunks of `splitSize` matrices and multiply the chunk bounds. Default false. */
  split?: boolean;
  /** Matrices per chunk when splitting (a chunk of one is its spectral norm). Default 2; must be ≥ 1. */
  splitSize?: number;
  /** Pairs (i, j) coupled by network-rand. Default 100 (the original's `--num-neurons`), capped at C(N, 2). */
  numRandomPairs?: number;
  /** Decision variables of network-dec-vars: every ⌈C(N,2)/k⌉-th pair. Default 10. */
  numDecisionVars?: number;
  /** Seed of network-rand's pair subset. Default 0. */
  seed?: number;
  /** SDP stopping tolerance. Default 1e-8. */
  tolerance?: number;
  /** SDP iteration cap. Default 100. */
  maxIterations?: number;
  /** Iteration log of each chunk's SDP. */
  onIteration?: (chunk: number, row: SdpIterationLog) => void;
  /** Called after each chunk. */
  onProgress?: (done: number, total: number) => void;
}

/** One chunk of the (possibly split) computation. */
export interface LipSdpChunk {
  /** Affine stages [from, to) of the chain. */
  stages: [number, number];
  /** The chunk's Lipschitz value (√L²), or its spectral norm for a single matrix. */
  value: number;
  method: 'sdp' | 'spectral-norm';
  /** SDP outcome (`optimal` for a spectral norm). */
  status: SdpStatus;
  iterations: number;
  /** Smallest eigenvalue of the LMI slack −F at the reported point, float64 (NaN for a spectral norm). */
  lmiMinEigenvalue: number;
  /** True when the value is certified (strictly feasible point, T ≥ 0, sound form). */
  certified: boolean;
  /** SDP size: LMI order and number of scalar variables. */
  lmiSize: number;
  variables: number;
}

/** Result of {@link lipSdp}. */
export interface LipSdpResult {
  /** Global ℓ2 Lipschitz value: product of the chunk values. */
  value: number;
  /** `upper bound` only when every chunk is certified and the form is sound. */
  kind: 'upper bound' | 'estimate';
  /** Why the value is an estimate (empty for an upper bound). */
  reason: string;
  form: LipSdpForm;
  chunks: LipSdpChunk[];
  /** Wall time in milliseconds. */
  timeMs: number;
}

interface TermSet {
  /** Sparse u vectors (hidden-neuron index → coefficient) whose outer products uuᵀ sum to this variable's T_k. */
  terms: Array<Array<[number, number]>>;
}

function pairsOf(n: number, form: LipSdpForm, options: LipSdpOptions): Array<[number, number]> {
  const all: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) all.push([i, j]);
  if (form === 'network') return all;
  if (form === 'network-rand') {
    const k = Math.min(all.length, options.numRandomPairs ?? 100);
    const rand = createSeededRandom(options.seed ?? 0);
    for (let i = all.length - 1; i > 0; i--) {
      const j = Math.floor(rand.uniform() * (i + 1));
      [all[i], all[j]] = [all[j]!, all[i]!];
    }
    return all.slice(0, k).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  }
  const k = Math.min(all.length, options.numDecisionVars ?? 10);
  if (k === 0) return [];
  const stride = Math.ceil(all.length / k);
  return all.filter((_, t) => t % stride === 0);
}

function checkPositiveInt(name: string, v: number | undefined) {
  if (v !== undefined && !(Number.isInteger(v) && v >= 1)) {
    throw new LipschitzBoundsError(name, `${v}; allowed: an integer ≥ 1`);
  }
}

/**
 * LipSDP global ℓ2 Lipschitz bound of a feed-forward ReLU network (see the file comment).
 * @throws LipschitzBoundsError for a network that is not feed-forward ReLU (`net`), a split size < 1 (`splitSize`),
 *   α > β or non-finite slopes (`alpha`/`beta`), and when the SDP is infeasible (`net`: LipSDP has no certificate).
 */
export function lipSdp(
  network: NetworkDescription | ValidatedNetwork | PreparedNetwork | AffineReluChain,
  options: LipSdpOptions = {},
): LipSdpResult {
  const start = performance.now();
  const form = options.form ?? 'neuron';
  if (!lipSdpForms.includes(form)) {
    throw new LipschitzBoundsError('form', `${String(form)}; allowed: ${lipSdpForms.join(', ')}`);
  }
  const alpha = options.alpha ?? 0;
  const beta = options.beta ?? 1;
  if (!Number.isFinite(alpha)) throw new LipschitzBoundsError('alpha', `${alpha}; allowed: a finite number ≤ beta`);
  if (!Number.isFinite(beta) || beta < alpha)
    throw new LipschitzBoundsError('beta', `${beta}; allowed: a finite number ≥ alpha`);
  checkPositiveInt('splitSize', options.splitSize);
  checkPositiveInt('numRandomPairs', options.numRandomPairs);
  checkPositiveInt('numDecisionVars', options.numDecisionVars);
  const chain = 'weights' in network ? network : affineReluChain(network, { method: 'LipSDP' });
  const count = chain.weights.length;
  const size = options.split ? (options.splitSize ?? 2) : count;
  const ranges: Array<[number, number]> = [];
  for (let s = 0; s < count; s += size) ranges.push([s, Math.min(count, s + size)]);
  const chunks: LipSdpChunk[] = [];
  ranges.forEach(([from, to], c) => {
    const sub = sliceAffineReluChain(chain, from, to);
    if (to - from === 1 && options.split) {
      const w = sub.weights[0]!;
      chunks.push({
        stages: [from, to],
        value: singularValues(w)[0] ?? 0,
        method: 'spectral-norm',
        status: 'optimal',
        iterations: 0,
        lmiMinEigenvalue: Number.NaN,
        certified: true,
        lmiSize: 0,
        variables: 0,
      });
    } else {
      chunks.push({
        ...solveChunk(sub.weights, form, alpha, beta, options, (row) => options.onIteration?.(c, row)),
        stages: [from, to],
      });
    }
    options.onProgress?.(c + 1, ranges.length);
  });
  const value = chunks.reduce((p, ch) => p * ch.value, 1);
  const uncertified = chunks.filter((ch) => !ch.certified);
  let reason = '';
  if (!isSoundLipSdpForm(form) && chunks.some((ch) => ch.method === 'sdp')) {
    reason = `the ${form} form couples neurons with ζ_ij (e_i − e_j)(e_i − e_j)ᵀ terms, which are not valid for ReLU in general (Pauli et al. 2021); our exact-oracle tests find networks where it is below the true constant`;
  } else if (uncertified.length > 0) {
    const ch = uncertified[0]!;
    reason = `the LMI at the solver's point is not certified in float64 (stages ${ch.stages[0]}–${ch.stages[1]}: status ${ch.status}, λ_min = ${ch.lmiMinEigenvalue.toExponential(3)})`;
  }
  return { value, kind: reason ? 'estimate' : 'upper bound', reason, form, chunks, timeMs: performance.now() - start };
}

/** Solves one LipSDP on weights W_0..W_ℓ (ℓ ≥ 1) and certifies the result. */
function solveChunk(
  unscaled: DenseMatrix[],
  form: LipSdpForm,
  alpha: number,
  beta: number,
  options: LipSdpOptions,
  onIteration: (row: SdpIterationLog) => void,
): Omit<LipSdpChunk, 'stages'> {
  // Scale every W_k to spectral norm ≈ 1 (power-iteration estimate): the ReLU network and the LipSDP value are
  // positively homogeneous in each W_k, so L(W) = L(W/s) · Π s_k, and an O(1) problem keeps the interior-point
  // method well scaled (an optimum L² of 10⁵ with a unit starting point costs dozens of iterations otherwise).
  // The coupled forms are not invariant under per-layer scaling (ζ_ij couples neurons of different layers), so they
  // are solved as given, like the original.
  const scales = isSoundLipSdpForm(form) ? unscaled.map(estimateSpectralNorm) : unscaled.map(() => 1);
  const original = unscaled.map((w, k) => ({ ...w, data: w.data.map((v) => v / scales[k]!) }));
  const scaleProduct = scales.reduce((p, v) => p * v, 1) * (1 + 4 * unscaled.length * Number.EPSILON);
  const ell = original.length - 1;
  const w0 = original[0]!;
  // Exact input reduction: the LMI depends on W_0 only through W_0 W_0ᵀ when n_0 > n_1, so W_0 is replaced by an
  // n_1×n_1 factor R with R Rᵀ = W_0 W_0ᵀ: the Cholesky factor of the Gram matrix (O(n_1² n_0)), or U_0 Σ_0 from the
  // SVD when the Gram matrix is numerically singular.
  const w0r: DenseMatrix = w0.cols > w0.rows ? inputReduction(w0) : w0;
  const weights = [w0r, ...original.slice(1)];
  const n0 = w0r.cols;
  const hidden = weights.slice(0, ell).map((w) => w.rows);
  const nHidden = hidden.reduce((a, b) => a + b, 0);
  const n = n0 + nHidden;
  // Basis: a_i = Aᵀ e_i (0..N−1), b_i = e_{n0+i} (N..2N−1), input unit vectors e_j (2N..2N+n0−1). The a_i of one
  // layer keep their zeros and share one support (the layer's input block), so the solver treats them as a dense
  // panel: its Gram products become contiguous dot products.
  const basis: SparseVector[] = [];
  for (let k = 0; k < ell; k++) {
    const w = weights[k]!;
    const inOff = k === 0 ? 0 : n0 + hidden.slice(0, k - 1).reduce((a, b) => a + b, 0);
    const index = Int32Array.from({ length: w.cols }, (_, j) => inOff + j);
    for (let t = 0; t < w.rows; t++) basis.push({ index, value: w.data.subarray(t * w.cols, (t + 1) * w.cols) });
  }
  for (let i = 0; i < nHidden; i++) basis.push({ index: [n0 + i], value: [1] });
  for (let j = 0; j < n0; j++) basis.push({ index: [j], value: [1] });
  const aIdx = (i: number) => i;
  const bIdx = (i: number) => nHidden + i;

  // Multiplier variables.
  const tVars: TermSet[] = [];
  if (form === 'layer') {
    let first = 0;
    for (const h of hidden) {
      tVars.push({ terms: Array.from({ length: h }, (_, t) => [[first + t, 1]]) });
      first += h;
    }
  } else {
    for (let i = 0; i < nHidden; i++) tVars.push({ terms: [[[i, 1]]] });
  }
  const pairs = form === 'neuron' || form === 'layer' ? [] : pairsOf(nHidden, form, options);
  for (const [i, j] of pairs) {
    tVars.push({
      terms: [
        [
          [i, 1],
          [j, -1],
        ],
      ],
    });
  }
  const m = 1 + tVars.length;
  const variable: number[] = [];
  const row: number[] = [];
  const col: number[] = [];
  const value: number[] = [];
  // L²: A_0 = −J (J = identity on the input block).
  for (let j = 0; j < n0; j++) {
    variable.push(0);
    row.push(2 * nHidden + j);
    col.push(2 * nHidden + j);
    value.push(-1);
  }
  // T terms: A_k = Σ_terms −2αβ ppᵀ + (α+β)(pqᵀ + qpᵀ) − 2qqᵀ with p = Σ c a_i, q = Σ c b_i (upper triangle only).
  tVars.forEach((tv, t) => {
    const acc = new Map<number, number>();
    const r = 2 * nHidden + n0;
    const add = (x: number, y: number, v: number) => {
      if (x > y || v === 0) return;
      const key = x * r + y;
      acc.set(key, (acc.get(key) ?? 0) + v);
    };
    for (const u of tv.terms) {
      for (const [i, ci] of u) {
        for (const [j, cj] of u) {
          add(aIdx(i), aIdx(j), -2 * alpha * beta * ci * cj);
          add(aIdx(i), bIdx(j), (alpha + beta) * ci * cj);
          add(bIdx(i), bIdx(j), -2 * ci * cj);
        }
      }
    }
    for (const [key, v] of acc) {
      if (v === 0) continue;
      variable.push(t + 1);
      row.push(Math.floor(key / r));
      col.push(key % r);
      value.push(v);
    }
  });
  // C = blkdiag(0, …, −W_ℓᵀW_ℓ) − δI (margin so that the reported point is strictly feasible).
  const wl = weights[ell]!;
  const lastOff = ell === 0 ? 0 : n - hidden[ell - 1]!;
  const c = new Float64Array(n * n);
  let cScale = 0;
  for (let i = 0; i < wl.cols; i++) {
    for (let j = 0; j < wl.cols; j++) {
      let s = 0;
      for (let o = 0; o < wl.rows; o++) s += wl.data[o * wl.cols + i]! * wl.data[o * wl.cols + j]!;
      c[(lastOff + i) * n + lastOff + j] = -s;
      cScale = Math.max(cScale, Math.abs(s));
    }
  }
  const delta = 1e-7 * Math.max(1, cScale);
  for (let i = 0; i < n; i++) c[i * n + i]! -= delta;
  const nT = tVars.length;
  const blocks: SdpBlockData[] = [{ kind: 'psd', size: n, c, basis, entries: { variable, row, col, value } }];
  if (nT > 0) {
    blocks.push({
      kind: 'nonneg',
      size: nT,
      c: new Float64Array(nT).fill(-1e-9 * Math.max(1, cScale)),
      entries: {
        variable: Array.from({ length: nT }, (_, t) => t + 1),
        row: Array.from({ length: nT }, (_, t) => t),
        col: Array.from({ length: nT }, (_, t) => t),
        value: Array.from({ length: nT }, () => -1),
      },
    });
  }
  const result = solveSemidefiniteProgram(
    { b: Float64Array.from({ length: m }, (_, k) => (k === 0 ? -1 : 0)), blocks },
    { tolerance: options.tolerance ?? 1e-8, maxIterations: options.maxIterations ?? 100, onIteration },
  );
  if (result.status === 'infeasible' || result.status === 'unbounded') {
    throw new LipschitzBoundsError(
      'net',
      `LipSDP-${form}: the SDP is ${result.status} (no certificate exists for this network)`,
    );
  }
  const y = result.y;
  const l2 = y[0]!;
  // Build T (dense N×N) from the multipliers and certify −F ⪰ 0 on the ORIGINAL weights.
  const tMat = new Float64Array(nHidden * nHidden);
  let tNonNegative = true;
  tVars.forEach((tv, t) => {
    const yt = y[t + 1]!;
    if (yt < 0) tNonNegative = false;
    for (const u of tv.terms) for (const [i, ci] of u) for (const [j, cj] of u) tMat[i * nHidden + j]! += yt * ci * cj;
  });
  const lmi = lipSdpSlack(original, l2, tMat, alpha, beta);
  const lambdaMin = symmetricEigen(lmi.matrix, lmi.size, { vectors: false }).values[0]!;
  let frob = 0;
  for (const v of lmi.matrix) frob += v * v;
  const roundoff = 8 * lmi.size * Number.EPSILON * Math.sqrt(frob);
  const certified = tNonNegative && lambdaMin > roundoff && l2 > 0;
  return {
    value: Math.sqrt(Math.max(0, l2)) * scaleProduct,
    method: 'sdp',
    status: result.status,
    iterations: result.iterations,
    lmiMinEigenvalue: lambdaMin,
    certified,
    lmiSize: n,
    variables: m,
  };
}

/** An r×r factor R with R Rᵀ = W Wᵀ for a wide r×c W (see the input reduction in {@link lipSdp}'s chunks). */
function inputReduction(w: DenseMatrix): DenseMatrix {
  const r = w.rows;
  const c = w.cols;
  const data = new Float64Array(r * r);
  for (let i = 0; i < r; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < c; k++) s += w.data[i * c + k]! * w.data[j * c + k]!;
      data[i * r + j] = s;
      data[j * r + i] = s;
    }
  }
  if (choleskyInPlace(data, r)) return { rows: r, cols: r, data };
  const svd = singularValueDecomposition(w);
  for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) data[i * r + j] = svd.u.data[i * svd.u.cols + j]! * svd.s[j]!;
  return { rows: r, cols: r, data };
}

/** ‖W‖₂ estimated by 30 power iterations from a fixed start (only used to rescale; any positive scale is exact). */
function estimateSpectralNorm(w: DenseMatrix): number {
  let v = Float64Array.from({ length: w.cols }, (_, i) => 1 + 0.5 * Math.sin(1.3 * i + 0.7));
  let sigma = 0;
  for (let it = 0; it < 30; it++) {
    const u = new Float64Array(w.rows);
    for (let i = 0; i < w.rows; i++) {
      let s = 0;
      for (let j = 0; j < w.cols; j++) s += w.data[i * w.cols + j]! * v[j]!;
      u[i] = s;
    }
    const next = new Float64Array(w.cols);
    for (let i = 0; i < w.rows; i++) {
      const ui = u[i]!;
      for (let j = 0; j < w.cols; j++) next[j]! += w.data[i * w.cols + j]! * ui;
    }
    const norm = Math.hypot(...next);
    if (norm === 0) return 1;
    sigma = Math.sqrt(norm);
    v = next.map((x) => x / norm);
  }
  return sigma > 0 ? sigma : 1;
}

/**
 * The LipSDP slack −F = M − [A; B]ᵀ Q [A; B] (size n_0 + N) for given L² and dense T, built from the weights in
 * float64. −F ⪰ 0 with T ≥ 0 (diagonal forms) certifies ‖f(x) − f(y)‖ ≤ √L² ‖x − y‖.
 */
export function lipSdpSlack(
  weights: DenseMatrix[],
  l2: number,
  t: Float64Array,
  alpha = 0,
  beta = 1,
): { matrix: Float64Array; size: number } {
  const ell = weights.length - 1;
  const n0 = weights[0]!.cols;
  const hidden = weights.slice(0, ell).map((w) => w.rows);
  const nh = hidden.reduce((a, b) => a + b, 0);
  const n = n0 + nh;
  // A (nh × n) dense.
  const a = new Float64Array(nh * n);
  let rowStart = 0;
  let inOff = 0;
  weights.slice(0, ell).forEach((w) => {
    for (let i = 0; i < w.rows; i++)
      for (let j = 0; j < w.cols; j++) a[(rowStart + i) * n + inOff + j] = w.data[i * w.cols + j]!;
    inOff += w.cols;
    rowStart += w.rows;
  });
  // TA (nh × n).
  const ta = new Float64Array(nh * n);
  for (let i = 0; i < nh; i++) {
    for (let k = 0; k < nh; k++) {
      const v = t[i * nh + k]!;
      if (v === 0) continue;
      for (let j = 0; j < n; j++) ta[i * n + j]! += v * a[k * n + j]!;
    }
  }
  const out = new Float64Array(n * n);
  // −(−2αβ AᵀTA) = 2αβ AᵀTA
  if (alpha * beta !== 0) {
    for (let k = 0; k < nh; k++) {
      for (let i = 0; i < n; i++) {
        const aki = a[k * n + i]!;
        if (aki === 0) continue;
        for (let j = 0; j < n; j++) out[i * n + j]! += 2 * alpha * beta * aki * ta[k * n + j]!;
      }
    }
  }
  // −(α+β)(AᵀTB + BᵀTA): BᵀTA puts TA into the hidden rows.
  for (let i = 0; i < nh; i++) {
    for (let j = 0; j < n; j++) {
      const v = (alpha + beta) * ta[i * n + j]!;
      out[(n0 + i) * n + j]! -= v;
      out[j * n + n0 + i]! -= v;
    }
  }
  // +2 BᵀTB
  for (let i = 0; i < nh; i++) for (let j = 0; j < nh; j++) out[(n0 + i) * n + n0 + j]! += 2 * t[i * nh + j]!;
  // + M = blkdiag(L² I, 0, −W_ℓᵀW_ℓ)
  for (let i = 0; i < n0; i++) out[i * n + i]! += l2;
  const wl = weights[ell]!;
  const lastOff = ell === 0 ? 0 : n - hidden[ell - 1]!;
  for (let i = 0; i < wl.cols; i++) {
    for (let j = 0; j < wl.cols; j++) {
      let s = 0;
      for (let o = 0; o < wl.rows; o++) s += wl.data[o * wl.cols + i]! * wl.data[o * wl.cols + j]!;
      out[(lastOff + i) * n + lastOff + j]! -= s;
    }
  }
  return { matrix: out, size: n };
}
