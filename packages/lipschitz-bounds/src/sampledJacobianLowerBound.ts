/**
 * A lower bound on the ℓ2 Lipschitz constant of a feed-forward ReLU network: the largest ‖J_f(x)‖₂ over sampled
 * inputs x where f is differentiable (no pre-activation exactly 0). At such a point f is affine nearby, so
 * ‖J_f(x)‖₂ ≤ L for the global constant and for the constant over any ball containing x in its interior.
 */
import { type AffineReluChain, affineReluChain } from './affineReluChain.js';
import { LipschitzBoundsError } from './lipschitzBoundsError.js';
import type { NetworkDescription } from './networkDescription.js';
import type { PreparedNetwork } from './preparedNetwork.js';
import { createSeededRandom } from './seededRandom.js';
import { singularValues } from './singularValueDecomposition.js';
import type { ValidatedNetwork } from './validateNetworkDescription.js';

/** Options of {@link sampledJacobianLowerBound}. */
export interface SampledJacobianOptions {
  /** Number of inputs. Default 1000. */
  samples?: number;
  /** Seed. Default 0. */
  seed?: number;
  /** Sample uniformly in this open ball (local); default: x ~ N(0, scale² I) (global). */
  ball?: { center: ArrayLike<number>; radius: number };
  /** Standard deviation of the global sampling. Default 1. */
  scale?: number;
}

/** Result of {@link sampledJacobianLowerBound}. */
export interface SampledJacobianLowerBound {
  value: number;
  kind: 'lower bound';
  /** The input attaining it. */
  argmax: Float64Array;
  samples: number;
}

/**
 * The Jacobian W_ℓ D_ℓ W_{ℓ−1} … D_1 W_0 at x (out × n0, row-major), or null if a pre-activation is exactly 0 (f may
 * not be differentiable there). Forward pass for the masks, then products from the output side (cost out·Σ n_k n_{k+1}).
 */
export function reluChainJacobian(chain: AffineReluChain, x: ArrayLike<number>): Float64Array | null {
  const ell = chain.weights.length - 1;
  const masks: Uint8Array[] = [];
  let z = Float64Array.from(x as ArrayLike<number>);
  for (let k = 0; k < ell; k++) {
    const w = chain.weights[k]!;
    const nz = Float64Array.from(chain.biases[k]!);
    for (let i = 0; i < w.rows; i++) {
      let s = nz[i]!;
      const o = i * w.cols;
      for (let t = 0; t < w.cols; t++) s += w.data[o + t]! * z[t]!;
      if (s === 0) return null;
      nz[i] = Math.max(s, 0);
    }
    masks.push(Uint8Array.from(nz, (v) => (v > 0 ? 1 : 0)));
    z = nz;
  }
  const last = chain.weights[ell]!;
  let g = Float64Array.from(last.data);
  let cols = last.cols;
  const out = last.rows;
  for (let k = ell - 1; k >= 0; k--) {
    const w = chain.weights[k]!;
    const mask = masks[k]!;
    const ng = new Float64Array(out * w.cols);
    for (let o = 0; o < out; o++) {
      for (let t = 0; t < cols; t++) {
        const v = g[o * cols + t]!;
        if (v === 0 || !mask[t]) continue;
        const wr = t * w.cols;
        const gr = o * w.cols;
        for (let q = 0; q < w.cols; q++) ng[gr + q]! += v * w.data[wr + q]!;
      }
    }
    g = ng;
    cols = w.cols;
  }
  return g;
}

/**
 * max ‖J_f(x)‖₂ over seeded random inputs (see the file comment).
 * @throws LipschitzBoundsError for a network that is not feed-forward ReLU (`net`) or bad options.
 */
export function sampledJacobianLowerBound(
  network: NetworkDescription | ValidatedNetwork | PreparedNetwork | AffineReluChain,
  options: SampledJacobianOptions = {},
): SampledJacobianLowerBound {
  const chain = 'weights' in network ? network : affineReluChain(network, { method: 'the sampled Jacobian bound' });
  const n0 = chain.sizes[0]!;
  const samples = options.samples ?? 1000;
  if (!(Number.isInteger(samples) && samples >= 1))
    throw new LipschitzBoundsError('samples', `${samples}; allowed: an integer ≥ 1`);
  const scale = options.scale ?? 1;
  if (!(scale > 0 && Number.isFinite(scale)))
    throw new LipschitzBoundsError('scale', `${scale}; allowed: a finite number > 0`);
  const ball = options.ball;
  if (ball && !(ball.radius > 0 && Number.isFinite(ball.radius))) {
    throw new LipschitzBoundsError('ball.radius', `${ball.radius}; allowed: a finite number > 0`);
  }
  if (ball && ball.center.length !== n0)
    throw new LipschitzBoundsError('ball.center', `length ${ball.center.length}; allowed: ${n0}`);
  const rand = createSeededRandom(options.seed ?? 0);
  const out = chain.sizes[chain.sizes.length - 1]!;
  let best = 0;
  let argmax: Float64Array = new Float64Array(n0);
  for (let s = 0; s < samples; s++) {
    const x = new Float64Array(n0);
    if (ball) {
      // Uniform in the ball: Gaussian direction, radius ∝ U^{1/n}, kept strictly inside.
      let norm = 0;
      for (let q = 0; q < n0; q++) {
        x[q] = rand.normal();
        norm += x[q]! * x[q]!;
      }
      const r = (ball.radius * 0.999999 * rand.uniform() ** (1 / n0)) / Math.sqrt(norm || 1);
      for (let q = 0; q < n0; q++) x[q] = (ball.center[q] as number) + r * x[q]!;
    } else {
      for (let q = 0; q < n0; q++) x[q] = scale * rand.normal();
    }
    const j = reluChainJacobian(chain, x);
    if (!j) continue;
    const v = singularValues({ rows: out, cols: n0, data: j })[0] ?? 0;
    if (v > best) {
      best = v;
      argmax = x;
    }
  }
  return { value: best, kind: 'lower bound', argmax, samples };
}
