/**
 * Largest eigenvalue of a symmetric positive semi-definite operator by the Lanczos method with full
 * re-orthogonalisation (Golub & Van Loan, *Matrix Computations*, 4th ed., §10.1): converges in far fewer products
 * than power iteration when the top eigenvalues are close. The Ritz value is ≤ λ_max, so this is an estimate from
 * below, never an upper bound.
 */

/** Largest eigenvalue of the symmetric tridiagonal matrix (diagonal `alpha`, off-diagonal `beta`), by bisection on
 * Sturm sequence counts (Golub & Van Loan §8.4.1), to full float64 precision. */
function largestTridiagonalEigenvalue(alpha: number[], beta: number[]): number {
  const k = alpha.length;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < k; i++) {
    const radius = Math.abs(beta[i - 1] ?? 0) + Math.abs(beta[i] ?? 0);
    lo = Math.min(lo, (alpha[i] as number) - radius);
    hi = Math.max(hi, (alpha[i] as number) + radius);
  }
  // countBelow(x) = number of eigenvalues < x.
  const countBelow = (x: number) => {
    let count = 0;
    let d = 1;
    for (let i = 0; i < k; i++) {
      const b = i > 0 ? (beta[i - 1] as number) : 0;
      d = (alpha[i] as number) - x - (i > 0 ? (b * b) / d : 0);
      if (d === 0) d = -Number.EPSILON * (Math.abs(x) + 1);
      if (d < 0) count++;
    }
    return count;
  };
  for (let it = 0; it < 200 && hi - lo > Number.EPSILON * Math.max(Math.abs(lo), Math.abs(hi)); it++) {
    const mid = (lo + hi) / 2;
    if (mid === lo || mid === hi) break;
    if (countBelow(mid) < k) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Options of {@link lanczosLargestEigenvalue}. */
export interface LanczosOptions {
  /** Stop when the Ritz value changes by less than this (relative). Default 1e-10. */
  tolerance?: number;
  /** Largest Krylov dimension. Default 80. */
  maxSteps?: number;
}

/**
 * λ_max of the symmetric PSD operator `apply` on R^n (restricted to the span of `start`'s support), from the
 * start vector `start` (not modified).
 */
export function lanczosLargestEigenvalue(
  apply: (v: Float64Array) => Float64Array,
  start: Float64Array,
  options: LanczosOptions = {},
): number {
  const tolerance = options.tolerance ?? 1e-10;
  const maxSteps = Math.min(options.maxSteps ?? 80, start.length);
  const basis: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  let norm = 0;
  for (let i = 0; i < start.length; i++) norm += (start[i] as number) ** 2;
  norm = Math.sqrt(norm);
  if (norm === 0) return 0;
  let q = start.map((v) => v / norm);
  let theta = 0;
  for (let j = 0; j < maxSteps; j++) {
    basis.push(q);
    const w = apply(q);
    let a = 0;
    for (let i = 0; i < w.length; i++) a += (w[i] as number) * (q[i] as number);
    alpha.push(a);
    // Full re-orthogonalisation, two passes (Parlett's "twice is enough"): with one pass, the rounding residue left
    // when the Krylov space becomes invariant (low-rank R A D) is not orthogonal to the basis and produces Ritz
    // values above λ_max.
    for (let pass = 0; pass < 2; pass++) {
      for (const b of basis) {
        let dot = 0;
        for (let i = 0; i < w.length; i++) dot += (w[i] as number) * (b[i] as number);
        for (let i = 0; i < w.length; i++) w[i] = (w[i] as number) - dot * (b[i] as number);
      }
    }
    const next = largestTridiagonalEigenvalue(alpha, beta);
    const done = j > 0 && Math.abs(next - theta) <= tolerance * Math.abs(next);
    theta = next;
    norm = 0;
    for (let i = 0; i < w.length; i++) norm += (w[i] as number) ** 2;
    norm = Math.sqrt(norm);
    // Breakdown: the Krylov space is invariant (to rounding), θ is exact.
    if (done || norm <= 1e-10 * Math.max(Math.abs(theta), 1e-300)) break;
    beta.push(norm);
    q = w.map((v) => v / norm);
  }
  return theta;
}
