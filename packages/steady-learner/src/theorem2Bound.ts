/**
 * The Theorem-2 bound of Loukas, Poiitis & Jegelka (2021) for an activation region without training points
 * (spec §5, the original's `optimal_x_for_basis_pursuit`): express the region's pattern vector κ as a combination of
 * training-region patterns and charge each by its Lipschitz constant,
 *
 *   opt(κ) = min Σ_i λ_i |α_i|   subject to   S_T α = κ   (α free),
 *
 * solved in float64 by `@lipkit/lipschitz-bounds`' two-phase simplex as the LP min λᵀ(α⁺ + α⁻) s.t.
 * S_T(α⁺ − α⁻) = κ, α± ≥ 0 (equivalent to the original's (α, t) form). An infeasible κ (not in the span) gives
 * `Infinity` explicitly (the original's handling depends on the SciPy version, spec §10.14).
 */
import { solveLinearProgram } from '@lipkit/lipschitz-bounds';
import { SteadyLearnerError } from './steadyLearnerError.js';

/** Result of {@link theorem2Bound}. */
export interface Theorem2Bound {
  /** The optimum Σ λ_i |α_i| (an upper bound on the region's Lipschitz constant per Theorem 2), or `Infinity`. */
  bound: number;
  /** An optimal α (length n), empty when infeasible. */
  alpha: Float64Array;
  /** k = the number of training regions combined (|α_i| > 1e−9); 0 when infeasible. */
  combined: number;
  status: 'optimal' | 'infeasible';
}

/**
 * Solves the Theorem-2 LP for one target pattern.
 * @param trainingPatterns n distinct training-region patterns (each of length m, entries 0/1): the columns of S_T
 * @param trainingLipschitz λ_T, n non-negative values
 * @param target κ of the region (length m)
 */
export function theorem2Bound(
  trainingPatterns: readonly ArrayLike<number>[],
  trainingLipschitz: ArrayLike<number>,
  target: ArrayLike<number>,
): Theorem2Bound {
  const n = trainingPatterns.length;
  const m = target.length;
  if (n === 0) throw new SteadyLearnerError('trainingPatterns', 'need at least one training pattern');
  if (trainingLipschitz.length !== n) {
    throw new SteadyLearnerError('trainingLipschitz', `length ${trainingLipschitz.length}; allowed: ${n}`);
  }
  for (const [i, p] of trainingPatterns.entries()) {
    if (p.length !== m) throw new SteadyLearnerError(`trainingPatterns[${i}]`, `length ${p.length}; allowed: ${m}`);
  }
  // Keep only distinct, non-trivial rows of [S_T | κ]: rows that are zero on both sides hold for every α, and
  // duplicated rows (common: κ = s2 ⊗ s1 repeats s1 for every active s2 unit) only add degeneracy.
  const seen = new Set<string>();
  const aEq: Float64Array[] = [];
  const bEq: number[] = [];
  for (let r = 0; r < m; r++) {
    const row = new Float64Array(2 * n);
    let key = `${target[r]}:`;
    let nonzero = (target[r] as number) !== 0;
    for (let i = 0; i < n; i++) {
      const v = (trainingPatterns[i] as ArrayLike<number>)[r] as number;
      row[i] = v;
      row[n + i] = -v;
      key += v ? '1' : '0';
      if (v !== 0) nonzero = true;
    }
    if (!nonzero || seen.has(key)) continue;
    seen.add(key);
    aEq.push(row);
    bEq.push(target[r] as number);
  }
  const c = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const l = trainingLipschitz[i] as number;
    if (!(l >= 0) || !Number.isFinite(l)) {
      throw new SteadyLearnerError('trainingLipschitz', `entry ${i} is ${l}; allowed: finite numbers >= 0`);
    }
    c[i] = l;
    c[n + i] = l;
  }
  if (aEq.length === 0) return { bound: 0, alpha: new Float64Array(n), combined: 0, status: 'optimal' };
  const res = solveLinearProgram({ c, aEq, bEq });
  if (res.status !== 'optimal') {
    // 'unbounded' cannot occur (c ≥ 0 and α± ≥ 0); treat anything but optimal as no valid combination.
    return { bound: Number.POSITIVE_INFINITY, alpha: new Float64Array(0), combined: 0, status: 'infeasible' };
  }
  const alpha = new Float64Array(n);
  let combined = 0;
  for (let i = 0; i < n; i++) {
    alpha[i] = (res.x[i] as number) - (res.x[n + i] as number);
    if (Math.abs(alpha[i] as number) > 1e-9) combined++;
  }
  return { bound: res.objective, alpha, combined, status: 'optimal' };
}
