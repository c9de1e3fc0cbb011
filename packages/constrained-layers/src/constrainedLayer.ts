/**
 * What {@link ConstrainedDense} and {@link ConstrainedConv2d} share: the constraint pair, the measured
 * Lipschitz constant and (2,1) distance, and the projection report.
 */

/** How far a layer is from its constraints after `project()` (all float64, from the float32 weights). */
export interface ProjectionReport {
  /** Lipschitz constant after the projection (see the layer's `lip()` for the method). */
  lip: number;
  /** (2,1)-group-norm distance to the init after the projection. */
  dist: number;
  /** `max(0, lip − lipCond)`: by how much the Lipschitz constraint is still violated. */
  lipExcess: number;
  /** `max(0, dist − distCond)`: by how much the distance constraint is still violated. */
  distExcess: number;
}

/** Options of `project()`. */
export interface ProjectOptions {
  /**
   * `'dykstra'` (default, as the original): `nIter` Dykstra rounds over the layer's projections; the last
   * projection's constraint holds, the others may be slightly violated (reported in {@link ProjectionReport}).
   * `'feasible'` (**a deviation from the original**): after Dykstra, move the kernel back along the segment to its
   * init snapshot (which satisfies both constraints) by the smallest amount that makes both hold, found by
   * bisection with the exact Lipschitz constant; guarantees `lip ≤ lipCond` and `dist ≤ distCond` up to float32
   * rounding of the stored weights.
   */
  mode?: 'dykstra' | 'feasible';
}

/** A layer with a Lipschitz and a distance-to-init constraint (`Infinity` = none). */
export interface ConstrainedLayer {
  readonly lipCond: number;
  readonly distCond: number;
  /** Lipschitz constant (ℓ2) of the layer's linear part, float64. */
  lip(): number;
  /** (2,1)-group-norm distance of the kernel to its init snapshot (spec §1), float64. */
  dist(): number;
  /** Projects the kernel in place onto the constraint set and reports what is left. */
  project(nIter?: number, options?: ProjectOptions): ProjectionReport;
}

/**
 * Σ_g ‖(K − K⁰)_g‖₂ for a TF-layout kernel viewed as `[positions, inner, outer]` (row-major): one group per
 * (position, output unit), the ℓ2 norm over the `inner` axis. Dense `[in, out]`: positions = 1, so the groups are
 * the columns (the rows of the PyTorch weight). Conv `[kh, kw, Cin, Cout]`: positions = kh·kw, groups
 * (kernel position, output channel) with the norm over input channels (spec §1, §13).
 */
export function groupNormDistance(
  kernel: ArrayLike<number>,
  init: ArrayLike<number>,
  positions: number,
  inner: number,
  outer: number,
): number {
  let total = 0;
  for (let p = 0; p < positions; p++) {
    for (let o = 0; o < outer; o++) {
      let sq = 0;
      for (let i = 0; i < inner; i++) {
        const idx = (p * inner + i) * outer + o;
        const d = (kernel[idx] as number) - (init[idx] as number);
        sq += d * d;
      }
      total += Math.sqrt(sq);
    }
  }
  return total;
}

/**
 * The `'feasible'` repair of {@link ProjectOptions}: returns `K⁰ + t·(K − K⁰)` with the largest t ∈ [0, 1] such that
 * `dist ≤ distCond` (dist is linear in t) and `lipOf ≤ lipCond` (the Lipschitz constant is convex in t, so the
 * feasible t form an interval [0, t*]; 50 bisection steps). Assumes the init satisfies the Lipschitz constraint.
 */
export function pullTowardsInit(
  kernel: Float64Array,
  init: ArrayLike<number>,
  dist: number,
  lipCond: number,
  distCond: number,
  lipOf: (values: Float64Array) => number,
): Float64Array {
  // Rounded to float32, so that the check is on the values the layer will store.
  const at = (t: number): Float64Array =>
    kernel.map((k, i) => Math.fround((init[i] as number) + t * (k - (init[i] as number))));
  let hi = dist > distCond ? distCond / dist : 1;
  if (lipOf(at(hi)) <= lipCond) return at(hi);
  let lo = 0;
  for (let it = 0; it < 50; it++) {
    const mid = (lo + hi) / 2;
    if (lipOf(at(mid)) <= lipCond) lo = mid;
    else hi = mid;
  }
  return at(lo);
}

/** The report of a projection result. */
export function projectionReport(lip: number, dist: number, lipCond: number, distCond: number): ProjectionReport {
  return { lip, dist, lipExcess: Math.max(0, lip - lipCond), distExcess: Math.max(0, dist - distCond) };
}
