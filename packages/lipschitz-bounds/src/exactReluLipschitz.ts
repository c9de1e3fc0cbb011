/**
 * The exact ℓ2 Lipschitz constant of a small feed-forward ReLU network, for use as a test oracle.
 *
 * A ReLU network is continuous and affine on each activation region {x : sign pattern of every pre-activation fixed},
 * so on a convex domain its Lipschitz constant is the largest ‖J_region‖₂ over the regions that meet the domain in a
 * set with non-empty interior (lower-dimensional regions do not matter by continuity). We enumerate those regions by a
 * depth-first search over the neurons, layer by layer: each branch adds the half-space s_i (a_iᵀx + c_i) ≥ 0 and is kept
 * only if the region still contains a ball of positive radius, checked by a Chebyshev-centre LP
 * ({@link solveLinearProgram}) for the whole space, or an SDP with a second-order-cone (arrow) block for a Euclidean
 * ball ({@link solveSemidefiniteProgram}). Cost grows with the number of regions: tiny networks only.
 *
 * Local constant: over a ball B(x0, ε) this is the two-sided constant sup_{x≠y ∈ B} ‖f(x) − f(y)‖/‖x − y‖, which is
 * ≥ the one-sided constant of the local_lipschitz spec (§2, x0 fixed as one endpoint).
 */
import { type AffineReluChain, affineReluChain } from './affineReluChain.js';
import { solveLinearProgram } from './linearProgram.js';
import { LipschitzBoundsError } from './lipschitzBoundsError.js';
import type { NetworkDescription } from './networkDescription.js';
import type { PreparedNetwork } from './preparedNetwork.js';
import { type SdpBlockData, solveSemidefiniteProgram } from './semidefiniteProgram.js';
import { singularValues } from './singularValueDecomposition.js';
import type { ValidatedNetwork } from './validateNetworkDescription.js';

/** Options of {@link exactReluLipschitz}. */
export interface ExactReluLipschitzOptions {
  /** Restrict to the closed ball B(center, radius) (local constant); default: the whole input space (global). */
  ball?: { center: ArrayLike<number>; radius: number };
  /** Minimum inscribed radius for a region to count as full-dimensional. Default 1e-7 (× radius for a ball). */
  interiorTolerance?: number;
  /** Budget of feasibility problems; exceeding it throws. Default 200 000. */
  maxProblems?: number;
  /** Largest total number of hidden neurons accepted. Default 40. */
  maxHiddenNeurons?: number;
}

/** Result of {@link exactReluLipschitz}. */
export interface ExactReluLipschitz {
  /** The exact Lipschitz constant (up to float64 rounding and the interior tolerance). */
  value: number;
  kind: 'exact';
  /** Full-dimensional activation regions met by the domain. */
  regions: number;
  /** LP/SDP feasibility problems solved. */
  problems: number;
  /** An input inside the maximising region (its Chebyshev centre). */
  argmax: Float64Array;
}

interface Halfspace {
  g: Float64Array;
  h: number;
}

/**
 * Exact global (or local, over a ball) ℓ2 Lipschitz constant of a feed-forward ReLU network by region enumeration.
 * @throws LipschitzBoundsError for a network that is not feed-forward ReLU or too large (`net`), a bad ball
 *   (`ball.radius`, `ball.center`), or when the problem budget is exhausted (`maxProblems`).
 */
export function exactReluLipschitz(
  network: NetworkDescription | ValidatedNetwork | PreparedNetwork | AffineReluChain,
  options: ExactReluLipschitzOptions = {},
): ExactReluLipschitz {
  const chain = 'weights' in network ? network : affineReluChain(network, { method: 'the exact oracle' });
  const n0 = chain.sizes[0]!;
  const hiddenTotal = chain.sizes.slice(1, -1).reduce((a, b) => a + b, 0);
  const maxHidden = options.maxHiddenNeurons ?? 40;
  if (hiddenTotal > maxHidden) {
    throw new LipschitzBoundsError(
      'net',
      `the exact oracle enumerates activation regions (up to 2^${hiddenTotal}); allowed: at most ${maxHidden} hidden neurons`,
    );
  }
  const ball = options.ball;
  if (ball) {
    if (!(ball.radius > 0 && Number.isFinite(ball.radius))) {
      throw new LipschitzBoundsError('ball.radius', `${ball.radius}; allowed: a finite number > 0`);
    }
    if (ball.center.length !== n0)
      throw new LipschitzBoundsError('ball.center', `length ${ball.center.length}; allowed: ${n0}`);
  }
  const tol = (options.interiorTolerance ?? 1e-7) * (ball ? ball.radius : 1);
  const maxProblems = options.maxProblems ?? 200_000;
  let problems = 0;

  /** Chebyshev radius (capped at 1, or at the ball radius) and centre of {g·x ≤ h} (∩ ball). */
  const inscribed = (cons: Halfspace[]): { radius: number; center: Float64Array } => {
    if (++problems > maxProblems) {
      throw new LipschitzBoundsError(
        'maxProblems',
        `${maxProblems} feasibility problems exhausted; allowed: a larger budget or a smaller network`,
      );
    }
    if (!ball) {
      const res = solveLinearProgram({
        c: [...new Array<number>(n0).fill(0), -1],
        aUb: cons.map((c) => [...c.g, Math.hypot(...c.g)]),
        bUb: cons.map((c) => c.h),
        lower: new Array<number>(n0 + 1).fill(Number.NEGATIVE_INFINITY),
        upper: [...new Array<number>(n0).fill(Number.POSITIVE_INFINITY), 1],
      });
      if (res.status !== 'optimal')
        return { radius: res.status === 'infeasible' ? -1 : 1, center: new Float64Array(n0) };
      return { radius: res.x[n0]!, center: res.x.slice(0, n0) };
    }
    return inscribedInBall(cons, ball.center, ball.radius, n0);
  };

  let best = 0;
  let regions = 0;
  let argmax: Float64Array = new Float64Array(n0);
  const ell = chain.weights.length - 1;

  // DFS state: constraints, current linear map L (n_k × n0) and offset c of the next layer's pre-activation.
  const visitLayer = (k: number, cons: Halfspace[], lin: Float64Array, off: Float64Array, center: Float64Array) => {
    if (k === ell) {
      // Leaf: the network is W_ℓ (lin x + off) + b on this region; lin already includes the last ReLU mask.
      const w = chain.weights[ell]!;
      const j = new Float64Array(w.rows * n0);
      for (let o = 0; o < w.rows; o++) {
        for (let t = 0; t < w.cols; t++) {
          const v = w.data[o * w.cols + t]!;
          if (v === 0) continue;
          for (let q = 0; q < n0; q++) j[o * n0 + q]! += v * lin[t * n0 + q]!;
        }
      }
      const norm = singularValues({ rows: w.rows, cols: n0, data: j })[0] ?? 0;
      regions++;
      if (norm > best) {
        best = norm;
        argmax = center;
      }
      return;
    }
    // Pre-activation of layer k+1 hidden units: W_k (lin x + off) + b_k.
    const w = chain.weights[k]!;
    const b = chain.biases[k]!;
    const pre = new Float64Array(w.rows * n0);
    const preC = Float64Array.from(b);
    for (let i = 0; i < w.rows; i++) {
      for (let t = 0; t < w.cols; t++) {
        const v = w.data[i * w.cols + t]!;
        if (v === 0) continue;
        preC[i]! += v * off[t]!;
        for (let q = 0; q < n0; q++) pre[i * n0 + q]! += v * lin[t * n0 + q]!;
      }
    }
    const mask = new Uint8Array(w.rows);
    const visitNeuron = (i: number, cons2: Halfspace[], center2: Float64Array) => {
      if (i === w.rows) {
        const nextLin = new Float64Array(w.rows * n0);
        const nextOff = new Float64Array(w.rows);
        for (let r = 0; r < w.rows; r++) {
          if (!mask[r]) continue;
          nextOff[r] = preC[r]!;
          for (let q = 0; q < n0; q++) nextLin[r * n0 + q] = pre[r * n0 + q]!;
        }
        visitLayer(k + 1, cons2, nextLin, nextOff, center2);
        return;
      }
      const a = pre.subarray(i * n0, (i + 1) * n0);
      const norm = Math.hypot(...a);
      if (norm <= 1e-12 * (1 + Math.abs(preC[i]!))) {
        // Constant on the region: active iff positive (a zero constant contributes nothing either way).
        mask[i] = preC[i]! > 0 ? 1 : 0;
        visitNeuron(i + 1, cons2, center2);
        return;
      }
      for (const active of [1, 0]) {
        // active: a·x + c ≥ 0 ⇔ −a·x ≤ c; inactive: a·x ≤ −c.
        const sign = active ? -1 : 1;
        const half: Halfspace = { g: Float64Array.from(a, (v) => sign * v), h: active ? preC[i]! : -preC[i]! };
        const next = [...cons2, half];
        const { radius, center: c3 } = inscribed(next);
        if (radius > tol) {
          mask[i] = active;
          visitNeuron(i + 1, next, c3);
        }
      }
    };
    visitNeuron(0, cons, center);
  };
  const eye = new Float64Array(n0 * n0);
  for (let q = 0; q < n0; q++) eye[q * n0 + q] = 1;
  visitLayer(0, [], eye, new Float64Array(n0), ball ? Float64Array.from(ball.center) : new Float64Array(n0));
  return { value: best, kind: 'exact', regions, problems, argmax };
}

/** Largest t with a ball B(x, t) inside {g·x ≤ h} ∩ B(center, radius): an SDP with an arrow (second-order cone) block. */
function inscribedInBall(
  cons: Halfspace[],
  center: ArrayLike<number>,
  radius: number,
  n0: number,
): { radius: number; center: Float64Array } {
  // Variables y = (x_0..x_{n0−1}, t); maximise t.
  // Arrow: [[radius − t, (x − c)ᵀ], [x − c, (radius − t) I]] ⪰ 0 = C − Σ y_k A_k.
  const size = n0 + 1;
  const c = new Float64Array(size * size);
  for (let i = 0; i < size; i++) c[i * size + i] = radius;
  for (let i = 0; i < n0; i++) {
    c[i + 1] = -(center[i] as number);
    c[(i + 1) * size] = -(center[i] as number);
  }
  const variable: number[] = [];
  const row: number[] = [];
  const col: number[] = [];
  const value: number[] = [];
  for (let i = 0; i < n0; i++) {
    variable.push(i);
    row.push(0);
    col.push(i + 1);
    value.push(-1);
  }
  for (let i = 0; i < size; i++) {
    variable.push(n0);
    row.push(i);
    col.push(i);
    value.push(1);
  }
  const lp: SdpBlockData = {
    kind: 'nonneg',
    size: cons.length,
    c: cons.map((h) => h.h),
    entries: { variable: [], row: [], col: [], value: [] },
  };
  const lv: number[] = [];
  const lr: number[] = [];
  const lval: number[] = [];
  cons.forEach((h, j) => {
    for (let i = 0; i < n0; i++) {
      if (h.g[i] === 0) continue;
      lv.push(i);
      lr.push(j);
      lval.push(h.g[i]!);
    }
    lv.push(n0);
    lr.push(j);
    lval.push(Math.hypot(...h.g));
  });
  lp.entries = { variable: lv, row: lr, col: lr, value: lval };
  const res = solveSemidefiniteProgram(
    {
      b: Array.from({ length: size }, (_, k) => (k === n0 ? 1 : 0)),
      blocks:
        cons.length > 0
          ? [{ kind: 'psd', size, c, entries: { variable, row, col, value } }, lp]
          : [{ kind: 'psd', size, c, entries: { variable, row, col, value } }],
    },
    { tolerance: 1e-9 },
  );
  if (res.status !== 'optimal' && res.status !== 'max-iterations') return { radius: -1, center: new Float64Array(n0) };
  return { radius: res.y[n0]!, center: res.y.slice(0, n0) };
}
