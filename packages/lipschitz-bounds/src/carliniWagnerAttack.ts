/**
 * The Carlini & Wagner ℓ2 attack ("Towards Evaluating the Robustness of Neural Networks", IEEE S&P 2017, §V.A),
 * untargeted, on raw logits, in float64 with a hand-written Adam: minimise
 * `‖x' − x0‖² + c · max(0, y_true(x') − max_{j≠true} y_j(x') + κ)` over `x' = tanh(w)·mul + plus` (the box).
 *
 * Differences from the original's port (spec §5.4, pitfall 8): the constant c IS applied (the original multiplied
 * by 1), the modifier is reset at each binary-search step, and distances are measured to x0 itself.
 */
import { type AttackResult, argmaxOf } from './fastGradientSignAttack.js';
import { LipschitzBoundsError } from './lipschitzBoundsError.js';
import { networkForward, networkOutput } from './networkForward.js';
import { networkVectorJacobianProduct } from './networkVectorJacobianProduct.js';
import type { PreparedNetwork } from './preparedNetwork.js';
import { distance } from './randomLowerBound.js';

/** Options of {@link carliniWagnerAttack}. */
export interface CarliniWagnerOptions {
  /** Input box [min, max] (normalised units); x0 must lie inside. Default: x0's range widened by 10 on each side. */
  box?: [number, number];
  /** Adam learning rate. Default 1e-2. */
  learningRate?: number;
  /** Binary-search steps on c. Default 9. */
  binarySearchSteps?: number;
  /** Adam iterations per search step. Default 1000. */
  maxIterations?: number;
  /** Initial c. Default 1e-3. */
  initialConstant?: number;
  /** Confidence margin κ. Default 0. */
  confidence?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Untargeted C&W ℓ2 attack; on success `perturbationNorm` is an upper bound on the minimal adversarial ℓ2
 * perturbation. Returns the best (smallest) successful point over all binary-search steps.
 */
export function carliniWagnerAttack(
  net: PreparedNetwork,
  x0: ArrayLike<number>,
  options: CarliniWagnerOptions = {},
): AttackResult & { constant: number } {
  const base = Float64Array.from(x0);
  const n = base.length;
  const min = Math.min(...base);
  const max = Math.max(...base);
  const [boxMin, boxMax] = options.box ?? [min - 10, max + 10];
  if (!(boxMin < boxMax) || min < boxMin || max > boxMax) {
    throw new LipschitzBoundsError('options.box', `[${boxMin}, ${boxMax}] must contain x0 (range [${min}, ${max}])`);
  }
  const mul = (boxMax - boxMin) / 2;
  const plus = (boxMax + boxMin) / 2;
  const w0 = base.map((v) => Math.atanh(Math.max(-1 + 1e-12, Math.min(1 - 1e-12, (v - plus) / mul))));
  const lr = options.learningRate ?? 1e-2;
  const searchSteps = options.binarySearchSteps ?? 9;
  const maxIterations = options.maxIterations ?? 1000;
  const kappa = options.confidence ?? 0;
  const y0 = networkOutput(net, base);
  const label = argmaxOf(y0);
  const outSize = y0.length;
  let c = options.initialConstant ?? 1e-3;
  let lower = 0;
  let upper = 1e10;
  let bestNorm = Number.POSITIVE_INFINITY;
  let bestX = base.slice();
  let bestClass = label;
  let bestConstant = c;
  const total = searchSteps * maxIterations;
  for (let outer = 0; outer < searchSteps; outer++) {
    const w = w0.slice();
    const m = new Float64Array(n);
    const v = new Float64Array(n);
    let succeeded = false;
    let previousLoss = Number.POSITIVE_INFINITY;
    for (let it = 1; it <= maxIterations; it++) {
      const t = w.map(Math.tanh);
      const x = t.map((ti) => ti * mul + plus);
      const acts = networkForward(net, x);
      const y = acts.values[acts.values.length - 1] as Float64Array;
      let other = -1;
      for (let j = 0; j < outSize; j++)
        if (j !== label && (other < 0 || (y[j] as number) > (y[other] as number))) other = j;
      const margin = (y[label] as number) - (y[other] as number) + kappa;
      const l2 = distance(x, base) ** 2;
      const loss = l2 + c * Math.max(0, margin);
      if (argmaxOf(y) !== label) {
        succeeded = true;
        if (Math.sqrt(l2) < bestNorm) {
          bestNorm = Math.sqrt(l2);
          bestX = x;
          bestClass = argmaxOf(y);
          bestConstant = c;
        }
      }
      // Abort early when the loss stalls (checked every tenth of the iterations, as the original).
      if (it % Math.max(1, Math.floor(maxIterations / 10)) === 0) {
        if (loss > previousLoss * 0.9999) break;
        previousLoss = loss;
      }
      // d loss / dx = 2(x − x0) + c·(∇y_true − ∇y_other) when the margin is active.
      let gx = x.map((xi, i) => 2 * (xi - (base[i] as number)));
      if (margin > 0) {
        const u = new Float64Array(outSize);
        u[label] = c;
        u[other] = -c;
        const gm = networkVectorJacobianProduct(net, acts, u);
        gx = gx.map((g, i) => g + (gm[i] as number));
      }
      // Chain rule through x = tanh(w)·mul + plus, then one Adam step (β1 0.9, β2 0.999, ε 1e-8).
      for (let i = 0; i < n; i++) {
        const g = (gx[i] as number) * mul * (1 - (t[i] as number) ** 2);
        m[i] = 0.9 * (m[i] as number) + 0.1 * g;
        v[i] = 0.999 * (v[i] as number) + 0.001 * g * g;
        const mHat = (m[i] as number) / (1 - 0.9 ** it);
        const vHat = (v[i] as number) / (1 - 0.999 ** it);
        w[i] = (w[i] as number) - (lr * mHat) / (Math.sqrt(vHat) + 1e-8);
      }
      if (options.onProgress && it % 100 === 0) options.onProgress(outer * maxIterations + it, total);
    }
    if (succeeded) {
      upper = Math.min(upper, c);
      c = (lower + upper) / 2;
    } else {
      lower = Math.max(lower, c);
      c = upper < 1e9 ? (lower + upper) / 2 : c * 10;
    }
  }
  const success = bestClass !== label;
  return {
    success,
    perturbationNorm: success ? bestNorm : Number.POSITIVE_INFINITY,
    x: bestX,
    originalClass: label,
    adversarialClass: bestClass,
    kind: 'upper bound',
    constant: bestConstant,
  };
}
