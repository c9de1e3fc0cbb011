import { type Conv2dGeometry, type ConvKernel, conv2dLinearOperator, type LinearOperator } from './conv2dOperator.js';
import { assertLength, NumericCoreError } from './numericCoreError.js';
import { createSeededRandom } from './seededRandom.js';

/** Options of {@link powerIterationSpectralNorm}. */
export interface PowerIterationOptions {
  /**
   * Unit-norm-free start vector in the operator's input space (e.g. `rightVector` of a previous call: a warm
   * start). Default: a seeded Gaussian vector.
   */
  start?: Float64Array;
  /** Iterations; default 5 with a `start` (warm) and 100 without (cold), as the excess-capacity layers (spec §3.2). */
  iterations?: number;
  /** Stop early when the relative change of the estimate is below this (default 0: run all iterations). */
  tolerance?: number;
  /** Seed of the random start (default 0). */
  seed?: number;
}

/** Result of {@link powerIterationSpectralNorm}. */
export interface PowerIterationResult {
  /** ‖A v‖ for the final unit vector v: never above σ_max (up to rounding), usually a hair below. */
  readonly value: number;
  /** An estimate (from below), not a bound: label it so wherever it is reported. */
  readonly kind: 'estimate';
  /** Final unit input-space vector v (pass it back as `start` to warm-start). */
  readonly rightVector: Float64Array;
  /** Final unit output-space vector u = A v/‖A v‖. */
  readonly leftVector: Float64Array;
  readonly iterations: number;
}

function normalise(x: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i]! * x[i]!;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < x.length; i++) x[i]! /= norm;
  return norm;
}

/**
 * Power iteration for σ_max(A) on a matrix-free operator with its exact adjoint (Golub & Van Loan §8.2):
 * v ← Aᵀ(A v)/‖·‖ repeated; the estimate is ‖A v‖ for the last unit v. Runs on the true operator — for a conv the
 * strided, padded operator itself, with the exact transposed conv — unlike the original excess-capacity code, which
 * iterates a stride-1 proxy on the output grid with a flipped-kernel "transpose" that is not the adjoint for even
 * kernels (spec §2.3, pitfall 4).
 *
 * @throws NumericCoreError for a start vector of the wrong length or all zeros, or a bad iteration count.
 */
export function powerIterationSpectralNorm(
  operator: LinearOperator,
  options: PowerIterationOptions = {},
): PowerIterationResult {
  const iterations = options.iterations ?? (options.start === undefined ? 100 : 5);
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new NumericCoreError('iterations', `got ${iterations}`, 'a positive integer');
  }
  const tolerance = options.tolerance ?? 0;
  if (!(tolerance >= 0)) throw new NumericCoreError('tolerance', `got ${tolerance}`, 'a number ≥ 0');
  let v: Float64Array;
  if (options.start !== undefined) {
    assertLength('start', options.start, operator.inputSize);
    v = Float64Array.from(options.start);
  } else {
    const random = createSeededRandom(options.seed ?? 0);
    v = Float64Array.from({ length: operator.inputSize }, () => random.normal());
  }
  if (!(normalise(v) > 0)) throw new NumericCoreError('start', 'is zero or not finite', 'a non-zero finite vector');
  let u = operator.apply(v);
  let estimate = normalise(u);
  let done = 0;
  for (let k = 0; k < iterations; k++) {
    done++;
    const next = operator.applyAdjoint(u);
    if (normalise(next) === 0) break; // A v = 0 after a step: A is zero on the Krylov space, σ estimate 0.
    v = next;
    u = operator.apply(v);
    const previous = estimate;
    estimate = normalise(u);
    if (tolerance > 0 && Math.abs(estimate - previous) <= tolerance * estimate) break;
  }
  return { value: estimate, kind: 'estimate', rightVector: v, leftVector: u, iterations: done };
}

/** Power iteration on a conv's true operator (any stride/padding), exact adjoint; see {@link powerIterationSpectralNorm}. */
export function conv2dPowerIteration(
  kernel: ConvKernel,
  geometry: Conv2dGeometry,
  options: PowerIterationOptions = {},
): PowerIterationResult {
  return powerIterationSpectralNorm(conv2dLinearOperator(kernel, geometry), options);
}
