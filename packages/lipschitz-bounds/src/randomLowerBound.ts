/**
 * Random-sampling lower bound on the local Lipschitz constant L(x0, ε) (spec §5.1–5.2): the largest ratio
 * ‖f(x) − f(x0)‖₂ / ‖x − x0‖₂ over points drawn uniformly in the closed ε-ball. Every ratio is a valid lower bound.
 *
 * Differences from the original: float64 throughout (the original's float32 ratios exceeded the upper bound through
 * cancellation, pitfall 2), seeded, and samples with ‖Δ‖ = 0 are skipped instead of mapped to −∞.
 */
import { LipschitzBoundsError } from './lipschitzBoundsError.js';
import { networkOutput } from './networkForward.js';
import type { PreparedNetwork } from './preparedNetwork.js';
import { createSeededRandom, type SeededRandom } from './seededRandom.js';

/** A lower bound on L(x0, ε) with the point that attains it. */
export interface LowerBound {
  eps: number;
  value: number;
  kind: 'lower bound';
  /** The point x of the ball with the largest ratio (null when no ratio was evaluated). */
  argmax: Float64Array | null;
}

/** Options of {@link randomLowerBound}. */
export interface RandomLowerBoundOptions {
  /** Number of samples. Default 10 000 (the original's scripts use 10⁵). */
  samples?: number;
  /** Seed. Default 0. */
  seed?: number;
  /** Called with (done, total) every 100 samples. */
  onProgress?: (done: number, total: number) => void;
}

/** A point drawn uniformly in the ball of radius `eps` around the origin of R^n: u^(1/n)·eps·g/‖g‖. */
export function sampleBall(rng: SeededRandom, n: number, eps: number): Float64Array {
  const g = new Float64Array(n);
  let norm = 0;
  while (norm === 0) {
    norm = 0;
    for (let i = 0; i < n; i++) {
      g[i] = rng.normal();
      norm += (g[i] as number) ** 2;
    }
  }
  const scale = (eps * rng.uniform() ** (1 / n)) / Math.sqrt(norm);
  for (let i = 0; i < n; i++) g[i] = (g[i] as number) * scale;
  return g;
}

/** ‖v‖₂ (a loop: no argument-count limit, unlike Math.hypot(...v)). */
export function euclideanNorm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] as number) ** 2;
  return Math.sqrt(s);
}

/** ‖a − b‖₂. */
export function distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += ((a[i] as number) - (b[i] as number)) ** 2;
  return Math.sqrt(s);
}

/**
 * Random-sampling lower bound (see the file comment).
 * @throws LipschitzBoundsError (argument `eps`) for a non-positive or non-finite ε
 */
export function randomLowerBound(
  net: PreparedNetwork,
  x0: ArrayLike<number>,
  eps: number,
  options: RandomLowerBoundOptions = {},
): LowerBound {
  if (!Number.isFinite(eps) || eps <= 0)
    throw new LipschitzBoundsError('eps', `is ${eps}; allowed: a finite number > 0`);
  const samples = options.samples ?? 10_000;
  const rng = createSeededRandom(options.seed ?? 0);
  const y0 = networkOutput(net, x0);
  const n = x0.length;
  let best = 0;
  let argmax: Float64Array | null = null;
  for (let s = 0; s < samples; s++) {
    const delta = sampleBall(rng, n, eps);
    const x = Float64Array.from(x0, (v, i) => v + (delta[i] as number));
    const dx = distance(x, x0);
    if (dx === 0) continue;
    const ratio = distance(networkOutput(net, x), y0) / dx;
    if (ratio > best || argmax === null) {
      best = Math.max(best, ratio);
      argmax = x;
    }
    if (options.onProgress && (s + 1) % 100 === 0) options.onProgress(s + 1, samples);
  }
  return { eps, value: best, kind: 'lower bound', argmax };
}
