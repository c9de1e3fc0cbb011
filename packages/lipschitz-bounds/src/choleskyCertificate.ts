/**
 * Rigorous upper bounds on λ_max of a symmetric positive semi-definite matrix G: μ ≥ λ_max(G) exactly when μI − G is
 * positive semi-definite, which a successful Cholesky factorisation of μI − G proves. Starting from an estimate
 * from below (power iteration), μ is raised until the factorisation succeeds.
 */

/** True when the symmetric n×n matrix `m` (row-major, overwritten) is positive definite by Cholesky. */
function choleskySucceeds(m: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    let d = m[rowJ + j] as number;
    for (let k = 0; k < j; k++) d -= (m[rowJ + k] as number) ** 2;
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    m[rowJ + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      let s = m[rowI + j] as number;
      for (let k = 0; k < j; k++) s -= (m[rowI + k] as number) * (m[rowJ + k] as number);
      m[rowI + j] = s / ljj;
    }
  }
  return true;
}

/**
 * A rigorous upper bound on λ_max(G) for a symmetric PSD `n × n` matrix (row-major, only read).
 * Tries μ = estimate·(1 + δ) for δ = 1e-9, 1e-7, … until μI − G passes Cholesky, then adds a float64 rounding
 * allowance for the factorisation and for the computation of G itself: `(n + 2)·n·u·(μ + frobeniusSquaredOfFactor)`
 * with u = 2⁻⁵³ (Higham, *Accuracy and Stability*, Thm 10.5 and §3.5; `frobeniusSquaredOfFactor` = ‖M‖_F² when
 * G = MᵀM).
 * @param estimate a value near λ_max(G), ideally from below (e.g. power iteration)
 */
export function certifiedLargestEigenvalue(
  gram: Float64Array,
  n: number,
  estimate: number,
  frobeniusSquaredOfFactor: number,
): number {
  const scale = Math.max(estimate, frobeniusSquaredOfFactor * 1e-300, Number.MIN_VALUE);
  const work = new Float64Array(n * n);
  for (let delta = 1e-9; ; delta *= 100) {
    const mu = scale * (1 + delta);
    for (let i = 0; i < n * n; i++) work[i] = -(gram[i] as number);
    for (let i = 0; i < n; i++) work[i * n + i] = (work[i * n + i] as number) + mu;
    if (choleskySucceeds(work, n)) {
      return mu + (n + 2) * n * 2 ** -53 * (mu + frobeniusSquaredOfFactor);
    }
    if (mu > frobeniusSquaredOfFactor * 2 && mu > 0) return frobeniusSquaredOfFactor; // trace bound always holds
  }
}
