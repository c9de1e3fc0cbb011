/**
 * Certified adversarial radius (spec §6, Avant & Morgansen 2023, Prop 6): with δ the gap between the two largest
 * logits at x0, no x with ‖x − x0‖₂ ≤ ε changes the class when ε·L(x0, ε) < δ/√2. The local radius is the largest
 * such ε (found by bracketing and bisection; ε·L(x0, ε) is non-decreasing in ε); the global radius is δ/(√2·G).
 *
 * Differences from the original: the global radius uses Prop 6's δ/(√2·G) (the original codes (δ + √2)/G,
 * pitfall 7); the bracket is found by growing/shrinking from the global radius instead of a fixed power-of-ten grid,
 * and bisection runs to a relative tolerance. Only `certified` mode certifies anything; other modes are estimates.
 */
import { LipschitzBoundsError } from './lipschitzBoundsError.js';
import { type LocalBoundOptions, localLipschitzBound } from './localLipschitzBound.js';
import { networkForward } from './networkForward.js';
import type { PreparedNetwork } from './preparedNetwork.js';

/** The two largest logits' gap δ = y[1st] − y[2nd] (0 for a single output). */
export function logitGap(y: ArrayLike<number>): number {
  let first = Number.NEGATIVE_INFINITY;
  let second = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < y.length; i++) {
    const v = y[i] as number;
    if (v > first) {
      second = first;
      first = v;
    } else if (v > second) {
      second = v;
    }
  }
  return Number.isFinite(second) ? first - second : 0;
}

/** δ/(√2·G): every ε below it is certified by a global Lipschitz upper bound G (Prop 6). */
export function globalCertifiedRadius(gap: number, globalBound: number): number {
  if (!(globalBound > 0)) throw new LipschitzBoundsError('globalBound', `is ${globalBound}; allowed: > 0`);
  return gap / (Math.SQRT2 * globalBound);
}

/** Options of {@link certifiedRadius}. */
export interface CertifiedRadiusOptions extends Omit<LocalBoundOptions, 'activations'> {
  /** Bisection stops when (hi − lo) ≤ tolerance·lo. Default 1e-3. */
  relativeTolerance?: number;
  /** Starting ε for the bracket search. Default 1e-3. */
  initialEps?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Result of {@link certifiedRadius}. */
export interface CertifiedRadius {
  /** Largest ε found with ε·L(x0, ε) < δ/√2 (0 if none down to 1e-12·initialEps). */
  radius: number;
  /** Smallest ε found that failed the test (the bisection's upper end). */
  failedAt: number;
  gap: number;
  /** `certified lower bound` (on the minimal adversarial ℓ2 perturbation) only in `certified` mode. */
  kind: 'certified lower bound' | 'estimate';
  evaluations: number;
}

/** Local certified radius (see the file comment). */
export function certifiedRadius(
  net: PreparedNetwork,
  x0: ArrayLike<number>,
  options: CertifiedRadiusOptions = {},
): CertifiedRadius {
  const acts = networkForward(net, x0);
  const gap = logitGap(acts.values[acts.values.length - 1] as Float64Array);
  const mode = options.mode ?? 'certified';
  const tol = options.relativeTolerance ?? 1e-3;
  const threshold = gap / Math.SQRT2;
  let evaluations = 0;
  const ok = (eps: number) => {
    evaluations++;
    options.onProgress?.(evaluations, evaluations + 1);
    return eps * localLipschitzBound(net, x0, eps, { ...options, mode, activations: acts }).value < threshold;
  };
  const kind = mode === 'certified' ? 'certified lower bound' : 'estimate';
  if (gap === 0) return { radius: 0, failedAt: 0, gap, kind, evaluations };
  let eps = options.initialEps ?? 1e-3;
  let lo = 0;
  let hi = Number.POSITIVE_INFINITY;
  if (ok(eps)) {
    lo = eps;
    for (let k = 0; k < 60 && hi === Number.POSITIVE_INFINITY; k++) {
      eps *= 4;
      if (ok(eps)) lo = eps;
      else hi = eps;
    }
  } else {
    hi = eps;
    for (let k = 0; k < 40 && lo === 0; k++) {
      eps /= 4;
      if (ok(eps)) lo = eps;
      else hi = eps;
    }
  }
  if (lo === 0 || hi === Number.POSITIVE_INFINITY) return { radius: lo, failedAt: hi, gap, kind, evaluations };
  while (hi - lo > tol * lo) {
    const mid = (lo + hi) / 2;
    if (ok(mid)) lo = mid;
    else hi = mid;
  }
  return { radius: lo, failedAt: hi, gap, kind, evaluations };
}
