import { NumericCoreError } from '@lipkit/lipschitz-bounds';
import { assertProjectionLimit, assertProjectionMode, type ProjectionMode } from './projectionLimits.js';

/**
 * Group layout of a weight tensor of shape [d0, d1, ...rest] (PyTorch layout): one group per (i0, rest) holding the
 * d1 entries along axis 1 (excess-capacity spec §1: a dense weight [out, in] has one group per output row; a conv
 * kernel [Cout, Cin, kh, kw] one per (o, a, b) with the norm over input channels — not per filter).
 */
function groupLayout(shape: readonly number[], length: number): { groups: number; size: number; rest: number } {
  if (shape.length < 2 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new NumericCoreError('shape', `got [${shape.join(', ')}]`, 'at least 2 positive integer dimensions');
  }
  const rest = shape.slice(2).reduce((a, b) => a * b, 1);
  const total = shape[0]! * shape[1]! * rest;
  if (total !== length) {
    throw new NumericCoreError(
      'values',
      `has ${length} values but shape [${shape.join(', ')}] needs ${total}`,
      'matching sizes',
    );
  }
  return { groups: shape[0]! * rest, size: shape[1]!, rest };
}

function groupNorms(delta: Float64Array, shape: readonly number[]): Float64Array {
  const { groups, size, rest } = groupLayout(shape, delta.length);
  const norms = new Float64Array(groups);
  for (let i0 = 0; i0 < shape[0]!; i0++)
    for (let i1 = 0; i1 < size; i1++) {
      const base = (i0 * size + i1) * rest;
      for (let r = 0; r < rest; r++) norms[i0 * rest + r]! += delta[base + r]! ** 2;
    }
  for (let g = 0; g < groups; g++) norms[g] = Math.sqrt(norms[g]!);
  return norms;
}

function difference(values: ArrayLike<number>, center: ArrayLike<number> | undefined): Float64Array {
  if (center !== undefined && center.length !== values.length) {
    throw new NumericCoreError(
      'center',
      `has ${center.length} values, expected ${values.length}`,
      'the shape of values',
    );
  }
  const delta = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]! - (center === undefined ? 0 : center[i]!);
    if (!Number.isFinite(v)) throw new NumericCoreError('values', `entry ${i} is not finite`, 'finite numbers');
    delta[i] = v;
  }
  return delta;
}

/**
 * (2,1)-group-norm distance Σ_g ‖(x − x0)_g‖₂ with the groups of spec §1 (see {@link projectGroupNormBall}).
 * @param center x0 (default 0).
 */
export function groupNormDistance(
  values: ArrayLike<number>,
  center: ArrayLike<number> | undefined,
  shape: readonly number[],
): number {
  return groupNorms(difference(values, center), shape).reduce((a, b) => a + b, 0);
}

/**
 * The threshold λ ≥ 0 with Σ_g max(n_g − λ, 0) = r for norms n ≥ 0 with Σ n_g > r ≥ 0: sort descending and take
 * the largest k with n_(k) > (Σ_{j≤k} n_(j) − r)/k, λ = (Σ_{j≤k} n_(j) − r)/k — the exact ℓ1-ball threshold of
 * Duchi, Shalev-Shwartz, Singer & Chandra (ICML 2008), O(G log G), instead of the original's 1000-step float32
 * bisection (spec §4.2, pitfall 8).
 */
function softThreshold(norms: Float64Array, radius: number): number {
  const sorted = Float64Array.from(norms).sort().reverse();
  let sum = 0;
  // k = 1 is always a valid candidate (for r = 0 no k satisfies the strict test and λ = max n_g zeroes everything).
  let threshold = sorted[0]! - radius;
  for (let k = 0; k < sorted.length; k++) {
    sum += sorted[k]!;
    const candidate = (sum - radius) / (k + 1);
    if (sorted[k]! > candidate) threshold = candidate;
    else break;
  }
  return Math.max(threshold, 0);
}

/**
 * Projection onto the (2,1)-group-norm ball {x : Σ_g ‖(x − x0)_g‖₂ ≤ r} (excess-capacity spec §4.2), float64.
 * - `orthogonal` (default): the exact Euclidean projection, group soft-thresholding δ'_g = max(0, 1 − λ/n_g)·δ_g
 *   with λ from the sort-based threshold; all-zero groups stay zero (no NaN, unlike the original's 0·(1 − λ/0)).
 * - `radial`: δ' = δ·r/Σ_g n_g.
 * Points inside the ball are returned unchanged (copied); r = ∞ is the identity; r = 0 returns x0.
 *
 * @param values x, row-major in `shape` ([out, in] for dense, [Cout, Cin, kh, kw] for conv; groups along axis 1).
 * @param center x0 (the init snapshot), default 0.
 * @throws NumericCoreError for NaN/negative radii, shape mismatches or non-finite values.
 */
export function projectGroupNormBall(
  values: ArrayLike<number>,
  center: ArrayLike<number> | undefined,
  shape: readonly number[],
  radius: number,
  options: { mode?: ProjectionMode } = {},
): Float64Array {
  assertProjectionLimit('radius', radius);
  const mode = options.mode ?? 'orthogonal';
  assertProjectionMode(mode);
  const delta = difference(values, center);
  const norms = groupNorms(delta, shape);
  const total = norms.reduce((a, b) => a + b, 0);
  const out = Float64Array.from(values);
  if (total <= radius) return out;
  const { size, rest } = groupLayout(shape, delta.length);
  const threshold = mode === 'orthogonal' ? softThreshold(norms, radius) : 0;
  for (let i0 = 0; i0 < shape[0]!; i0++)
    for (let r = 0; r < rest; r++) {
      const n = norms[i0 * rest + r]!;
      const factor = mode === 'radial' ? radius / total : n > threshold ? 1 - threshold / n : 0;
      for (let i1 = 0; i1 < size; i1++) {
        const index = (i0 * size + i1) * rest + r;
        out[index] = (center === undefined ? 0 : center[index]!) + factor * delta[index]!;
      }
    }
  return out;
}
