import {
  type ConvKernel,
  type DenseMatrix,
  NumericCoreError,
  singularValues,
  spectralNormExactCircular,
} from '@lipkit/lipschitz-bounds';
import { groupNormDistance, projectGroupNormBall } from './groupNormBallProjection.js';
import { cropKernel, embedKernel, maskKernelSupport } from './kernelSupportMask.js';
import { assertProjectionLimit, type ProjectionMode } from './projectionLimits.js';
import { projectDenseSpectralBall, projectSpectralBall } from './spectralBallProjection.js';

/** A projection onto a closed convex set, on flat float64 vectors (returns a new array). */
export type VectorProjection = (x: Float64Array) => Float64Array;

/**
 * Dykstra's alternating projection (Boyle & Dykstra 1986) onto the intersection of convex sets, exactly as the
 * excess-capacity code runs it (spec §4.4): increments p_i start at 0 on every call; each round does, for each i,
 * y = x_{i−1} + p_i, x_i = P_i(y), p_i = y − x_i; returns x_{m−1}. One round is the plain sequence P_{m−1}∘…∘P_0.
 * Converges to the projection onto the intersection as rounds → ∞; after finitely many only the last set's
 * constraint is guaranteed.
 *
 * @throws NumericCoreError for no projections or a non-positive/non-integer round count.
 */
export function dykstraProjection(
  x: Float64Array,
  projections: readonly VectorProjection[],
  rounds: number,
): Float64Array {
  if (projections.length === 0) throw new NumericCoreError('projections', 'is empty', 'at least one projection');
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new NumericCoreError('rounds', `got ${rounds}`, 'a positive integer');
  const increments = projections.map(() => new Float64Array(x.length));
  let current: Float64Array = Float64Array.from(x);
  for (let round = 0; round < rounds; round++) {
    projections.forEach((project, i) => {
      const p = increments[i]!;
      const y = new Float64Array(x.length);
      for (let k = 0; k < y.length; k++) y[k] = current[k]! + p[k]!;
      current = project(y);
      for (let k = 0; k < y.length; k++) p[k] = y[k]! - current[k]!;
    });
  }
  return current;
}

/** How far a projected weight is from its constraints (all float64). */
export interface ConstraintReport {
  /** Exact σ_max after the projection (conv: stride-1 circular conv on the grid, an upper bound for strided layers). */
  readonly lip: number;
  /** (2,1)-group-norm distance to the init after the projection. */
  readonly dist: number;
  /** max(0, lip − lipCond): the Lipschitz violation left (0 when the constraint holds). */
  readonly lipExcess: number;
  /** max(0, dist − distCond). */
  readonly distExcess: number;
}

/** Options of {@link projectConvKernelConstraints} and {@link projectDenseConstraints}. */
export interface ConstraintProjectionOptions {
  /** Spectral-norm limit (default ∞ = none). */
  lipCond?: number;
  /** (2,1)-distance radius around the init (default ∞ = none). */
  distCond?: number;
  /** Dykstra rounds (default 1, the training default `--n_proj 1`; the original's final clean-up uses 15). */
  rounds?: number;
  /** How each projection moves a violating point (default `orthogonal`). */
  mode?: ProjectionMode;
  /**
   * `dykstra` (default, as the original): the result of the Dykstra rounds; only the last projection's constraint is
   * guaranteed (conv: the support mask, so σ may stay above lipCond; dense: the SVD clip, so dist may exceed).
   * `feasible` (**a deviation from the original**): afterwards, if dist > distCond, project exactly onto the distance
   * ball (it keeps the support), then if σ > lipCond move towards the init along the segment K0 + t(K − K0) with
   * t = (lipCond − σ0)/(σ − σ0): σ is convex along the segment, so σ ≤ (1−t)σ0 + tσ = lipCond, and the distance
   * only shrinks. Both constraints then hold whenever the init satisfies the Lipschitz one (σ0 ≤ lipCond, which
   * the layers' init rescale ensures); otherwise the report shows what is left.
   */
  guarantee?: 'dykstra' | 'feasible';
  /**
   * Compute the {@link ConstraintReport} (default true). It costs one exact spectral norm of the result (for a conv,
   * about as much as the spectral-ball projection itself); callers that measure σ themselves can skip it.
   */
  report?: boolean;
}

interface ConstraintProblem {
  sigma(x: Float64Array): number;
  distance(x: Float64Array): number;
  projectDistance(x: Float64Array): Float64Array;
}

function makeReport(problem: ConstraintProblem, x: Float64Array, lipCond: number, distCond: number): ConstraintReport {
  const lip = problem.sigma(x);
  const dist = problem.distance(x);
  return { lip, dist, lipExcess: Math.max(0, lip - lipCond), distExcess: Math.max(0, dist - distCond) };
}

/** The `feasible` clean-up of {@link ConstraintProjectionOptions.guarantee}. */
function enforceFeasibility(
  problem: ConstraintProblem,
  x: Float64Array,
  init: Float64Array,
  lipCond: number,
  distCond: number,
): Float64Array {
  let result = problem.distance(x) > distCond ? problem.projectDistance(x) : x;
  if (lipCond === Number.POSITIVE_INFINITY) return result;
  const sigma = problem.sigma(result);
  if (sigma <= lipCond) return result;
  const sigmaInit = problem.sigma(init);
  if (sigmaInit >= lipCond) return result; // no feasible anchor on the segment; the report shows the excess.
  // A hair inside so that rounding in the final σ cannot land above lipCond.
  const t = ((lipCond - sigmaInit) / (sigma - sigmaInit)) * (1 - 1e-12);
  result = result.map((value, i) => init[i]! + t * (value - init[i]!));
  return result;
}

function limitsOf(options: ConstraintProjectionOptions): [number, number, number] {
  const lipCond = options.lipCond ?? Number.POSITIVE_INFINITY;
  const distCond = options.distCond ?? Number.POSITIVE_INFINITY;
  assertProjectionLimit('lipCond', lipCond);
  assertProjectionLimit('distCond', distCond);
  const rounds = options.rounds ?? 1;
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new NumericCoreError('rounds', `got ${rounds}`, 'a positive integer');
  const guarantee = options.guarantee ?? 'dykstra';
  if (guarantee !== 'dykstra' && guarantee !== 'feasible') {
    throw new NumericCoreError('guarantee', `got ${String(guarantee)}`, "'dykstra' or 'feasible'");
  }
  return [lipCond, distCond, rounds];
}

/**
 * Projects a conv kernel [Cout, Cin, kh, kw] (PyTorch layout) onto {σ ≤ lipCond} ∩ {dist to init ≤ distCond} as the
 * excess-capacity `ConstrainedConv2d.project()` (spec §4.4, §6.2): Dykstra rounds over
 * [{@link projectGroupNormBall}, {@link projectSpectralBall}, {@link maskKernelSupport}] on the kernel embedded in
 * the layer's H×W input grid, then the top-left kh×kw block. σ is the exact stride-1 circular norm on that grid.
 * Returns the kernel and a {@link ConstraintReport}: with the default `guarantee: 'dykstra'` σ can stay above
 * lipCond (measured: one round on a 3→8 3×3 kernel with lipCond 0.8 leaves σ ≈ 1.08); `feasible` removes it.
 *
 * @param init the init snapshot K0, same shape (the distance centre).
 * @param grid the layer's input [H, W].
 */
export function projectConvKernelConstraints(
  kernel: ConvKernel,
  init: ConvKernel,
  grid: readonly [number, number],
  options: ConstraintProjectionOptions = {},
): { kernel: ConvKernel; report?: ConstraintReport } {
  const [lipCond, distCond, rounds] = limitsOf(options);
  if (init.shape.some((d, i) => d !== kernel.shape[i])) {
    throw new NumericCoreError(
      'init',
      `has shape [${init.shape.join(', ')}]`,
      `the kernel's [${kernel.shape.join(', ')}]`,
    );
  }
  const mode = options.mode ?? 'orthogonal';
  const [cout, cin, kh, kw] = kernel.shape;
  const [height, width] = grid;
  const planeShape = [cout, cin, height, width] as const;
  const initPlane = embedKernel(init, grid).data;
  const asPlane = (data: Float64Array): ConvKernel => ({ shape: planeShape, data });
  const projections: VectorProjection[] = [
    (x) => projectGroupNormBall(x, initPlane, planeShape, distCond, { mode }),
    (x) => projectSpectralBall(asPlane(x), lipCond, { grid, mode }).data,
    (x) => maskKernelSupport(asPlane(x), kh, kw).data,
  ];
  const problem: ConstraintProblem = {
    sigma: (x) => spectralNormExactCircular(cropKernel(asPlane(x), kh, kw), height, width).value,
    distance: (x) => groupNormDistance(x, initPlane, planeShape),
    projectDistance: (x) => projectGroupNormBall(x, initPlane, planeShape, distCond),
  };
  let result = dykstraProjection(embedKernel(kernel, grid).data, projections, rounds);
  if (options.guarantee === 'feasible') result = enforceFeasibility(problem, result, initPlane, lipCond, distCond);
  const projected = cropKernel(asPlane(result), kh, kw);
  if (options.report === false) return { kernel: projected };
  return { kernel: projected, report: makeReport(problem, result, lipCond, distCond) };
}

/**
 * Projects a dense weight [out, in] onto {σ_max ≤ lipCond} ∩ {Σ_rows ‖A − A0‖₂ ≤ distCond} as the excess-capacity
 * `ConstrainedLinear.project()` (spec §4.4): Dykstra rounds over [{@link projectGroupNormBall},
 * {@link projectDenseSpectralBall}]; the SVD clip is last, so σ ≤ lipCond holds and dist may exceed distCond
 * (reported) unless `guarantee: 'feasible'`.
 */
export function projectDenseConstraints(
  matrix: DenseMatrix,
  init: DenseMatrix,
  options: ConstraintProjectionOptions = {},
): { matrix: DenseMatrix; report?: ConstraintReport } {
  const [lipCond, distCond, rounds] = limitsOf(options);
  if (init.rows !== matrix.rows || init.cols !== matrix.cols) {
    throw new NumericCoreError('init', `is ${init.rows}×${init.cols}`, `the matrix's ${matrix.rows}×${matrix.cols}`);
  }
  const mode = options.mode ?? 'orthogonal';
  const shape = [matrix.rows, matrix.cols] as const;
  const asMatrix = (data: Float64Array): DenseMatrix => ({ rows: matrix.rows, cols: matrix.cols, data });
  const projections: VectorProjection[] = [
    (x) => projectGroupNormBall(x, init.data, shape, distCond, { mode }),
    (x) => projectDenseSpectralBall(asMatrix(x), lipCond, { mode }).data,
  ];
  const problem: ConstraintProblem = {
    sigma: (x) => singularValues(asMatrix(x))[0]!,
    distance: (x) => groupNormDistance(x, init.data, shape),
    projectDistance: (x) => projectGroupNormBall(x, init.data, shape, distCond),
  };
  let result = dykstraProjection(matrix.data, projections, rounds);
  if (options.guarantee === 'feasible') result = enforceFeasibility(problem, result, init.data, lipCond, distCond);
  if (options.report === false) return { matrix: asMatrix(result) };
  return { matrix: asMatrix(result), report: makeReport(problem, result, lipCond, distCond) };
}
