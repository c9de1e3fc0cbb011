/**
 * What {@link ConstrainedDense} and {@link ConstrainedConv2d} share: the constraint pair, the measured Lipschitz
 * constant and (2,1) distance, and `project()`.
 */
import { ConstrainedLayersError } from './constrainedLayersError.js';
import type { ConstraintReport } from './dykstraProjection.js';
import type { ProjectionMode } from './projectionLimits.js';

/**
 * How far a layer is from its constraints after `project()`, measured on the stored float32 weights in float64:
 * `lip` is the layer's `lip()` (exact), `dist` its `dist()`, and the excesses `max(0, lip − lipCond)`,
 * `max(0, dist − distCond)`.
 */
export type ProjectionReport = ConstraintReport;

/** Options of a layer's `project()`. */
export interface ProjectOptions {
  /**
   * `'dykstra'` (default, as the original): `nIter` Dykstra rounds over the layer's projections; the last
   * projection's constraint holds, the other may stay violated (reported). `'feasible'` (**a deviation from the
   * original**): afterwards both are enforced (rescale to the spectral limit, then shrink towards the init onto the
   * distance limit), so both hold.
   */
  guarantee?: 'dykstra' | 'feasible';
}

/**
 * Relative safety margin (2^-20 ≈ 1e-6) by which the init rescale and {@link enforceBothConstraints} aim below a
 * limit, so that storing the weights in float32 (relative rounding ≈ 6e-8) cannot push them above it.
 */
export const FLOAT32_SAFETY = 1 - 2 ** -20;

/**
 * The `'feasible'` repair of a Dykstra result K (any layout, float64), given the init snapshot K⁰ with
 * σ(K⁰) ≤ lipCond: (1) the exact-norm rescale `K' = K·min(1, lipCond/σ(K))`; (2) if `dist(K') > distCond`, move
 * towards the init, `K'' = K⁰ + t(K' − K⁰)` with `t = distCond/dist(K')`. Then `dist(K'') = t·dist(K') ≤ distCond`
 * and, σ being convex, `σ(K'') ≤ (1 − t)σ(K⁰) + t·σ(K') ≤ lipCond`: both constraints hold (up to the
 * {@link FLOAT32_SAFETY} margin). Unlike moving towards the init until σ ≤ lipCond (which, with the init on the
 * Lipschitz boundary after the init rescale, resets the kernel almost to K⁰), the rescale keeps the kernel's
 * direction.
 */
export function enforceBothConstraints(
  kernel: Float64Array,
  init: Float64Array,
  lipCond: number,
  distCond: number,
  sigmaOf: (values: Float64Array) => number,
  distOf: (values: Float64Array) => number,
): Float64Array {
  const sigma = sigmaOf(kernel);
  const target = lipCond * FLOAT32_SAFETY;
  const rescaled = sigma > target ? kernel.map((v) => (v * target) / sigma) : kernel;
  const dist = distOf(rescaled);
  const radius = distCond * FLOAT32_SAFETY;
  if (!(dist > radius)) return rescaled;
  const t = radius / dist;
  return rescaled.map((v, i) => (init[i] as number) + t * (v - (init[i] as number)));
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

/** The report of the stored weights' `lip` and `dist` against the limits. */
export function projectionReport(lip: number, dist: number, lipCond: number, distCond: number): ProjectionReport {
  return { lip, dist, lipExcess: Math.max(0, lip - lipCond), distExcess: Math.max(0, dist - distCond) };
}

/** Validates a layer's `projMode` option (default `'orthogonal'`). */
export function checkProjMode(value: string | undefined): ProjectionMode {
  const mode = value ?? 'orthogonal';
  if (mode !== 'orthogonal' && mode !== 'radial') {
    throw new ConstrainedLayersError('projMode', `got '${mode}'`, "'orthogonal' or 'radial'");
  }
  return mode;
}
