/**
 * Gradient-ascent lower bounds on the local Lipschitz constant L(x0, ε).
 *
 * - {@link ascentLowerBound} maximises the ratio g(x) = ‖f(x) − f(x0)‖₂ / ‖x − x0‖₂ itself by projected gradient
 *   ascent in the closed ε-ball, from random starts; every iterate lies in the ball, so every ratio is a lower bound.
 *   ∇g = Jᵀ(f(x) − f(x0)) / (‖δf‖‖Δ‖) − ‖δf‖ Δ / ‖Δ‖³ with Δ = x − x0, δf = f(x) − f(x0).
 * - {@link repoAscentLowerBoundCurve} is the original's `lower_bound_asc` (spec §5.3, pitfall 9): unnormalised steps
 *   along ∇ of output 0 only, no projection, and for each ε the best ratio among iterates within distance ε.
 */
import { LipschitzBoundsError } from './lipschitzBoundsError.js';
import { networkForward, networkOutput } from './networkForward.js';
import { networkVectorJacobianProduct } from './networkVectorJacobianProduct.js';
import type { PreparedNetwork } from './preparedNetwork.js';
import { distance, euclideanNorm, type LowerBound, sampleBall } from './randomLowerBound.js';
import { createSeededRandom } from './seededRandom.js';

/** Options of {@link ascentLowerBound}. */
export interface AscentLowerBoundOptions {
  /** Ascent steps per start. Default 100. */
  steps?: number;
  /** Random starts (the first on the sphere of radius ε/2). Default 4. */
  restarts?: number;
  /** Initial step length as a fraction of ε (halved when a step does not improve). Default 0.25. */
  stepFraction?: number;
  /** Seed. Default 0. */
  seed?: number;
}

/**
 * Projected gradient ascent of the ratio in the ε-ball (see the file comment).
 * @throws LipschitzBoundsError (argument `eps`) for a non-positive or non-finite ε
 */
export function ascentLowerBound(
  net: PreparedNetwork,
  x0: ArrayLike<number>,
  eps: number,
  options: AscentLowerBoundOptions = {},
): LowerBound {
  if (!Number.isFinite(eps) || eps <= 0)
    throw new LipschitzBoundsError('eps', `is ${eps}; allowed: a finite number > 0`);
  const steps = options.steps ?? 100;
  const restarts = options.restarts ?? 4;
  const rng = createSeededRandom(options.seed ?? 0);
  const base = Float64Array.from(x0);
  const y0 = networkOutput(net, base);
  const n = base.length;
  let best = 0;
  let argmax: Float64Array | null = null;
  const ratioAndGradient = (x: Float64Array) => {
    const acts = networkForward(net, x);
    const y = acts.values[acts.values.length - 1] as Float64Array;
    const df = y.map((v, i) => v - (y0[i] as number));
    const delta = x.map((v, i) => v - (base[i] as number));
    const a = euclideanNorm(df);
    const b = distance(x, base);
    if (a === 0 || b === 0) return { ratio: 0, grad: null };
    const jt = networkVectorJacobianProduct(net, acts, df);
    const grad = jt.map((v, i) => v / (a * b) - (a * (delta[i] as number)) / b ** 3);
    return { ratio: a / b, grad };
  };
  for (let r = 0; r < restarts; r++) {
    const start = sampleBall(rng, n, eps);
    if (r === 0) {
      const s = euclideanNorm(start);
      for (let i = 0; i < n; i++) start[i] = s > 0 ? ((start[i] as number) * eps) / (2 * s) : 0;
    }
    let x = base.map((v, i) => v + (start[i] as number));
    let step = (options.stepFraction ?? 0.25) * eps;
    let current = ratioAndGradient(x);
    for (let it = 0; it < steps && current.grad; it++) {
      if (current.ratio > best) {
        best = current.ratio;
        argmax = x;
      }
      const g = current.grad;
      const gn = euclideanNorm(g);
      if (gn === 0) break;
      const candidate = x.map((v, i) => v + (step * (g[i] as number)) / gn);
      // Project onto the closed ball (slightly inside, so rounding cannot leave it).
      const d = distance(candidate, base);
      if (d > eps) {
        const scale = (eps / d) * (1 - 1e-12);
        for (let i = 0; i < n; i++)
          candidate[i] = (base[i] as number) + ((candidate[i] as number) - (base[i] as number)) * scale;
      }
      const next = ratioAndGradient(candidate);
      if (next.ratio > current.ratio) {
        x = candidate;
        current = next;
      } else {
        step /= 2;
        if (step < eps * 1e-9) break;
      }
    }
    if (current.ratio > best) {
      best = current.ratio;
      argmax = x;
    }
  }
  return { eps, value: best, kind: 'lower bound', argmax };
}

/** Options of {@link repoAscentLowerBoundCurve}. */
export interface RepoAscentOptions {
  /** Step size of the unnormalised ascent. Default 1e-4 (the original's tiny/MNIST value). */
  stepSize?: number;
  /** Steps. Default 1000. */
  steps?: number;
  /** Output index ascended. Default 0 (the original always uses logit 0). */
  output?: number;
}

/**
 * The original's gradient lower bound (spec §5.3), for parity: one trajectory x_{k+1} = x_k + h·∇f_0(x_k) from x0,
 * then for each ε the largest ‖f(x0) − f(x_k)‖/‖x0 − x_k‖ over iterates with ‖x0 − x_k‖ ≤ ε (0 if none).
 */
export function repoAscentLowerBoundCurve(
  net: PreparedNetwork,
  x0: ArrayLike<number>,
  epsGrid: readonly number[],
  options: RepoAscentOptions = {},
): LowerBound[] {
  const h = options.stepSize ?? 1e-4;
  const steps = options.steps ?? 1000;
  const outSize = net.sizes[net.sizes.length - 1] as number;
  const output = options.output ?? 0;
  if (!Number.isInteger(output) || output < 0 || output >= outSize) {
    throw new LipschitzBoundsError('options.output', `is ${output}; allowed: 0..${outSize - 1}`);
  }
  const base = Float64Array.from(x0);
  const y0 = networkOutput(net, base);
  const unit = new Float64Array(outSize);
  unit[output] = 1;
  let x = base.slice();
  const trace: { e: number; lb: number; x: Float64Array }[] = [];
  for (let k = 0; k < steps; k++) {
    const acts = networkForward(net, x);
    const g = networkVectorJacobianProduct(net, acts, unit);
    x = x.map((v, i) => v + h * (g[i] as number));
    const e = distance(x, base);
    if (e > 0) trace.push({ e, lb: distance(networkOutput(net, x), y0) / e, x });
  }
  return epsGrid.map((eps) => {
    let best = 0;
    let argmax: Float64Array | null = null;
    for (const t of trace) {
      if (t.e <= eps && t.lb > best) {
        best = t.lb;
        argmax = t.x;
      }
    }
    return { eps, value: best, kind: 'lower bound' as const, argmax };
  });
}
