/**
 * FGSM and I-FGSM attacks on the raw logits (spec §5.4), giving adversarial upper bounds on the smallest ℓ2
 * perturbation that changes the predicted class. As in the original, the loss is the NLL of the raw logits, i.e. minus
 * the true logit (pitfall 10), so the step is `eps · sign(−∇ y_true)`. No clipping to a pixel box.
 */
import { LipschitzBoundsError } from './lipschitzBoundsError.js';
import { networkForward, networkOutput } from './networkForward.js';
import { networkVectorJacobianProduct } from './networkVectorJacobianProduct.js';
import type { PreparedNetwork } from './preparedNetwork.js';
import { distance } from './randomLowerBound.js';

/** Result of an attack: when `success`, `perturbationNorm` = ‖x − x0‖₂ is an upper bound on the minimal ℓ2
 * perturbation that changes the class. */
export interface AttackResult {
  success: boolean;
  /** ‖x − x0‖₂ of the returned point (+∞ when the attack failed). */
  perturbationNorm: number;
  /** The attack's final point. */
  x: Float64Array;
  /** Predicted class at x0 and at x. */
  originalClass: number;
  adversarialClass: number;
  /** What the number is: an upper bound on the minimal adversarial perturbation (when successful). */
  kind: 'upper bound';
}

/** Index of the largest entry (first on ties). */
export function argmaxOf(y: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < y.length; i++) if ((y[i] as number) > (y[best] as number)) best = i;
  return best;
}

function signOfLossGradient(net: PreparedNetwork, x: Float64Array, label: number): Float64Array {
  const acts = networkForward(net, x);
  const u = new Float64Array(net.sizes[net.sizes.length - 1] as number);
  u[label] = -1;
  return networkVectorJacobianProduct(net, acts, u).map(Math.sign);
}

function result(net: PreparedNetwork, x0: Float64Array, x: Float64Array, label: number): AttackResult {
  const cls = argmaxOf(networkOutput(net, x));
  const success = cls !== label;
  return {
    success,
    perturbationNorm: success ? distance(x, x0) : Number.POSITIVE_INFINITY,
    x,
    originalClass: label,
    adversarialClass: cls,
    kind: 'upper bound',
  };
}

/** One FGSM step of size `eps` (ℓ∞) from x0. */
export function fgsmAttack(net: PreparedNetwork, x0: ArrayLike<number>, eps: number): AttackResult {
  if (!Number.isFinite(eps) || eps <= 0)
    throw new LipschitzBoundsError('eps', `is ${eps}; allowed: a finite number > 0`);
  const base = Float64Array.from(x0);
  const label = argmaxOf(networkOutput(net, base));
  const s = signOfLossGradient(net, base, label);
  return result(
    net,
    base,
    base.map((v, i) => v + eps * (s[i] as number)),
    label,
  );
}

/** Options of {@link fgsmMinimalPerturbation}. */
export interface FgsmSearchOptions {
  /** Initial ε bracket [lo, hi]; hi is doubled (up to 40 times) until the attack succeeds. Default [0, 1]. */
  bracket?: [number, number];
  /** Bisection steps. Default 10 (the original's driver). */
  steps?: number;
}

/**
 * The smallest successful FGSM step found by bisection on ε (spec §5.4's driver, with an expanding bracket instead of
 * a per-network one): returns the successful attack with the smallest ‖x − x0‖₂, or a failure.
 */
export function fgsmMinimalPerturbation(
  net: PreparedNetwork,
  x0: ArrayLike<number>,
  options: FgsmSearchOptions = {},
): AttackResult & { eps: number } {
  let [lo, hi] = options.bracket ?? [0, 1];
  let best = fgsmAttack(net, x0, hi);
  for (let k = 0; k < 40 && !best.success; k++) {
    lo = hi;
    hi *= 2;
    best = fgsmAttack(net, x0, hi);
  }
  if (!best.success) return { ...best, eps: hi };
  let bestEps = hi;
  for (let k = 0; k < (options.steps ?? 10); k++) {
    const mid = (lo + hi) / 2;
    if (mid <= 0) break;
    const r = fgsmAttack(net, x0, mid);
    if (r.success) {
      hi = mid;
      if (r.perturbationNorm < best.perturbationNorm) {
        best = r;
        bestEps = mid;
      }
    } else {
      lo = mid;
    }
  }
  return { ...best, eps: bestEps };
}

/** Options of {@link iterativeFgsmAttack}. */
export interface IterativeFgsmOptions {
  /** Step size (ℓ∞ per step). Default 1e-4 (the original's MNIST value). */
  stepSize?: number;
  /** Maximum steps. Default 5000. */
  maxSteps?: number;
  onProgress?: (done: number, total: number) => void;
}

/** I-FGSM: repeat x ← x + h·sign(−∇ y_true(x)) until the class changes or `maxSteps` (spec §5.4). */
export function iterativeFgsmAttack(
  net: PreparedNetwork,
  x0: ArrayLike<number>,
  options: IterativeFgsmOptions = {},
): AttackResult & { steps: number } {
  const h = options.stepSize ?? 1e-4;
  if (!Number.isFinite(h) || h <= 0) throw new LipschitzBoundsError('options.stepSize', `is ${h}; allowed: > 0`);
  const maxSteps = options.maxSteps ?? 5000;
  const base = Float64Array.from(x0);
  const label = argmaxOf(networkOutput(net, base));
  const outSize = net.sizes[net.sizes.length - 1] as number;
  const u = new Float64Array(outSize);
  u[label] = -1;
  let x = base.slice();
  let acts = networkForward(net, x);
  let k = 0;
  while (k < maxSteps) {
    const s = networkVectorJacobianProduct(net, acts, u);
    x = x.map((v, i) => v + h * Math.sign(s[i] as number));
    acts = networkForward(net, x);
    k++;
    if (argmaxOf(acts.values[acts.values.length - 1] as Float64Array) !== label) break;
    if (options.onProgress && k % 50 === 0) options.onProgress(k, maxSteps);
  }
  return { ...result(net, base, x, label), steps: k };
}
